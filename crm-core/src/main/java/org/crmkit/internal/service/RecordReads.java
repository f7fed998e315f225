package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.TimelinePage;
import org.crmkit.event.TimelineQuery;
import org.crmkit.query.AggregateRow;
import org.crmkit.query.Aggregation;
import org.crmkit.query.Filter;
import org.crmkit.query.Metric;
import org.crmkit.query.Page;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.Record;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.spi.ResolvedFilter;
import org.crmkit.storage.spi.ResolvedPath;
import org.crmkit.storage.spi.StorageQuery;
import org.jspecify.annotations.Nullable;

/**
 * The reads of a {@link Records}: find, query with signed keyset cursors, count, aggregate and timeline, each
 * limited to the records in the caller's scope and the fields the caller may see.
 */
final class RecordReads {
    private final RecordContext ctx;

    RecordReads(RecordContext ctx) {
        this.ctx = ctx;
    }

    Optional<Record> find(UUID id) {
        Access access = ctx.access();
        access.require(Permission.READ);
        CompiledSchema cs = ctx.schema();
        return ctx.session().inTx(access, tx -> {
            Optional<Record> stored = tx.storage.find(ctx.type(), id);
            stored.ifPresent(tx::saw);
            return stored;
        })
                .filter(r -> !r.isDeleted() && access.inScope(r))
                .map(r -> ctx.visible(r, access, cs));
    }

    Page<Record> query(Query query) {
        Access access = ctx.access();
        access.require(Permission.READ);
        CompiledSchema cs = ctx.schema();
        CrmEngine engine = ctx.engine();
        QueryPlanner planner = new QueryPlanner(cs, ctx.type(), ctx.principal(), engine.converter, engine.accessModels);
        Filter filter = planner.withScope(planner.filter(query.filter()));
        List<ResolvedPath> sortPaths = planner.sorts(query.sorts());
        if (query.limit() < 1 || query.limit() > Query.MAX_LIMIT) {
            planner.error(new FieldError("limit", FieldErrorCode.OUT_OF_RANGE, "page size must be 1 to "
                    + Query.MAX_LIMIT));
        }
        planner.finish();
        List<Sort> sorts = new ArrayList<>(query.sorts());
        sorts.add(Sort.asc("id"));
        planner.resolveAdded("id");
        String binding = cursorBinding(filter, sorts, query.deleted());
        List<@Nullable Object> after = null;
        if (query.after() != null) {
            after = engine.cursors.decode(binding, query.after(), sortPaths);
            if (after == null) {
                throw new ValidationException(ctx.type(), new FieldError("cursor", FieldErrorCode.WRONG_TYPE,
                        "not a cursor of this query"));
            }
        }
        StorageQuery sq = new StorageQuery(filter, sorts, query.limit() + 1, after, query.deleted(),
                planner.paths());
        List<Record> rows = ctx.session().inTx(access, tx -> tx.storage.query(ctx.type(), sq));
        String next = null;
        if (rows.size() > query.limit()) {
            rows = rows.subList(0, query.limit());
            Record last = rows.get(rows.size() - 1);
            List<@Nullable Object> key = new ArrayList<>();
            for (ResolvedPath p : sortPaths) {
                key.add(p.valueOn(last));
            }
            key.add(last.id());
            next = engine.cursors.encode(binding, key);
        }
        return new Page<>(rows.stream().map(r -> ctx.visible(r, access, cs)).toList(), next, query);
    }

    /**
     * What a cursor is bound to: the query as checked (object type, principal with roles and teams, filter with
     * scopes and converted values, sort keys, deletion state), so a cursor works only for the query and the
     * principal it was made for.
     */
    private String cursorBinding(Filter checked, List<Sort> sorts, Query.Deleted deleted) {
        StringBuilder b = new StringBuilder();
        Principal p = ctx.principal();
        for (Object part : List.of(ctx.type(), p.id(), p.roles().stream().map(Role::name).toList(),
                p.teams(), p.system(), deleted, sorts, checked)) {
            String text = part.toString();
            b.append(text.length()).append(':').append(text).append(';');
        }
        return b.toString();
    }

    long count(Filter filter) {
        Access access = ctx.access();
        access.require(Permission.READ);
        QueryPlanner planner = new QueryPlanner(ctx.schema(), ctx.type(), ctx.principal(), ctx.engine().converter,
                ctx.engine().accessModels);
        Filter checked = planner.withScope(planner.filter(filter));
        planner.finish();
        ResolvedFilter resolved = new ResolvedFilter(checked, planner.paths());
        return ctx.session().inTx(access, tx -> tx.storage.count(ctx.type(), resolved, Query.Deleted.EXCLUDE));
    }

    List<AggregateRow> aggregate(Aggregation aggregation, Filter filter) {
        return aggregate(aggregation, filter, true);
    }

    /**
     * The aggregate; with {@code roundCorporate} false, sums, minima and maxima of {@code <field>.corporate} stay
     * exact ({@link AggregatePlan}), for engine code that adds groups and rounds the total once.
     */
    List<AggregateRow> aggregate(Aggregation aggregation, Filter filter, boolean roundCorporate) {
        Planned p = plan(aggregation, filter, roundCorporate);
        return p.plan.results(ctx.session().inTx(tx -> tx.storage.aggregate(ctx.type(), p.resolved,
                aggregation.groupBy(), p.plan.storageMetrics())));
    }

    /** An aggregation checked against the caller's access and resolved, ready for the storage. */
    record Planned(AggregatePlan plan, ResolvedFilter resolved) {}

    /**
     * Checks an aggregation as the caller sees the schema (every path, bucket and metric; a hidden field fails as an
     * unknown one) and plans it, without running it.
     */
    Planned plan(Aggregation aggregation, Filter filter, boolean roundCorporate) {
        Access access = ctx.access();
        access.require(Permission.READ);
        CompiledSchema cs = ctx.schema();
        QueryPlanner planner = new QueryPlanner(cs, ctx.type(), ctx.principal(), ctx.engine().converter,
                ctx.engine().accessModels);
        Filter checked = planner.withScope(planner.filter(filter));
        aggregation.groupBy().forEach(planner::groupBy);
        aggregation.metrics().forEach(planner::metric);
        if (aggregation.groupBy().size() > 4) {
            planner.error(new FieldError("groupBy", FieldErrorCode.OUT_OF_RANGE, "at most 4 group keys"));
        }
        planner.finish();
        AggregatePlan plan = new AggregatePlan(ctx.objectTypeIn(cs), aggregation, cs.snapshot.currencies().corporate(),
                roundCorporate);
        plan.storageMetrics().stream().map(Metric::field).filter(Objects::nonNull).forEach(planner::resolveAdded);
        return new Planned(plan, new ResolvedFilter(checked, planner.paths()));
    }

    List<ChangeLogEntry> timeline(UUID id) {
        return new TimelineReader(ctx).all(id);
    }

    TimelinePage timeline(UUID id, TimelineQuery query) {
        return new TimelineReader(ctx).page(id, query);
    }
}
