package org.crmkit.storage.jdbc.internal;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crmkit.query.AggregateRow;
import org.crmkit.query.Filter;
import org.crmkit.query.Metric;
import org.crmkit.query.Query;
import org.crmkit.schema.FieldType;
import org.crmkit.storage.spi.ResolvedPath;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.SelectFieldOrAsterisk;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * The aggregate query of one object type, beside {@link QuerySql} (which translates its filter and paths): a
 * {@code SELECT group..., COUNT(*), metric... GROUP BY group...} over the records not deleted, ordered by the
 * groups with empty values last, each row read back as an {@link AggregateRow} with exact sums. {@code AVG} is
 * computed by the service layer from sum and count.
 */
final class AggregateSql {
    private final QuerySql q;
    private final RecordTable t;

    AggregateSql(QuerySql q, RecordTable t) {
        this.q = q;
        this.t = t;
    }

    /** Runs the aggregate on {@code dsl}: one row per group (one row in all without groups). */
    List<AggregateRow> fetch(DSLContext dsl, Filter filter, List<String> groupBy, List<Metric> metrics) {
        // the paths of the filter, the groups and the metrics are all in q's resolved paths
        List<ResolvedPath> groupPaths = groupBy.stream().map(q::resolve).toList();
        List<org.jooq.Field<Object>> groups = groupPaths.stream().map(q::value).toList();
        List<SelectFieldOrAsterisk> select = new ArrayList<>(groups);
        select.add(DSL.count());
        List<@Nullable ResolvedPath> metricPaths = new ArrayList<>();
        for (Metric m : metrics) {
            ResolvedPath p = m.field() == null ? null : q.resolve(m.field());
            metricPaths.add(p);
            org.jooq.Field<Object> v = p == null ? null : q.value(p);
            select.add(switch (m.function()) {
                case COUNT -> v == null ? DSL.count() : DSL.count(v);
                case COUNT_DISTINCT -> DSL.countDistinct(Objects.requireNonNull(v, "COUNT_DISTINCT has a field"));
                case SUM -> DSL.sum(numeric(Objects.requireNonNull(v, "SUM has a field")));
                case MIN -> DSL.min(v);
                case MAX -> DSL.max(v);
                case AVG -> throw new IllegalArgumentException("AVG is computed by the service layer");
            });
        }
        Condition where = q.condition(filter).and(QuerySql.deleted(t, Query.Deleted.EXCLUDE));
        var from = q.from();
        List<org.jooq.Record> rows = groups.isEmpty()
                ? dsl.select(select).from(from).where(where).fetch()
                : dsl.select(select).from(from).where(where).groupBy(groups)
                        .orderBy(groups.stream().map(g -> g.asc().nullsLast()).toList()).fetch();
        List<AggregateRow> out = new ArrayList<>();
        for (org.jooq.Record r : rows) {
            List<@Nullable Object> key = new ArrayList<>();
            for (int i = 0; i < groups.size(); i++) {
                key.add(RecordTable.fromColumn(groupPaths.get(i).valueType(), r.get(i)));
            }
            long count = ((Number) r.get(groups.size())).longValue();
            Map<Metric, @Nullable Object> values = new LinkedHashMap<>();
            for (int i = 0; i < metrics.size(); i++) {
                values.put(metrics.get(i), metricValue(metrics.get(i), metricPaths.get(i),
                        r.get(groups.size() + 1 + i)));
            }
            out.add(new AggregateRow(key, count, values));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static org.jooq.Field<? extends Number> numeric(org.jooq.Field<Object> v) {
        return (org.jooq.Field<? extends Number>) (org.jooq.Field<?>) v;
    }

    private static @Nullable Object metricValue(Metric m, @Nullable ResolvedPath path, @Nullable Object v) {
        if (v == null) {
            return null;
        }
        return switch (m.function()) {
            case COUNT, COUNT_DISTINCT -> ((Number) v).longValue();
            // exact: SUM of a bigint column is a decimal on every database (integer sums have scale 0)
            case SUM -> path != null && path.valueType() == FieldType.INTEGER ? decimal(v).setScale(0)
                    : decimal(v);
            default -> RecordTable.fromColumn(Objects.requireNonNull(path, "MIN and MAX have a field").valueType(), v);
        };
    }

    private static BigDecimal decimal(Object v) {
        return v instanceof BigDecimal d ? d : new BigDecimal(v.toString());
    }
}
