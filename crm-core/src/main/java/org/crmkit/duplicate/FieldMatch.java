package org.crmkit.duplicate;

import java.util.Objects;

/**
 * One field of a matching rule: which field, how its values compare, and how much the comparison counts.
 *
 * @param field  the field's API name
 * @param method how two values compare
 * @param weight how much this field counts against the others (greater than 0, at most 100)
 */
public record FieldMatch(String field, MatchMethod method, double weight) {
    public FieldMatch {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(method, "method");
    }

    /** A field compared with {@code method}, weight 1. */
    public static FieldMatch of(String field, MatchMethod method) {
        return new FieldMatch(field, method, 1);
    }

    /** A copy with another weight. */
    public FieldMatch weight(double newWeight) {
        return new FieldMatch(field, method, newWeight);
    }
}
