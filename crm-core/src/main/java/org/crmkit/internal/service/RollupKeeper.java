package org.crmkit.internal.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.event.Operation;
import org.crmkit.query.AggregateRow;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.crmkit.query.Metric;
import org.crmkit.record.Record;
import org.crmkit.schema.FieldType;
import org.crmkit.security.Principal;
import org.crmkit.storage.spi.ResolvedFilter;
import org.jspecify.annotations.Nullable;

/**
 * Keeps roll-up fields right in the transaction that moves them. Before a transaction commits, the engine hands
 * it here ({@link #beforeCommit}): the record writes it made name the parents whose roll-ups they may move
 * ({@link RollupSpec#parentsMoved}); those parents are locked ({@code lockForUpdate}, one call per parent type, in
 * id order), their roll-ups recomputed by the storage (one grouped aggregate per child type, reference and filter,
 * for up to {@value #CHUNK} parents) and the parents whose values changed are updated like any record: a new
 * version and a change-log entry by the principal whose write moved them.
 *
 * <p>Why this is exact under concurrent writers: every transaction that changes a child locks the parent after its
 * own child writes and before its commit, and recomputes while holding the lock. The last such transaction to get
 * the lock sees every other one's children (they committed before releasing it), so the value it writes is a full
 * recomputation. {@link #recompute} is the same computation for the background recalculation.
 */
final class RollupKeeper {
    /** Parents recomputed by one aggregate: the most values one {@code in} condition takes. */
    static final int CHUNK = 1_000;
    /** Rounds of recomputation per commit; a roll-up never reads another, so the second round finds nothing. */
    private static final int MAX_ROUNDS = 4;

    private final CrmEngine engine;

    RollupKeeper(CrmEngine engine) {
        this.engine = engine;
    }

