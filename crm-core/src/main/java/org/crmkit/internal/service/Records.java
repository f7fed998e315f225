package org.crmkit.internal.service;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.crmkit.RecordSet;
import org.crmkit.duplicate.CheckedWrite;
import org.crmkit.duplicate.DuplicateCandidate;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.TimelinePage;
import org.crmkit.event.TimelineQuery;
import org.crmkit.merge.FieldChoices;
import org.crmkit.merge.MergeResult;
import org.crmkit.query.AggregateRow;
import org.crmkit.query.Aggregation;
import org.crmkit.query.Filter;
import org.crmkit.query.Page;
import org.crmkit.query.Query;
import org.crmkit.record.ImportOptions;
import org.crmkit.record.ImportResult;
import org.crmkit.record.Record;
import org.crmkit.record.UpsertResult;
import org.crmkit.search.SearchQuery;
import org.crmkit.search.SearchResult;

/**
 * {@link RecordSet} of one type for one session: checks the arguments, then hands each call to the part that does
 * it: {@link RecordReads}, {@link RecordWrites} (with {@link RecordValidator}) or {@link RecordPurge}.
 */
final class Records implements RecordSet {
    private final RecordContext ctx;
    private final RecordReads reads;
    private final RecordWrites writes;
    private final RecordPurge purge;
    private final RecordMerge merges;

    Records(Session session, String type) {
        this.ctx = new RecordContext(session, type);
        RecordStamps stamps = new RecordStamps(ctx);
        this.reads = new RecordReads(ctx);
        this.writes = new RecordWrites(ctx, stamps);
        this.purge = new RecordPurge(ctx, stamps);
        this.merges = new RecordMerge(ctx, stamps);
    }

    private <T> T observed(String operation, java.util.function.Supplier<T> work) {
        return ctx.session().observed(ctx.type(), operation, work);
    }

    @Override
    public String objectType() {
        return ctx.type();
    }

    @Override
    public Record get(UUID id) {
        return observed("get", () -> {
            Objects.requireNonNull(id, "id");
            return reads.find(ctx.present(id, "id")).orElseThrow(() -> new MergeTrail(ctx).notFound(id));
        });
    }

    @Override
    public Optional<Record> find(UUID id) {
        return observed("find", () -> {
            Objects.requireNonNull(id, "id");
            return reads.find(ctx.present(id, "id"));
        });
    }

    @Override
    public Page<Record> query(Query query) {
        return observed("query", () -> {
            Objects.requireNonNull(query, "query");
            return reads.query(ctx.present(query, "query"));
        });
    }

    @Override
    public long count(Filter filter) {
        return observed("count", () -> {
            Objects.requireNonNull(filter, "filter");
            return reads.count(ctx.present(filter, "filter"));
        });
    }

    @Override
    public List<AggregateRow> aggregate(Aggregation aggregation, Filter filter) {
        return observed("aggregate", () -> {
            Objects.requireNonNull(aggregation, "aggregation");
            Objects.requireNonNull(filter, "filter");
            return reads.aggregate(aggregation, ctx.present(filter, "filter"));
        });
    }

    /** Checks an aggregation as this record set's caller sees the schema, without running it. */
    void checkAggregate(Aggregation aggregation, Filter filter) {
        reads.plan(aggregation, filter, true);
    }

    /**
     * {@link #aggregate} with sums, minima and maxima of {@code <field>.corporate} left exact (not rounded to the
     * corporate currency's minor units): for the standard reports, which add groups and round each total once.
     */
    List<AggregateRow> exactAggregate(Aggregation aggregation, Filter filter) {
        return reads.aggregate(aggregation, filter, false);
    }

    @Override
    public SearchResult search(String text) {
        return observed("search", () -> {
            Objects.requireNonNull(text, "text");
            return ctx.session().searchNow(SearchQuery.of(ctx.present(text, "text")).types(ctx.type()));
        });
    }

    @Override
    public List<ChangeLogEntry> timeline(UUID id) {
        return observed("timeline", () -> {
            Objects.requireNonNull(id, "id");
            return reads.timeline(id);
        });
    }

    @Override
    public TimelinePage timeline(UUID id, TimelineQuery query) {
        return observed("timeline", () -> {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(query, "query");
            return reads.timeline(id, query);
        });
    }

    @Override
    public MergeResult merge(UUID survivorId, List<UUID> others, FieldChoices choices) {
        return observed("merge", () -> {
            Objects.requireNonNull(survivorId, "survivorId");
            Objects.requireNonNull(others, "others");
            Objects.requireNonNull(choices, "choices");
            return merges.merge(survivorId, others, choices);
        });
    }

    @Override
    public Record create(Map<String, ?> values) {
        return observed("create", () -> {
            Objects.requireNonNull(values, "values");
            return writes.create(ctx.present(values, "values"), false).record();
        });
    }

    @Override
    public CheckedWrite createChecked(Map<String, ?> values) {
        return observed("create", () -> {
            Objects.requireNonNull(values, "values");
            return writes.create(ctx.present(values, "values"), true);
        });
    }

    @Override
    public List<DuplicateCandidate> findDuplicates(Map<String, ?> values) {
        return observed("find_duplicates", () -> {
            Objects.requireNonNull(values, "values");
            return writes.duplicates().find(ctx.present(values, "values"));
        });
    }

    /** An import keeping totals only; see {@link RecordWrites#importCounting}. */
    RecordImport.Counts importCounting(String importId, Iterable<? extends Map<String, ?>> rows,
            ImportOptions options) {
        return writes.importCounting(importId, rows, options);
    }

    @Override
    public ImportResult importRecords(String importId, Iterable<? extends Map<String, ?>> rows,
            ImportOptions options) {
        return observed("import", () -> writes.importRecords(importId, rows, options));
    }

    @Override
    public UpsertResult upsert(String keyField, Iterable<? extends Map<String, ?>> rows, ImportOptions options) {
        return observed("upsert", () -> {
            return writes.upsert(keyField, rows, options);
        });
    }

    @Override
    public Record update(UUID id, long expectedVersion, Map<String, ?> changes) {
        return observed("update", () -> {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(changes, "changes");
            return writes.update(ctx.present(id, "id"), expectedVersion, ctx.present(changes, "changes"), false)
                    .record();
        });
    }

    @Override
    public CheckedWrite updateChecked(UUID id, long expectedVersion, Map<String, ?> changes) {
        return observed("update", () -> {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(changes, "changes");
            return writes.update(ctx.present(id, "id"), expectedVersion, ctx.present(changes, "changes"), true);
        });
    }

    @Override
    public Record delete(UUID id, long expectedVersion) {
        return observed("delete", () -> {
            Objects.requireNonNull(id, "id");
            return writes.delete(id, expectedVersion);
        });
    }

    @Override
    public Record restore(UUID id, long expectedVersion) {
        return observed("restore", () -> {
            Objects.requireNonNull(id, "id");
            return writes.restore(id, expectedVersion);
        });
    }

    @Override
    public void purge(UUID id) {
        observed("purge", () -> {
            Objects.requireNonNull(id, "id");
            purge.purge(id);
            return null;
        });
    }
}
