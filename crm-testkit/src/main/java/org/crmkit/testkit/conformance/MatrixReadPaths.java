package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.crmkit.query.Filters.where;

import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.crmkit.RecordSet;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.query.AggregateRow;
import org.crmkit.query.Aggregation;
import org.crmkit.query.Filters;
import org.crmkit.query.Metric;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.Record;
import org.crmkit.report.ReportDefinition;
import org.crmkit.search.Hit;
import org.crmkit.search.SearchQuery;
import org.crmkit.search.SearchResult;
import org.crmkit.security.FieldAccess;
import org.crmkit.testkit.conformance.AccessMatrixContract.Relationship;
import org.crmkit.testkit.conformance.MatrixPaths.PathCheck;

/**
 * The read paths of the access matrix: each asks once (the answer is kept for every relationship's cell) and
 * checks that a record is returned, counted or matched exactly when the relationship reaches it.
 */
final class MatrixReadPaths {
    private final MatrixPaths m;
    private final RecordSet records;
    private final Map<String, Object> answers = new ConcurrentHashMap<>();

    MatrixReadPaths(MatrixPaths m) {
        this.m = m;
        this.records = m.viewer.records(AccessMatrixContract.TYPE);
    }

    @SuppressWarnings("unchecked")
    private <T> T once(String key, Supplier<T> ask) {
        return (T) answers.computeIfAbsent(key, k -> Objects.requireNonNull(ask.get()));
    }

    private Record record(Relationship r) {
        return m.world.record(r);
    }

    private boolean secretShown() {
        return m.level != FieldAccess.HIDDEN;
    }

    List<PathCheck> all() {
        return List.of(
                new PathCheck("get", this::get),
                new PathCheck("find", r -> {
                    var found = records.find(record(r).id());
                    assertThat(found.isPresent()).as("found").isEqualTo(r.reads());
                    m.revealsOnlyWhatItMay("find", r, found);
                }),
                new PathCheck("query, page by page through cursors", r -> {
                    List<Record> all = once("query", () -> ConformanceContract.all(records,
                            Query.all().orderBy(Sort.asc("name")).limit(1)));
                    assertThat(all).extracting(Record::id).as("every page").containsExactlyInAnyOrderElementsOf(
                            m.world.reachableIds());
                    m.revealsOnlyWhatItMay("query", r, all);
                }),
                new PathCheck("query by name", r -> {
                    List<Record> items = records.query(where("name").eq("matrix " + r.name())).items();
                    assertThat(items).as("matches").hasSize(r.reads() ? 1 : 0);
                    m.revealsOnlyWhatItMay("query by name", r, items);
                }),
                new PathCheck("filter, sort and count on secret", this::secretFilter),
                new PathCheck("count", r -> {
                    assertThat(records.count(Filters.all())).isEqualTo(m.world.reachableIds().size());
                    assertThat(records.count(where("name").eq("matrix " + r.name()))).isEqualTo(r.reads() ? 1 : 0);
                }),
                new PathCheck("aggregate", this::aggregate),
                new PathCheck("report", r -> {
                    m.assumeAggregates();
                    var result = once("report", () -> m.viewer.reports().run(ReportDefinition
                            .builder("matrix", AccessMatrixContract.TYPE).groupBy("name").metric(Metric.count())
                            .build()));
                    assertThat(result.rows()).extracting(row -> row.group().get(0)).as("groups")
                            .containsExactlyInAnyOrderElementsOf(reachableNames());
                    m.revealsOnlyWhatItMay("report", r, result);
                }),
                new PathCheck("search by name", this::searchByName),
                new PathCheck("search by secret", this::searchBySecret),
                new PathCheck("timeline", r -> {
                    if (r.reads()) {
                        m.revealsOnlyWhatItMay("timeline", r, records.timeline(record(r).id()));
                    } else {
                        MatrixPaths.failsAsMissing("timeline", record(r).id(), records::timeline);
                    }
                }),
                new PathCheck("change feed", r -> {
                    List<ChangeLogEntry> entries = once("feed", this::wholeFeed);
                    assertThat(entries.stream().anyMatch(e -> e.recordId().equals(record(r).id())))
                            .as("an entry about the record").isEqualTo(r.reads());
                    m.revealsOnlyWhatItMay("change feed", r, entries);
                }),
                new PathCheck("export as CSV", r -> exported(r, "csv")),
                new PathCheck("export as JSON Lines", r -> exported(r, "jsonl")));
    }

    /** The viewer's whole change feed, page by page. */
    private List<ChangeLogEntry> wholeFeed() {
        List<ChangeLogEntry> out = new java.util.ArrayList<>();
        long after = 0;
        while (true) {
            var page = m.viewer.changes(after, 1_000);
            out.addAll(page.entries());
            if (!page.more()) {
                return out;
            }
            after = page.nextAfter();
        }
    }

