package org.crmkit.storage.memory.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.crmkit.query.AggregateRow;
import org.crmkit.query.Metric;
import org.crmkit.record.Record;
import org.crmkit.storage.spi.ResolvedPath;
import org.crmkit.storage.spi.ValueOrder;
import org.jspecify.annotations.Nullable;

/**
 * Groups the records a filter matched and computes the metrics of each group, in memory: the reference semantics
 * of {@code StorageTransaction.aggregate} (groups in ascending key order with the empty group last,
 * integer sums exact as {@code BigDecimal}, averages left to the service layer).
 */
final class MemoryAggregation {
    private MemoryAggregation() {}

    /** The rows of {@code records} grouped by the values at {@code groupPaths}, with {@code metrics} per group. */
    static List<AggregateRow> aggregate(List<Record> records, List<ResolvedPath> groupPaths, List<Metric> metrics,
            FilterEvaluator eval) {
        List<Boolean> descending = groupPaths.stream().map(g -> false).toList();
        Map<List<@Nullable Object>, List<Record>> groups = new TreeMap<>(
                (a, b) -> ValueOrder.compareKeys(a, b, descending));
        for (Record r : records) {
            groups.computeIfAbsent(MemoryTransaction.key(r, groupPaths), k -> new ArrayList<>()).add(r);
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