    /** Recomputes the roll-ups the transaction's writes may have moved; called once, before it commits. */
    void beforeCommit(Tx tx) {
        CompiledSchema cs = engine.schema.compiled();
        if (!cs.hasRollups()) {
            return; // the common case: nothing to look at
        }
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<Tx.Written> written = tx.takeWritten();
            if (written.isEmpty()) {
                return;
            }
            // parent type -> roll-up -> parents it may have moved
            Map<String, Map<RollupSpec, Set<UUID>>> moved = new TreeMap<>();
            for (Tx.Written w : written) {
                Record any = w.after() != null ? w.after() : Objects.requireNonNull(w.before());
                for (RollupSpec spec : cs.rollupsOf(any.type())) {
                    Set<UUID> parents = new TreeSet<>();
                    spec.parentsMoved(w.before(), w.after(), parents);
                    if (!parents.isEmpty()) {
                        moved.computeIfAbsent(spec.parentType(), k -> new LinkedHashMap<>())
                                .computeIfAbsent(spec, k -> new TreeSet<>()).addAll(parents);
                    }
                }
            }
            if (moved.isEmpty()) {
                return;
            }
            String actor = actor(tx);
            moved.forEach((parentType, specs) -> recompute(tx, cs, parentType, specs, actor));
        }
        throw new IllegalStateException("roll-ups kept moving each other after " + MAX_ROUNDS + " rounds");
    }

    /** The principal of the transaction's latest change: who moved the roll-ups. */
    private static String actor(Tx tx) {
        List<ChangeLogEntry> staged = tx.staged();
        return staged.isEmpty() ? Principal.SYSTEM_ID : staged.get(staged.size() - 1).principalId();
    }

    /**
     * Locks the parents of one type and brings the given roll-ups up to date on them, updating and logging the ones
     * whose values changed; returns how many were updated.
     */
    int recompute(Tx tx, CompiledSchema cs, String parentType, Map<RollupSpec, Set<UUID>> specs, String actor) {
        Set<UUID> all = new TreeSet<>();
        specs.values().forEach(all::addAll);
        int updated = 0;
        List<UUID> ids = List.copyOf(all);
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<UUID> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            Map<UUID, Record> parents = new HashMap<>();
            for (Record r : tx.storage.lockForUpdate(parentType, chunk)) {
                parents.put(r.id(), r);
            }
            Map<UUID, Map<String, @Nullable Object>> values = new HashMap<>();
            for (Map.Entry<Group, List<RollupSpec>> g : groups(specs, Set.copyOf(chunk)).entrySet()) {
                compute(tx, cs, g.getKey(), g.getValue(), values);
            }
            for (Map.Entry<UUID, Map<String, @Nullable Object>> e : values.entrySet()) {
                Record parent = parents.get(e.getKey());
                if (parent != null && update(tx, parent, e.getValue(), actor)) {
                    updated++;
                }
            }
        }
        return updated;
    }

    /** The roll-ups that one aggregate computes together: same child type, reference and filter, for these parents. */
    private record Group(String childType, String via, Filter filter, List<UUID> parents) {}

    private static Map<Group, List<RollupSpec>> groups(Map<RollupSpec, Set<UUID>> specs, Set<UUID> chunk) {
        Map<Group, List<RollupSpec>> out = new LinkedHashMap<>();
        Map<List<Object>, Set<UUID>> parentsByKey = new LinkedHashMap<>();
        Map<List<Object>, List<RollupSpec>> specsByKey = new LinkedHashMap<>();
        specs.forEach((spec, parents) -> {
            List<Object> key = List.of(spec.childType(), spec.via(), spec.rollup().filter());
            Set<UUID> inChunk = parentsByKey.computeIfAbsent(key, k -> new TreeSet<>());
            parents.stream().filter(chunk::contains).forEach(inChunk::add);
            specsByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(spec);
        });
        specsByKey.forEach((key, list) -> {
            Set<UUID> parents = parentsByKey.get(key);
            if (parents != null && !parents.isEmpty()) {
                RollupSpec first = list.get(0);
                out.put(new Group(first.childType(), first.via(), first.rollup().filter(), List.copyOf(parents)),
                        list);
            }
        });
        return out;
    }

    /** Computes the roll-ups of one group on its parents into {@code values} (parent id -> field -> value). */
    private static void compute(Tx tx, CompiledSchema cs, Group g, List<RollupSpec> specs,
            Map<UUID, Map<String, @Nullable Object>> values) {
        String corporate = cs.snapshot.currencies().corporate();
        Filter ofParents = Filters.where(g.via()).in(List.copyOf(g.parents()));
        Filter filter = g.filter().equals(Filter.ALL) ? ofParents : new Filter.And(List.of(ofParents, g.filter()));
        Set<Metric> metrics = new LinkedHashSet<>();
        for (RollupSpec spec : specs) {
            metrics.addAll(storageMetrics(spec.storedMetric()));
        }
        List<String> others = new ArrayList<>();
        others.add(g.via());
        metrics.stream().map(Metric::field).filter(Objects::nonNull).forEach(others::add);
        ResolvedFilter resolved = ResolvedFilter.resolve(cs.snapshot, g.childType(), filter,
                others.toArray(String[]::new));
        Map<UUID, AggregateRow> rows = new HashMap<>();
        for (AggregateRow row : tx.storage.aggregate(g.childType(), resolved, List.of(g.via()),
                List.copyOf(metrics))) {
            if (row.group().get(0) instanceof UUID parent) {
                rows.put(parent, row);
            }
        }
        for (UUID parent : g.parents()) {
            AggregateRow row = rows.get(parent);
            Map<String, @Nullable Object> ofParent = values.computeIfAbsent(parent, k -> new HashMap<>());
            for (RollupSpec spec : specs) {
                ofParent.put(spec.field().name(), row == null ? RollupSpec.valueOverNone(spec.field(), corporate)
                        : value(spec, row, corporate));
            }
        }
    }

    /** What the storage computes for a metric: an average is a sum and a count; a count of records is the row's. */
    private static List<Metric> storageMetrics(Metric m) {
        return switch (m.function()) {
            case AVG -> List.of(new Metric(Metric.Function.SUM, m.field()), new Metric(Metric.Function.COUNT,
                    m.field()));
            case COUNT -> m.field() == null ? List.of() : List.of(m);
            default -> List.of(m);
        };
    }

    /**
     * The roll-up's value in one parent's row, in the field's canonical type and scale; a currency roll-up in the
     * corporate currency, rounded half-even to its minor units.
     */
    private static @Nullable Object value(RollupSpec spec, AggregateRow row, @Nullable String corporate) {
        Metric m = spec.storedMetric();
        FieldType type = spec.field().type();
        int scale = spec.field().scale();
        Object raw = switch (m.function()) {
            case COUNT -> m.field() == null ? row.count() : row.get(m);
            case AVG -> AggregatePlan.average(row.get(new Metric(Metric.Function.SUM, m.field())),
                    row.get(new Metric(Metric.Function.COUNT, m.field())), RollupSpec.AVERAGE_SCALE);
            case SUM, MIN, MAX, COUNT_DISTINCT -> row.get(m);
        };
        if (raw == null) {
            return RollupSpec.valueOverNone(spec.field(), corporate);
        }
        return switch (type) {
            case INTEGER -> ((Number) raw).longValue();
            case DECIMAL, PERCENT -> decimal(raw).setScale(scale, RoundingMode.HALF_EVEN);
            case CURRENCY -> new org.crmkit.record.Money(decimal(raw).setScale(Math.min(scale, AggregatePlan
                    .minorUnits(Objects.requireNonNull(corporate, "a currency roll-up has a corporate currency"))),
                    RoundingMode.HALF_EVEN).setScale(scale), corporate);
            default -> raw;
        };
    }

    private static BigDecimal decimal(Object n) {
        return n instanceof BigDecimal d ? d : BigDecimal.valueOf(((Number) n).longValue());
    }

    /** Writes the parent's new roll-up values if any changed; returns whether it did. */
    private boolean update(Tx tx, Record parent, Map<String, @Nullable Object> rollups, String actor) {
        Map<String, Object> next = new LinkedHashMap<>(parent.values());
        rollups.forEach((field, v) -> {
            if (v == null) {
                next.remove(field);
            } else {
                next.put(field, v);
            }
        });
        if (next.equals(parent.values())) {
            return false;
        }
        Instant now = engine.clock.instant();
        Record after = new Record(parent.id(), parent.type(), parent.version() + 1, parent.owner(), parent.team(),
                parent.createdAt(), parent.createdBy(), now, actor, parent.deletedAt(), next);
        List<FieldChange> diff = ChangeDiff.between(parent, after);
        tx.update(after, parent);
        tx.log(new ChangeLogEntry(0, now, actor, after.type(), after.id(), Operation.UPDATE, after.version(), diff,
                tx.id));
        tx.saw(after);
        return true;
    }
}
