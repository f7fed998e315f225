package org.crmkit.rest.internal;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.query.Filter;
import org.crmkit.query.Metric;
import org.crmkit.report.DateBucket;
import org.crmkit.report.Grouping;
import org.crmkit.report.ReportDefinition;
import org.crmkit.report.ReportResult;
import org.crmkit.report.ReportTable;
import org.crmkit.report.export.ReportExport;
import org.jspecify.annotations.Nullable;

/**
 * Report definitions as JSON, both ways, and report answers as JSON (the table form of crm-core's
 * {@link ReportExport}). A definition:
 *
 * <pre>{@code
 * {"type": "deal", "label": "Pipeline by quarter",
 *  "where": {"stage": {"in": ["proposal", "negotiation"]}},
 *  "group_by": [{"path": "close_date", "bucket": "quarter"}, "stage"],
 *  "metrics": ["count", "sum(amount.corporate)"],
 *  "fiscal_year_start_month": 4, "top": 0, "summarised": false}
 * }</pre>
 *
 * {@code where} is the filter syntax of lists ({@link WhereFilter}); a grouping is a path, or an object with a
 * {@code path} and a date {@code bucket} (day, week, month, quarter, year); metrics are those of aggregates. Only
 * {@code type} is required. What is written back also carries {@code name} and {@code version}.
 */
final class ReportJson {
    private static final Set<String> PROPERTIES = Set.of("name", "type", "label", "where", "group_by", "metrics",
            "fiscal_year_start_month", "top", "summarised", "version");

    private ReportJson() {}

