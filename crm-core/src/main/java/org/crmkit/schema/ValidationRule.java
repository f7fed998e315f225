package org.crmkit.schema;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A record rule: a CEL expression that must be true for a write to pass, as in
 * {@code stage != 'closed_won' || close_date != null}.
 *
 * <p>The expression sees every field of the record by its API name (null when empty), and:
 * {@code is_new} (true on create), {@code changed} (list of the field names this write changes; test with
 * {@code 'stage' in changed}) and {@code prior} (a map of the values before the write, each field null on create;
 * e.g. {@code prior.stage}). Dates and datetimes are CEL timestamps, currency fields their amount as a double,
 * decimals doubles, integers ints. It is compiled and type-checked when the rule is added.
 *
 * @param name       identifier of the rule within its object type
 * @param expression CEL boolean expression; true means valid
 * @param message    the error message when it is false
 * @param field      the field the error is reported on, or null for the record as a whole
 */
public record ValidationRule(String name, String expression, String message, @Nullable String field) {
    public ValidationRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(message, "message");
    }

    public static ValidationRule of(String name, String expression, String message) {
        return new ValidationRule(name, expression, message, null);
    }

    /** The same rule reporting its error on {@code fieldName}. */
    public ValidationRule on(String fieldName) {
        return new ValidationRule(name, expression, message, fieldName);
    }
}
