package org.crmkit.event;

/** What a change-log entry did to its record. */
public enum Operation {
    CREATE,
    UPDATE,
    /** Soft delete: the record is kept with a deletion time and can be restored. */
    DELETE,
    RESTORE,
    /** Hard delete: the record is gone; only the change log remembers it. */
    PURGE
}
