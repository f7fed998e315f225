package org.crmkit.workflow;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A value an action writes: a constant, or a CEL expression over the trigger record (its fields by name, {@code id},
 * {@code owner}, {@code team}, {@code prior}, {@code changed}, {@code is_new}, {@code event}, {@code now}), type-checked when the rule is saved. In
 * JSON a constant is plain ({@code "high"}, {@code 3}) and an expression is {@code {"cel": "close_date"}}.
 */
public sealed interface Value {
    /** A constant (text, number, boolean or null); converted to the field's type as any write is. */
    record Constant(@Nullable Object value) implements Value {}

    /** A CEL expression evaluated when the action runs. */
    record Expression(String cel) implements Value {
        public Expression {
            Objects.requireNonNull(cel, "cel");
        }
    }

    static Value of(@Nullable Object constant) {
        return new Constant(constant);
    }

    static Value cel(String expression) {
        Objects.requireNonNull(expression, "expression");
        return new Expression(expression);
    }
}
