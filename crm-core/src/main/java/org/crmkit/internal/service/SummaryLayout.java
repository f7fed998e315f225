package org.crmkit.internal.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.query.AggregateRow;
import org.crmkit.query.Metric;
import org.crmkit.record.Record;
import org.crmkit.report.ReportDefinition;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.spi.ResolvedFilter;
import org.crmkit.storage.spi.ResolvedPath;
import org.crmkit.storage.spi.ResolvedPaths;
import org.crmkit.storage.support.ReferenceAggregation;
import org.crmkit.storage.support.StorageJson;
import org.jspecify.annotations.Nullable;

/**
 * How one summarised report is kept: its filter and paths resolved (as the system sees the schema), and the
 * additive quantities a summary row holds for each group, from which every metric of the report follows: the
 * record count, and for each field a sum or count of which is asked, the sum of its values and the count of its
 * non-empty values ({@link #accumulated()}). These add and subtract exactly, so a write changes a row by the
 * contribution of the record after it minus the one before ({@link #changes}); minima, maxima and distinct counts do
 * not, and are refused ({@link #problems}). The contributions are computed with the in-memory storage's reference
 * aggregation, which every storage's is tested against, so the rows equal what the live report aggregates.
 */
final class SummaryLayout {
    final ReportDefinition definition;
    private final ResolvedFilter resolved;
    private final List<Metric> accumulated;
    private final StorageJson json;
    private final ObjectMapper mapper;

    private SummaryLayout(ReportDefinition definition, ResolvedFilter resolved, List<Metric> accumulated,
            StorageJson json, ObjectMapper mapper) {
        this.definition = definition;
        this.resolved = resolved;
        this.accumulated = accumulated;
        this.json = json;
        this.mapper = mapper;
    }

    /** Every path a definition reads: its filter's, its groupings' (buckets included) and its metrics' fields. */
    static List<String> paths(ReportDefinition d) {
        List<String> paths = new ArrayList<>(ResolvedPaths.pathsOf(d.filter()));
        paths.addAll(d.groupPaths());
        d.metrics().stream().map(Metric::field).filter(Objects::nonNull).forEach(paths::add);
        return paths;
    }

    /** One summary row: its group values, record count and {@link #accumulated()} values (exact, possibly zero). */
    record Row(List<@Nullable Object> group, long count, List<BigDecimal> values) {}

    /** What a definition must be to be summarised, as errors naming the offending part (empty: fine). */
    static List<FieldError> problems(ReportDefinition d, SchemaSnapshot schema) {
        List<FieldError> errors = new ArrayList<>();
        for (Metric m : d.metrics()) {
            if (m.function() != Metric.Function.COUNT && m.function() != Metric.Function.SUM
                    && m.function() != Metric.Function.AVG) {
                errors.add(new FieldError("metrics", FieldErrorCode.UNSUPPORTED_OPERATION, m + ": a summarised "
                        + "report keeps counts, sums and averages only (a minimum, maximum or distinct count cannot "
                        + "be kept by adding and subtracting)"));
            } else if (m.field() instanceof String field && m.function() != Metric.Function.COUNT
                    && schema.findObjectType(d.objectType()).flatMap(t -> t.findField(field))
                            .filter(f -> f.type() == FieldType.CURRENCY).isPresent()) {
                errors.add(new FieldError(field, FieldErrorCode.UNSUPPORTED_OPERATION, "a summarised report "
                        + "totals amounts in the corporate currency: use " + field + ".corporate"));
            }
        }
        for (String path : new LinkedHashSet<>(paths(d))) {
            try {
                if (!ResolvedPath.resolve(schema, d.objectType(), path).isLocal()) {
                    errors.add(new FieldError(path, FieldErrorCode.UNSUPPORTED_OPERATION, "a summarised report "
                            + "reads only its own type's fields, not paths through references"));
                }
            } catch (RuntimeException e) {
                // an unknown path: the report's own check names it
            }
        }
        return errors;
    }

    /** The layout of a checked, summarisable definition ({@link ReportSummaries#layout}). */
    static SummaryLayout of(ReportDefinition d, SchemaSnapshot schema, StorageJson json, ObjectMapper mapper) {
        Set<Metric> acc = new LinkedHashSet<>();
        for (Metric m : d.metrics()) {
            if (m.field() != null) {
                if (m.function() != Metric.Function.COUNT) {
                    acc.add(Metric.sum(m.field()));
                }
                acc.add(new Metric(Metric.Function.COUNT, m.field()));
            }
        }
        List<String> others = new ArrayList<>(d.groupPaths());
        acc.stream().map(Metric::field).filter(Objects::nonNull).forEach(others::add);
        ResolvedFilter resolved = ResolvedFilter.resolve(schema, d.objectType(), d.filter(),
                others.toArray(String[]::new));
        return new SummaryLayout(d, resolved, List.copyOf(acc), json, mapper);
    }

