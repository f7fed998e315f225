package org.crmkit.rest.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crmkit.error.ValidationException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.event.TimelinePage;
import org.crmkit.event.TimelineQuery;
import org.crmkit.query.AggregateRow;
import org.crmkit.query.Aggregation;
import org.crmkit.query.Metric;
import org.crmkit.search.Hit;
import org.crmkit.search.SearchQuery;
import org.crmkit.search.SearchResult;
import org.jspecify.annotations.Nullable;

/**
 * What is read about records beyond the records themselves: a record's timeline ({@code GET
 * /objects/{type}/{id}/timeline}), grouped aggregates ({@code GET /objects/{type}/aggregate}) and typo-tolerant search
 * across types ({@code GET /search}). All through the caller's session: hidden fields and out-of-scope records stay out.
 */
public final class ReadingsResource implements RestResource {
    /** What a metric may be. */
    static final String METRICS = "metrics are count, count_distinct(path), sum(path), avg(path), min(path) or "
            + "max(path)";
    private static final Pattern METRIC = Pattern
            .compile("(count|count_distinct|sum|avg|min|max)(?:\\(([a-z0-9_.]{1,200})\\))?");

    @Override
    public void register(RestRouter router) {
        // before /objects/{type}/{id}, which would take "aggregate" for an id
        router.get("/objects/{type}/aggregate", this::aggregate);
        router.get("/objects/{type}/{id}/timeline", this::timeline);
        router.get("/search", this::search);
    }

