package org.crmkit.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Aggregates over the records a filter matches, grouped by zero or more fields.
 *
 * <pre>{@code
 * deals.aggregate(Aggregation.groupBy("stage").sum("amount").avg("amount"), where("pipeline").eq("sales"))
 * }</pre>
 *
 * @param groupBy field paths to group by (empty: one row over everything)
 * @param metrics the aggregates; {@code count(*)} is always computed
 */
public record Aggregation(List<String> groupBy, List<Metric> metrics) {
    public Aggregation {
        Objects.requireNonNull(groupBy, "groupBy");
        Objects.requireNonNull(metrics, "metrics");
        groupBy = List.copyOf(groupBy);
        metrics = List.copyOf(metrics);
    }

    public static Aggregation groupBy(String... paths) {
        Objects.requireNonNull(paths, "paths");
        return new Aggregation(List.of(paths), List.of());
    }

    /** No grouping: one row over every matching record. */
    public static Aggregation total() {
        return new Aggregation(List.of(), List.of());
    }

    public Aggregation with(Metric metric) {
        Objects.requireNonNull(metric, "metric");
        List<Metric> all = new ArrayList<>(metrics);
        all.add(metric);
        return new Aggregation(groupBy, all);
    }

    public Aggregation count() {
        return this;
    }

    /** Adds the number of different non-empty values of {@code field}. */
    public Aggregation countDistinct(String field) {
        Objects.requireNonNull(field, "field");
        return with(Metric.countDistinct(field));
    }

    public Aggregation sum(String field) {
        Objects.requireNonNull(field, "field");
        return with(Metric.sum(field));
    }

    public Aggregation avg(String field) {
        Objects.requireNonNull(field, "field");
        return with(Metric.avg(field));
    }

    public Aggregation min(String field) {
        Objects.requireNonNull(field, "field");
        return with(Metric.min(field));
    }

    public Aggregation max(String field) {
        Objects.requireNonNull(field, "field");
        return with(Metric.max(field));
    }
}
