package org.crmkit.error;

import java.util.Objects;

/**
 * One problem with one field of a write or a query.
 *
 * @param field   the field API name as the caller wrote it (or {@code "*"} for the record as a whole)
 * @param code    what is wrong
 * @param message a sentence for people
 */
public record FieldError(String field, FieldErrorCode code, String message) {
    /** Marks an error about the whole record rather than one field (record rules). */
    public static final String RECORD = "*";

    public FieldError {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return field + ": " + code.name().toLowerCase(java.util.Locale.ROOT) + " (" + message + ")";
    }
}