    private Reply timeline(Call call) {
        Map<String, List<String>> params = call.queryParams();
        only(params, "limit", "cursor", "order", "related");
        TimelineQuery q = TimelineQuery.of().limit(intParam(params, "limit", TimelineQuery.DEFAULT_LIMIT, 1,
                TimelineQuery.MAX_LIMIT));
        String order = param(params, "order");
        if (order != null) {
            switch (order) {
                case "asc" -> {}
                case "desc" -> q = q.newestFirst();
                default -> throw new ProblemException(Problem.badRequest("order", "order must be asc or desc"));
            }
        }
        String related = param(params, "related");
        if (related != null) {
            switch (related) {
                case "true" -> q = q.withRelated();
                case "false" -> {}
                default -> throw new ProblemException(Problem.badRequest("related", "related must be true or false"));
            }
        }
        String cursor = param(params, "cursor");
        if (cursor != null) {
            q = q.after(cursor);
        }
        UUID id = RecordsResource.id(call);
        TimelinePage page;
        try {
            page = call.session().records(call.pathParam("type")).timeline(id, q);
        } catch (ValidationException v) {
            throw new ProblemException(ProblemMapper.map(v, f -> f.equals("after") ? "cursor" : f, 400));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entries", page.entries().stream().map(ReadingsResource::entry).toList());
        body.put("has_more", page.nextCursor() != null);
        body.put("next_cursor", page.nextCursor());
        body.put("related_truncated", page.relatedTruncated());
        return Reply.json(200, call.settings().json().write(body));
    }

    /** A change-log entry as JSON: the timeline's items and the live stream's events. */
    static Map<String, Object> entry(ChangeLogEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sequence", e.sequence());
        m.put("at", e.at());
        m.put("principal", e.principalId());
        m.put("type", e.objectType());
        m.put("record_id", e.recordId());
        m.put("operation", e.operation().name().toLowerCase(java.util.Locale.ROOT));
        m.put("version", e.version());
        List<Map<String, @Nullable Object>> changes = new ArrayList<>();
        for (FieldChange c : e.changes()) {
            Map<String, @Nullable Object> ch = new LinkedHashMap<>();
            ch.put("field", c.field());
            ch.put("old", c.oldValue());
            ch.put("new", c.newValue());
            changes.add(ch);
        }
        m.put("changes", changes);
        return m;
    }

    private Reply aggregate(Call call) {
        Map<String, List<String>> params = new HashMap<>(call.queryParams());
        List<String> groupBy = splitParam(params.remove("group_by"), "group_by");
        List<String> metrics = splitParam(params.remove("metrics"), "metrics");
        for (String name : params.keySet()) {
            if (!name.startsWith("filter[") && !name.equals("where")) {
                throw new ProblemException(Problem.badRequest(name, "unknown query parameter '"
                        + ListQuery.abbreviate(name) + "': use group_by, metrics, filter[field][op] and where"));
            }
        }
        ListQuery filter = ListQuery.parse(params, 1, 1, call.settings().json());
        Aggregation a;
        try {
            a = Aggregation.groupBy(groupBy.toArray(String[]::new));
            for (String m : metrics.isEmpty() ? List.of("count") : metrics) {
                a = a.with(metric(m));
            }
        } catch (ValidationException v) {
            throw new ProblemException(ProblemMapper.map(v, f -> "group_by", 400));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.badRequest("group_by", "group_by takes 0 to a few field paths"));
        }
        List<AggregateRow> rows;
        try {
            rows = call.session().records(call.pathParam("type")).aggregate(a, filter.query().filter());
        } catch (ValidationException v) {
            throw new ProblemException(ProblemMapper.map(v, f -> groupBy.contains(f) ? "group_by"
                    : metrics.stream().anyMatch(m -> m.contains("(" + f + ")")) ? "metrics" : filter.parameterOf(f),
                    400));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (AggregateRow row : rows) {
            Map<String, Object> r = new LinkedHashMap<>();
            Map<String, @Nullable Object> group = new LinkedHashMap<>();
            for (int i = 0; i < groupBy.size(); i++) {
                group.put(groupBy.get(i), row.group().get(i));
            }
            r.put("group", group);
            r.put("count", row.count());
            Map<String, @Nullable Object> values = new LinkedHashMap<>();
            row.values().forEach((m, v) -> values.put(m.toString(), v));
            r.put("metrics", values);
            out.add(r);
        }
        return Reply.json(200, call.settings().json().write(Map.of("rows", out)));
    }

    private static Metric metric(String text) {
        Metric m = parseMetric(text);
        if (m == null) {
            throw new ProblemException(Problem.badRequest("metrics", METRICS + ", joined by commas"));
        }
        return m;
    }

    /** The metric {@code text} names ({@code count}, {@code sum(amount)}...), or null when it names none. */
    static @Nullable Metric parseMetric(String text) {
        Matcher m = METRIC.matcher(text);
        if (!m.matches() || (m.group(2) == null) != m.group(1).equals("count")) {
            return null;
        }
        String field = java.util.Objects.requireNonNull(m.group(2) == null ? "" : m.group(2));
        return switch (m.group(1)) {
            case "count" -> Metric.count();
            case "count_distinct" -> Metric.countDistinct(field);
            case "sum" -> Metric.sum(field);
            case "avg" -> Metric.avg(field);
            case "min" -> Metric.min(field);
            default -> Metric.max(field);
        };
    }

    private Reply search(Call call) {
        Map<String, List<String>> params = call.queryParams();
        only(params, "q", "types", "limit", "offset");
        String text = param(params, "q");
        if (text == null || text.isBlank()) {
            throw new ProblemException(Problem.badRequest("q", "q, the text to search for, is required"));
        }
        if (text.length() > SearchQuery.MAX_TEXT_LENGTH) {
            throw new ProblemException(Problem.badRequest("q", "q holds at most " + SearchQuery.MAX_TEXT_LENGTH
                    + " characters"));
        }
        SearchQuery q = SearchQuery.of(text).limit(intParam(params, "limit", SearchQuery.DEFAULT_LIMIT, 1,
                SearchQuery.MAX_LIMIT)).offset(intParam(params, "offset", 0, 0, SearchQuery.MAX_OFFSET));
        List<String> types = splitParam(params.get("types"), "types");
        if (!types.isEmpty()) {
            q = q.types(types.toArray(String[]::new));
        }
        SearchResult result;
        try {
            result = call.session().search(q);
        } catch (ValidationException v) {
            throw new ProblemException(ProblemMapper.map(v, f -> f.equals("text") ? "q" : f, 400));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("hits", result.hits().stream().map(ReadingsResource::hit).toList());
        body.put("total", result.total());
        body.put("total_exact", result.totalExact());
        body.put("has_more", result.hasMore());
        return Reply.json(200, call.settings().json().write(body));
    }

    private static Map<String, Object> hit(Hit h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", h.objectType());
        m.put("id", h.id());
        m.put("version", h.version());
        m.put("title", h.title());
        m.put("score", h.score());
        m.put("match", h.match().name().toLowerCase(java.util.Locale.ROOT));
        m.put("highlights", h.highlights());
        return m;
    }

    static void only(Map<String, List<String>> params, String... allowed) {
        List<String> names = List.of(allowed);
        for (String name : params.keySet()) {
            if (!names.contains(name)) {
                throw new ProblemException(Problem.badRequest(name, "unknown query parameter '"
                        + ListQuery.abbreviate(name) + "': use " + String.join(", ", names)));
            }
        }
    }

    static @Nullable String param(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        if (values == null) {
            return null;
        }
        if (values.size() != 1) {
            throw new ProblemException(Problem.badRequest(name, name + " takes one value, not " + values.size()));
        }
        return values.get(0);
    }

    private static int intParam(Map<String, List<String>> params, String name, int absent, int min, int max) {
        String text = param(params, name);
        if (text == null) {
            return absent;
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ProblemException(Problem.badRequest(name, name + " must be a whole number from " + min + " to "
                + max));
    }

    private static List<String> splitParam(@Nullable List<String> values, String name) {
        if (values == null) {
            return List.of();
        }
        if (values.size() != 1) {
            throw new ProblemException(Problem.badRequest(name, name + " takes one value (joined by commas)"));
        }
        List<String> parts = new ArrayList<>();
        for (String p : values.get(0).split(",", -1)) {
            if (p.isEmpty() || p.length() > ListQuery.MAX_PATH) {
                throw new ProblemException(Problem.badRequest(name, name + " takes names joined by commas"));
            }
            parts.add(p);
        }
        return parts;
    }
}
