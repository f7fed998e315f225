package org.crmkit.query;

import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One aggregate over a field ({@code sum(amount)}), or {@code count(*)} when the field is null. Result types, the
 * same on every storage: counts and distinct counts are {@link Long}; sums are exact {@link java.math.BigDecimal}s (integer sums
 * too, with scale 0, so they never overflow); averages are {@link java.math.BigDecimal} rounded half-even to 6
 * places; min and max keep the field's type (currency: its amount). Empty values are ignored; an aggregate over
 * no values is null, except counts, which are 0.
 *
 * <p>A distinct count ({@link #countDistinct}) counts the different non-empty values, compared as values (so
 * {@code 1.0} and {@code 1.00} are one; text exactly, case-sensitive); of a currency field it counts different amounts
 * and, like a sum, needs one currency per group; of {@code amount.corporate} it counts different converted amounts.
 *
 * <p>Sum, average, min and max of a currency field need one currency per result group: a group whose amounts
 * span several currencies is refused with a {@link org.crmkit.error.ValidationException} naming the field
 * (group by {@code "amount.currency"} or filter on it). Formula fields cannot be aggregated or grouped by (they
 * are computed, not stored): refused when the aggregation is checked.
 */
public record Metric(Function function, @Nullable String field) {
    public Metric {
        Objects.requireNonNull(function, "function");
    }

    /** Aggregate functions. */
    public enum Function {
        COUNT,
        SUM,
        AVG,
        MIN,
        MAX,
        /** The number of different non-empty values. */
        COUNT_DISTINCT
    }

    /** The number of records ({@code count(*)}). */
    public static Metric count() {
        return new Metric(Function.COUNT, null);
    }

    /** The number of different non-empty values of {@code field} ({@code count_distinct(owner)}). */
    public static Metric countDistinct(String field) {
        Objects.requireNonNull(field, "field");
        return new Metric(Function.COUNT_DISTINCT, field);
    }

    public static Metric sum(String field) {
        Objects.requireNonNull(field, "field");
        return new Metric(Function.SUM, field);
    }

    public static Metric avg(String field) {
        Objects.requireNonNull(field, "field");
        return new Metric(Function.AVG, field);
    }

    public static Metric min(String field) {
        Objects.requireNonNull(field, "field");
        return new Metric(Function.MIN, field);
    }

    public static Metric max(String field) {
        Objects.requireNonNull(field, "field");
        return new Metric(Function.MAX, field);
    }

    @Override
    public String toString() {
        return function.name().toLowerCase(Locale.ROOT) + "(" + (field == null ? "*" : field) + ")";
    }
}