    private List<String> reachableNames() {
        return m.world.records().keySet().stream().filter(Relationship::reads).map(x -> "matrix " + x.name())
                .toList();
    }

    private void get(Relationship r) {
        UUID id = record(r).id();
        if (!r.reads()) {
            MatrixPaths.failsAsMissing("get", id, records::get);
            return;
        }
        Record seen = records.get(id);
        assertThat(seen.has("secret")).as("secret present").isEqualTo(secretShown());
        if (secretShown()) {
            assertThat(seen.get("secret")).isEqualTo(m.world.canary(r));
        }
        m.revealsOnlyWhatItMay("get", r, seen);
    }

    private void secretFilter(Relationship r) {
        String canary = m.world.canary(r);
        if (!secretShown()) {
            for (Runnable probe : List.<Runnable>of(() -> records.query(where("secret").eq(canary)),
                    () -> records.count(where("secret").eq(canary)),
                    () -> records.query(Query.all().orderBy(Sort.asc("secret"))))) {
                Throwable t = catchThrowable(probe::run);
                assertThat(t).as("a filter or sort on a hidden field").isInstanceOf(ValidationException.class);
                assertThat(((ValidationException) t).errors()).anySatisfy(e -> {
                    assertThat(e.field()).isEqualTo("secret");
                    assertThat(e.code()).isEqualTo(FieldErrorCode.UNKNOWN_FIELD);
                });
                MatrixPaths.doesNotReveal("a filter on a hidden field", t.getMessage() + ((ValidationException) t)
                        .errors(), canary);
            }
            return;
        }
        assertThat(records.count(where("secret").eq(canary))).isEqualTo(r.reads() ? 1 : 0);
        List<Record> sorted = records.query(Query.all().orderBy(Sort.asc("secret"))).items();
        assertThat(sorted.stream().anyMatch(x -> x.id().equals(record(r).id()))).isEqualTo(r.reads());
        m.revealsOnlyWhatItMay("sort on secret", r, sorted);
    }

    private void aggregate(Relationship r) {
        m.assumeAggregates();
        List<AggregateRow> byName = once("aggregate by name",
                () -> records.aggregate(Aggregation.groupBy("name").sum("qty"), Filters.all()));
        assertThat(byName).extracting(row -> row.group().get(0)).containsExactlyInAnyOrderElementsOf(reachableNames());
        List<AggregateRow> total = once("aggregate total",
                () -> records.aggregate(Aggregation.total().sum("qty"), Filters.all()));
        // every record's qty is its own bit: the total says exactly which records were summed
        long bits = ((Number) Objects.requireNonNull(total.get(0).sum("qty"))).longValue();
        long bit = Objects.requireNonNull(record(r).getLong("qty"));
        assertThat((bits & bit) != 0).as("summed").isEqualTo(r.reads());
        m.revealsOnlyWhatItMay("aggregate", r, byName);
    }

    private void searchByName(Relationship r) {
        m.indexed.run();
        SearchResult result = once("search name", () -> m.viewer.search(SearchQuery.of("matrix")
                .types(AccessMatrixContract.TYPE).limit(50)));
        assertThat(result.hits()).extracting(Hit::id).containsExactlyInAnyOrderElementsOf(m.world.reachableIds());
        assertThat(result.total()).as("total").isEqualTo(m.world.reachableIds().size());
        m.revealsOnlyWhatItMay("search", r, result.hits());
    }

    private void searchBySecret(Relationship r) {
        m.indexed.run();
        SearchResult result = m.viewer.search(SearchQuery.of(m.world.canary(r)).types(AccessMatrixContract.TYPE));
        boolean matches = r.reads() && secretShown();
        assertThat(result.hits()).extracting(Hit::id).as("hits").containsExactlyElementsOf(
                matches ? List.of(record(r).id()) : List.of());
        assertThat(result.total()).as("total").isEqualTo(matches ? 1 : 0);
        m.revealsOnlyWhatItMay("search by secret", r, result.hits());
    }

    private void exported(Relationship r, String format) {
        String text = once("export " + format, () -> {
            StringWriter out = new StringWriter();
            if (format.equals("csv")) {
                m.viewer.export().csv(AccessMatrixContract.TYPE, Query.all(), out);
            } else {
                m.viewer.export().jsonLines(AccessMatrixContract.TYPE, Query.all(), out);
            }
            return out.toString();
        });
        assertThat(text.contains("matrix " + r.name())).as("exported").isEqualTo(r.reads());
        m.revealsOnlyWhatItMay("export " + format, r, text);
    }
}
