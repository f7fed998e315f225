package org.crmkit.data.csv;

import java.util.Objects;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.jspecify.annotations.Nullable;

/**
 * One problem with one row of a CSV import.
 *
 * @param line    the line of the file where the row starts (the header is line 1; a quoted cell may span lines)
 * @param row     the row's number among the data rows, from 1 (the import ledger's row number)
 * @param column  the header of the column the problem is in, or null when it concerns the row as a whole
 * @param field   the field's API name, or {@value FieldError#RECORD} for the record as a whole
 * @param code    what is wrong
 * @param message a sentence for people
 */
public record CsvError(long line, long row, @Nullable String column, String field, FieldErrorCode code,
        String message) {
    public CsvError {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return "line " + line + (column == null ? "" : ", column '" + column + "'") + ": " + field + ": "
                + code.name().toLowerCase(java.util.Locale.ROOT) + " (" + message + ")";
    }
}
