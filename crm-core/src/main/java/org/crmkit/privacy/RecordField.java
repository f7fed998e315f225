package org.crmkit.privacy;

import java.util.Objects;
import java.util.UUID;

/**
 * One field of one record, as a privacy answer names it (a reference to an erased record, a value cleared).
 *
 * @param objectType the record's type
 * @param recordId   the record
 * @param field      the field's API name
 */
public record RecordField(String objectType, UUID recordId, String field) {
    public RecordField {
        Objects.requireNonNull(objectType, "objectType");
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(field, "field");
    }
}
