package org.crmkit.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A condition on records, built with {@link Filters#where(String)}. A field path is a field name
 * ({@code "amount"}), a part of a structured field ({@code "amount.currency"}, {@code "address.city"}), a
 * system property ({@code "owner"}, {@code "created_at"}, {@code "id"}), or a walk through references
 * ({@code "company.industry"}: deals whose company's industry is...).
 *
 * <p>Semantics are two-valued and the same on every storage: a comparison with an empty field is false, except
 * {@link Op#NE} (true: empty is different from any value) and {@link IsNull}; {@link Not} is the exact
 * complement of its operand. Text {@code eq} is case-sensitive; {@link TextMatch} is case-insensitive.
 *
 * <p><b>Limits.</b> An {@code and}, {@code or} or {@code not} nests at most {@value #MAX_DEPTH} deep and holds at
 * most {@value #MAX_CONDITIONS} conditions (leaves) and {@value #MAX_VALUES} compared values in all (an {@code in} or
 * {@code hasAny} counts its values, {@code between} two, other conditions one), and their text values at most
 * {@value #MAX_TEXT} characters in all; no text value may hold NUL (U+0000), which no storage keeps in text
 * ({@code INVALID_CHARACTER} on field {@code filter} when the condition is built). Building one past a limit throws
 * {@link org.crmkit.error.ValidationException} on field {@code filter} with code {@code OUT_OF_RANGE}, so a filter
 * that exists is within the limits. Queries check them again on the filter as it reaches the storage, which also
 * holds the caller's record scope (one or two conditions and one level) and, for each condition through a
 * reference, the scope of each record it passes (one or two conditions per hop, up to three more levels), so a
 * caller with a limited scope reaches the limits a little earlier. A single {@code in}, {@code hasAny} or
 * {@code hasAll} takes 1 to 1,000 values in a query.
 */
public sealed interface Filter {
    /** How deep {@code and}, {@code or} and {@code not} may nest. */
    int MAX_DEPTH = 32;

    /** How many conditions (leaves) a filter may hold in all. */
    int MAX_CONDITIONS = 1_000;

    /** How many compared values a filter may hold in all. */
    int MAX_VALUES = 10_000;

    /**
     * How many characters (UTF-16 units) the text values of a filter may hold in all: 1,000,000, at most 4 MB of
     * UTF-8, which every storage takes in one statement (MariaDB's default {@code max_allowed_packet} is 16 MB).
     */
    int MAX_TEXT = 1_000_000;

    /** Matches every record. */
    Filter ALL = new And(List.of());

    /** Comparison operators. */
    enum Op {
        EQ, NE, LT, LTE, GT, GTE
    }

    /** How a text value is matched. */
    enum TextOp {
        CONTAINS, STARTS_WITH
    }

    /** How a multi-picklist or relation is matched against a set of values. */
    enum SetOp {
        HAS_ANY, HAS_ALL
    }

    record Compare(String path, Op op, Object value) implements Filter {
        public Compare {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(value, "value (use isNull() to test for empty fields)");
            FilterLimits.checkLeaf(List.of(value));
        }
    }

    record In(String path, List<@Nullable Object> values) implements Filter {
        public In {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(values, "values");
            values = java.util.Collections.unmodifiableList(new ArrayList<>(values));
            FilterLimits.checkLeaf(values);
        }
    }

    /** Inclusive on both ends. */
    record Between(String path, @Nullable Object low, @Nullable Object high) implements Filter {
        public Between {
            Objects.requireNonNull(path, "path");
            FilterLimits.checkLeaf(java.util.Arrays.asList(low, high));
        }
    }

    record IsNull(String path) implements Filter {
        public IsNull {
            Objects.requireNonNull(path, "path");
        }
    }

    record TextMatch(String path, TextOp op, String text) implements Filter {
        public TextMatch {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(text, "text");
            FilterLimits.checkLeaf(java.util.Collections.singletonList(text));
        }
    }

    record SetMatch(String path, SetOp op, List<@Nullable Object> values) implements Filter {
        public SetMatch {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(values, "values");
            values = java.util.Collections.unmodifiableList(new ArrayList<>(values));
            FilterLimits.checkLeaf(values);
        }
    }

    record And(List<Filter> operands) implements Filter {
        public And {
            Objects.requireNonNull(operands, "operands");
            operands = List.copyOf(operands);
            FilterLimits.checkCompound(operands);
        }
    }

    record Or(List<Filter> operands) implements Filter {
        public Or {
            Objects.requireNonNull(operands, "operands");
            operands = List.copyOf(operands);
            FilterLimits.checkCompound(operands);
        }
    }

    record Not(Filter operand) implements Filter {
        public Not {
            Objects.requireNonNull(operand, "operand");
            FilterLimits.checkCompound(List.of(operand));
        }
    }

    default Filter and(Filter other) {
        List<Filter> all = new ArrayList<>();
        if (this instanceof And a) {
            all.addAll(a.operands());
        } else {
            all.add(this);
        }
        all.add(other);
        return new And(all);
    }

    /** Continues with a condition on another field, joined by AND: {@code where("a").gt(1).and("b").eq(2)}. */
    default Condition and(String path) {
        return new Condition(path, this::and);
    }

    default Filter or(Filter other) {
        List<Filter> all = new ArrayList<>();
        if (this instanceof Or o) {
            all.addAll(o.operands());
        } else {
            all.add(this);
        }
        all.add(other);
        return new Or(all);
    }

    default Condition or(String path) {
        return new Condition(path, this::or);
    }

    default Filter negate() {
        return new Not(this);
    }
}