    /** The definition a request body describes, named {@code name}; each problem is a 422 field error. */
    static ReportDefinition read(String name, Map<String, @Nullable Object> body) {
        List<FieldError> errors = new ArrayList<>();
        for (String key : body.keySet()) {
            if (!PROPERTIES.contains(key)) {
                errors.add(error(ListQuery.abbreviate(key), FieldErrorCode.UNKNOWN_FIELD, "a report has no property '"
                        + ListQuery.abbreviate(key) + "'"));
            }
        }
        Object given = body.get("name");
        if (given != null && !given.equals(name)) {
            errors.add(error("name", FieldErrorCode.OUT_OF_RANGE, "name must be absent or the report's name in the "
                    + "path"));
        }
        String type = text(body, "type", errors);
        if (type == null && !body.containsKey("type")) {
            errors.add(error("type", FieldErrorCode.REQUIRED, "type, the object type reported on, is required"));
        }
        ReportDefinition.Builder b = ReportDefinition.builder(name, type == null ? "" : type);
        String label = text(body, "label", errors);
        if (label != null) {
            b.label(label);
        }
        filter(body.get("where"), b, errors);
        groupings(body.get("group_by"), b, errors);
        metrics(body.get("metrics"), b, errors);
        Long month = whole(body, "fiscal_year_start_month", errors);
        if (month != null) {
            b.fiscalYearStartMonth((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, month)));
        }
        Long top = whole(body, "top", errors);
        if (top != null) {
            b.top((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, top)));
        }
        Object summarised = body.get("summarised");
        if (summarised instanceof Boolean s) {
            b.summarised(s);
        } else if (summarised != null) {
            errors.add(error("summarised", FieldErrorCode.WRONG_TYPE, "summarised is true or false"));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(type == null ? "report" : type, errors);
        }
        return b.build();
    }

    /** A definition as JSON, in the form {@link #read} takes, with its name and version. */
    static Map<String, @Nullable Object> write(ReportDefinition d) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("name", d.name());
        m.put("version", d.version());
        m.put("type", d.objectType());
        m.put("label", d.label());
        m.put("where", d.filter().equals(Filter.ALL) ? null : filter(d.filter()));
        List<Object> groups = new ArrayList<>();
        for (Grouping g : d.groupings()) {
            DateBucket bucket = g.bucket();
            if (bucket == null) {
                groups.add(g.path());
            } else {
                Map<String, String> grouping = new LinkedHashMap<>(); // path first, as it was written
                grouping.put("path", g.path());
                grouping.put("bucket", bucket.name().toLowerCase(Locale.ROOT));
                groups.add(grouping);
            }
        }
        m.put("group_by", groups);
        m.put("metrics", d.metrics().stream().map(ReportJson::metric).toList());
        m.put("fiscal_year_start_month", d.fiscalYearStartMonth());
        m.put("top", d.topN());
        m.put("summarised", d.summarised());
        return m;
    }

    /** A report's answer: its table ({@code name}, {@code label}, {@code columns}, {@code rows}), version, source. */
    static byte[] result(Json json, ReportResult result) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("version", result.definition().version());
        meta.put("source", result.source().name().toLowerCase(Locale.ROOT));
        byte[] head = json.write(meta);
        byte[] table = table(result.table());
        // both are objects: the metadata's members, then the table's, in one object
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length + table.length);
        out.write(head, 0, head.length - 1);
        out.write(',');
        out.write(table, 1, table.length - 1);
        return out.toByteArray();
    }

    /**
     * A table as {@link ReportExport#json} writes it (exact decimals, their scale kept, which a round trip through a
     * JSON tree would lose).
     */
    static byte[] table(ReportTable table) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReportExport.json(table, out);
        return out.toByteArray();
    }

    private static String metric(Metric m) {
        return m.field() == null ? "count" : m.toString();
    }

    private static void filter(@Nullable Object where, ReportDefinition.Builder b, List<FieldError> errors) {
        if (where == null) {
            return;
        }
        if (!(where instanceof Map<?, ?> map)) {
            errors.add(error("where", FieldErrorCode.WRONG_TYPE, "where is a filter object, as in lists"));
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, @Nullable Object> node = (Map<String, @Nullable Object>) map;
        try {
            b.filter(WhereFilter.of(node, new ArrayList<>()));
        } catch (ProblemException p) {
            errors.add(error("where", FieldErrorCode.WRONG_TYPE, p.problem().detail()));
        } catch (IllegalArgumentException e) {
            errors.add(error("where", FieldErrorCode.OUT_OF_RANGE, "where is too large"));
        }
    }

    private static void groupings(@Nullable Object value, ReportDefinition.Builder b, List<FieldError> errors) {
        if (value == null) {
            return;
        }
        if (!(value instanceof List<?> list)) {
            errors.add(error("group_by", FieldErrorCode.WRONG_TYPE, "group_by is an array of paths"));
            return;
        }
        for (Object g : list) {
            if (g instanceof String path) {
                b.groupBy(Grouping.by(path));
            } else if (g instanceof Map<?, ?> m && m.get("path") instanceof String path
                    && m.get("bucket") instanceof String bucket && m.size() == 2 && bucket(bucket) != null) {
                b.groupBy(Grouping.by(path, java.util.Objects.requireNonNull(bucket(bucket))));
            } else {
                errors.add(error("group_by", FieldErrorCode.WRONG_TYPE, "a grouping is a path, or {\"path\": ..., "
                        + "\"bucket\": day, week, month, quarter or year}"));
                return;
            }
        }
    }

    private static @Nullable DateBucket bucket(String name) {
        for (DateBucket b : DateBucket.values()) {
            if (b.name().toLowerCase(Locale.ROOT).equals(name)) {
                return b;
            }
        }
        return null;
    }

    private static void metrics(@Nullable Object value, ReportDefinition.Builder b, List<FieldError> errors) {
        if (value == null) {
            return;
        }
        if (!(value instanceof List<?> list)) {
            errors.add(error("metrics", FieldErrorCode.WRONG_TYPE, "metrics is an array, as [\"count\", "
                    + "\"sum(amount)\"]"));
            return;
        }
        for (Object m : list) {
            Metric metric = m instanceof String s ? ReadingsResource.parseMetric(s) : null;
            if (metric == null) {
                errors.add(error("metrics", FieldErrorCode.WRONG_TYPE, ReadingsResource.METRICS));
                return;
            }
            b.metric(metric);
        }
    }

    private static @Nullable String text(Map<String, @Nullable Object> body, String name, List<FieldError> errors) {
        Object v = body.get(name);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        errors.add(error(name, FieldErrorCode.WRONG_TYPE, name + " is text"));
        return null;
    }

    private static @Nullable Long whole(Map<String, @Nullable Object> body, String name, List<FieldError> errors) {
        Object v = body.get(name);
        if (v == null || v instanceof Long) {
            return (Long) v;
        }
        errors.add(error(name, FieldErrorCode.WRONG_TYPE, name + " is a whole number"));
        return null;
    }

    private static FieldError error(String field, FieldErrorCode code, String message) {
        return new FieldError(field, code, message);
    }

    /** A filter in the {@code where} syntax. */
    private static Map<String, Object> filter(Filter f) {
        return switch (f) {
            case Filter.And a -> Map.of("and", a.operands().stream().map(ReportJson::filter).toList());
            case Filter.Or o -> Map.of("or", o.operands().stream().map(ReportJson::filter).toList());
            case Filter.Not n -> Map.of("not", filter(n.operand()));
            case Filter.Compare c -> leaf(c.path(), c.op().name().toLowerCase(Locale.ROOT), c.value());
            case Filter.In in -> leaf(in.path(), "in", in.values());
            case Filter.Between bt -> leaf(bt.path(), "between", java.util.Arrays.asList(bt.low(), bt.high()));
            case Filter.IsNull n -> leaf(n.path(), "is_null", Boolean.TRUE);
            case Filter.TextMatch t -> leaf(t.path(), t.op().name().toLowerCase(Locale.ROOT), t.text());
            case Filter.SetMatch s -> leaf(s.path(), s.op().name().toLowerCase(Locale.ROOT), s.values());
        };
    }

    private static Map<String, Object> leaf(String path, String op, @Nullable Object value) {
        Map<String, @Nullable Object> condition = new LinkedHashMap<>();
        condition.put(op, value);
        return Map.of(path, condition);
    }
}
