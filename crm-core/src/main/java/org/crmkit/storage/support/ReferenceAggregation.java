package org.crmkit.storage.support;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.crmkit.query.AggregateRow;
import org.crmkit.query.Metric;
import org.crmkit.record.Record;
import org.crmkit.storage.spi.ResolvedFilter;
import org.crmkit.storage.spi.ResolvedPath;
import org.crmkit.storage.spi.ValueOrder;
import org.jspecify.annotations.Nullable;

/**
 * Groups records and computes the metrics of each group, in memory: the reference semantics of
 * {@code StorageTransaction.aggregate} (groups in ascending key order with the empty group last, integer sums exact
 * as {@code BigDecimal}, averages left to the service layer), used by the in-memory storage and by the engine for
 * records it holds (a transaction's writes, turned into report-summary changes).
 */
public final class ReferenceAggregation {
    private ReferenceAggregation() {}

    /**
     * The live (not deleted) {@code records} that match {@code filter}, grouped by {@code groupBy} with
     * {@code metrics} per group. Paths must be the records' own: there is no other record to follow here.
     */
    public static List<AggregateRow> aggregate(List<Record> records, ResolvedFilter filter, List<String> groupBy,
            List<Metric> metrics) {
        java.util.Objects.requireNonNull(records, "records");
        java.util.Objects.requireNonNull(groupBy, "groupBy");
        java.util.Objects.requireNonNull(metrics, "metrics");
        FilterEvaluator eval = new FilterEvaluator(filter.filter(), filter.paths(), (type, id) -> {
            throw new IllegalArgumentException("a path through " + type + ": only the records' own fields here");
        });
        List<ResolvedPath> groupPaths = groupBy.stream().map(eval::path).toList();
        List<Record> matching = new ArrayList<>();
        for (Record r : records) {
            if (!r.isDeleted() && eval.matches(r, filter.filter())) {
                matching.add(r);
            }
        }
        return matching.isEmpty() ? List.of() : aggregate(matching, groupPaths, metrics, eval);
    }

    /** The values at {@code paths} on {@code r}: its group key. */
    public static List<@Nullable Object> key(Record r, List<ResolvedPath> paths) {
        java.util.Objects.requireNonNull(r, "r");
        List<@Nullable Object> key = new ArrayList<>(paths.size());
        for (ResolvedPath p : paths) {
            key.add(p.valueOn(r));
        }
        return key;
    }

    /** The rows of {@code records} grouped by the values at {@code groupPaths}, with {@code metrics} per group. */
    public static List<AggregateRow> aggregate(List<Record> records, List<ResolvedPath> groupPaths,
            List<Metric> metrics,
            FilterEvaluator eval) {
        java.util.Objects.requireNonNull(eval, "eval");
        List<Boolean> descending = groupPaths.stream().map(g -> false).toList();
        Map<List<@Nullable Object>, List<Record>> groups = new TreeMap<>(
                (a, b) -> ValueOrder.compareKeys(a, b, descending));
        for (Record r : records) {
            groups.computeIfAbsent(key(r, groupPaths), k -> new ArrayList<>()).add(r);
        }
        if (groups.isEmpty() && groupPaths.isEmpty()) {
            groups.put(List.of(), List.of());
        }
        List<AggregateRow> rows = new ArrayList<>();
        for (Map.Entry<List<@Nullable Object>, List<Record>> g : groups.entrySet()) {
            Map<Metric, @Nullable Object> values = new LinkedHashMap<>();
            for (Metric m : metrics) {
                values.put(m, metric(m, m.field() == null ? null : eval.path(m.field()), g.getValue()));
            }
            rows.add(new AggregateRow(g.getKey(), g.getValue().size(), values));
        }
        return rows;
    }

    private static @Nullable Object metric(Metric m, @Nullable ResolvedPath path, List<Record> records) {
        List<Object> values = new ArrayList<>();
        for (Record r : records) {
            Object v = path == null ? Boolean.TRUE : path.valueOn(r);
            if (v != null) {
                values.add(v);
            }
        }
        return switch (m.function()) {
            case COUNT -> (long) values.size();
            case COUNT_DISTINCT -> {
                java.util.Set<Object> distinct = new java.util.TreeSet<>(ValueOrder::compare); // 1.0 is 1.00
                distinct.addAll(values);
                yield (long) distinct.size();
            }
            case SUM -> {
                if (values.isEmpty()) {
                    yield null;
                }
                BigDecimal sum = BigDecimal.ZERO; // exact, integers included (Metric: sums are BigDecimal)
                for (Object v : values) {
                    sum = sum.add(v instanceof Long l ? BigDecimal.valueOf(l) : (BigDecimal) v);
                }
                yield sum;
            }
            case MIN -> values.stream().min(ValueOrder::compare).orElse(null);
            case MAX -> values.stream().max(ValueOrder::compare).orElse(null);
            case AVG -> throw new IllegalArgumentException("AVG is computed by the service layer");
        };
    }
}