    /** The definition's filter with every path the layout reads resolved (groups and accumulated fields too). */
    ResolvedFilter resolved() {
        return resolved;
    }

    /** The quantities each row holds besides its count: sums and value counts of fields, in a fixed order. */
    List<Metric> accumulated() {
        return accumulated;
    }

    /**
     * How {@code before} and {@code after} (the states of some records before and after a transaction's writes;
     * absent, deleted or unmatched states contribute nothing) change the rows: group -> change; groups whose change
     * is nothing are left out.
     */
    Map<List<@Nullable Object>, Row> changes(List<Record> before, List<Record> after) {
        Map<List<@Nullable Object>, Row> out = new LinkedHashMap<>();
        add(out, contributions(after), 1);
        add(out, contributions(before), -1);
        out.values().removeIf(SummaryLayout::isNothing);
        return out;
    }

    /** The rows the records would make on their own. */
    List<AggregateRow> contributions(List<Record> records) {
        return records.isEmpty() ? List.of()
                : ReferenceAggregation.aggregate(records, resolved, definition.groupPaths(),
                        accumulated);
    }

    private void add(Map<List<@Nullable Object>, Row> into, List<AggregateRow> rows, int sign) {
        for (AggregateRow r : rows) {
            Row change = fromAggregate(r, sign);
            into.merge(change.group(), change, SummaryLayout::plus);
        }
    }

    /** A storage's aggregate row (of {@link #accumulated()} metrics) as a summary row, negated when sign is -1. */
    Row fromAggregate(AggregateRow r, int sign) {
        List<BigDecimal> values = new ArrayList<>(accumulated.size());
        for (Metric m : accumulated) {
            Object v = r.get(m);
            BigDecimal d = v == null ? BigDecimal.ZERO : v instanceof BigDecimal b ? b
                    : BigDecimal.valueOf(((Number) v).longValue());
            values.add(sign < 0 ? d.negate() : d);
        }
        return new Row(r.group(), sign * r.count(), values);
    }

    static Row plus(Row a, Row b) {
        List<BigDecimal> values = new ArrayList<>(a.values().size());
        for (int i = 0; i < a.values().size(); i++) {
            values.add(a.values().get(i).add(b.values().get(i)));
        }
        return new Row(a.group(), a.count() + b.count(), values);
    }

    private static boolean isNothing(Row r) {
        return r.count() == 0 && r.values().stream().allMatch(v -> v.signum() == 0);
    }

    /**
     * A summary row as the storage's aggregate would give it: a sum is null when no value was summed, counts are
     * {@link Long}s.
     */
    AggregateRow toAggregate(Row r) {
        Map<Metric, @Nullable Object> values = new LinkedHashMap<>();
        for (int i = 0; i < accumulated.size(); i++) {
            Metric m = accumulated.get(i);
            if (m.function() == Metric.Function.COUNT) {
                values.put(m, r.values().get(i).longValueExact());
            } else {
                long n = r.values().get(accumulated.indexOf(new Metric(Metric.Function.COUNT, m.field())))
                        .longValueExact();
                values.put(m, n == 0 ? null : r.values().get(i));
            }
        }
        return new AggregateRow(r.group(), r.count(), values);
    }

    /** The stored text of a row's group values, which its key digests. */
    String groupText(List<@Nullable Object> group) {
        ArrayNode g = mapper.createArrayNode();
        for (Object v : group) {
            g.add(tree(json.writeValue(v)));
        }
        return g.toString();
    }

    /** The row's key: a SHA-256 digest of its group values, in hex. */
    String key(List<@Nullable Object> group) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(groupText(group)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** A row as stored: {@code {"g": [group values], "n": count, "v": ["exact decimals"]}}. */
    String write(Row r) {
        ObjectNode body = mapper.createObjectNode();
        body.set("g", tree(groupText(r.group())));
        body.put("n", r.count());
        ArrayNode v = body.putArray("v");
        r.values().forEach(d -> v.add(d.toString()));
        return body.toString();
    }

    Row read(String text) {
        JsonNode body = tree(text);
        List<@Nullable Object> group = new ArrayList<>();
        body.get("g").forEach(n -> group.add(json.readValue(n.toString())));
        List<BigDecimal> values = new ArrayList<>();
        body.get("v").forEach(n -> values.add(new BigDecimal(n.asText())));
        return new Row(group, body.get("n").asLong(), values);
    }

    private JsonNode tree(String text) {
        try {
            return mapper.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a summary row is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
