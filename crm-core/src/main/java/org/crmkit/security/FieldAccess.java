package org.crmkit.security;

/** What a role may do with one field. Wider access comes later in this order. */
public enum FieldAccess {
    /** Never appears in results, cannot be filtered, sorted, searched or written. */
    HIDDEN,
    /** Readable, not writable. */
    READ_ONLY,
    /** Readable and writable. */
    EDITABLE
}
