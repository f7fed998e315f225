package org.crmkit.schema;

/** What a destructive schema change does when records hold data it would remove. */
public enum DataPolicy {
    /** Refuse the change with {@link org.crmkit.error.SchemaException.Problem#HAS_DATA}. */
    REFUSE_IF_DATA,
    /** Go ahead and drop the data (the change log keeps the history). */
    DISCARD_DATA
}
