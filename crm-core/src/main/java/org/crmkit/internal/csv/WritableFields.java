package org.crmkit.internal.csv;

import org.crmkit.schema.Field;

/** What the importing principal may do with the type's fields, as the engine's access control decides. */
public interface WritableFields {
    /** Whether the principal may see the field (a hidden field is as absent as an unknown one). */
    boolean canSee(String field);

    /** Whether the principal may write the field: visible, editable, not computed, not deprecated. */
    boolean canWrite(Field field);

    /** Whether the principal may set {@code owner} and {@code team}. */
    boolean canTransfer();
}
