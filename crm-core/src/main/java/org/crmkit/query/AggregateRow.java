package org.crmkit.query;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One group of an {@link Aggregation}: its group values (in {@link Aggregation#groupBy()} order; null for the
 * group of empty values), its record count and its metrics. Metric values have the types {@link Metric} lists
 * (sums: exact {@link java.math.BigDecimal}, integer sums included).
 */
public record AggregateRow(List<@Nullable Object> group, long count, Map<Metric, @Nullable Object> values) {
    public AggregateRow {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(values, "values");
        group = Collections.unmodifiableList(new java.util.ArrayList<>(group));
        values = Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }

    /** The value of a metric, or null when it aggregated no values. */
    public @Nullable Object get(Metric metric) {
        return values.get(metric);
    }

    public @Nullable Object sum(String field) {
        return values.get(Metric.sum(field));
    }

    public @Nullable Object avg(String field) {
        return values.get(Metric.avg(field));
    }

    public @Nullable Object min(String field) {
        return values.get(Metric.min(field));
    }

    public @Nullable Object max(String field) {
        return values.get(Metric.max(field));
    }
}
