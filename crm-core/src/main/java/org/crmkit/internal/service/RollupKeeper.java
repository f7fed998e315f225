package org.crmkit.internal.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
import org.crmkit.security.Principal;
import org.crmkit.storage.spi.ResolvedFilter;
import org.jspecify.annotations.Nullable;

/**
 * Keeps roll-up fields right in the transaction that moves them. Before a transaction commits, the engine hands
 * it here ({@link #beforeCommit}): the record writes it made name the parents whose roll-ups they may move
 * ({@link RollupSpec#parentsMoved}); those parents are locked ({@code lockForUpdate}, one call per parent type, in
 * id order) and their roll-ups brought up to date, and the parents whose values changed are updated like any
 * record: a new version and a change-log entry by the principal whose write moved them.
 *
 * <p>A count or sum moves by a difference: what the written children add to it now minus what they added before
 * ({@link RollupDelta}), applied to the parent's exact total ({@link RollupTotals}). Averages, minimums, maximums
 * and distinct counts, and any roll-up whose parent has no total for its current definition yet, are recomputed by
 * the storage (one grouped aggregate per child type, reference and filter, for up to {@value #CHUNK} parents), and
 * the recomputation's exact total is kept for the next difference.
 *
 * <p>Why this is exact under concurrent writers: every transaction that changes a child locks the parent after its
 * own child writes and before its commit, and reads the total or recomputes while holding the lock. The
 * transactions that move one parent therefore apply their differences one after the other, each to the total the
 * previous one committed; and a recomputation sees every child of the transactions that held the lock before. The
 * value is what a recomputation gives. {@link #recompute} is the recomputation the background job runs.
 */
final class RollupKeeper {
    /** Parents recomputed by one aggregate: the most values one {@code in} condition takes. */
    static final int CHUNK = 1_000;
    /** Rounds of recomputation per commit; a roll-up never reads another, so the second round finds nothing. */
    private static final int MAX_ROUNDS = 4;

    private final CrmEngine engine;
    private final RollupTotals totals;

    RollupKeeper(CrmEngine engine) {
        this.engine = engine;
        this.totals = new RollupTotals(engine);
    }

    /** Brings up to date the roll-ups the transaction's writes may have moved; called once, before it commits. */
    void beforeCommit(Tx tx) {
        CompiledSchema cs = engine.schema.compiled();
        if (!cs.hasRollups()) {
            return; // the common case: nothing to look at
        }
        boolean kept = totals.kept();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<Tx.Written> written = tx.takeWritten();
            if (written.isEmpty()) {
                return;
            }
            // parent type -> roll-up -> parents it may have moved; roll-up -> parent -> difference
            Map<String, Map<RollupSpec, Set<UUID>>> moved = new TreeMap<>();
            Map<RollupSpec, Map<UUID, BigDecimal>> deltas = new HashMap<>();
            Map<String, Map<UUID, @Nullable Map<String, BigDecimal>>> purgedParents = new TreeMap<>();
            for (Tx.Written w : written) {
                Record any = w.after() != null ? w.after() : Objects.requireNonNull(w.before());
                for (RollupSpec spec : cs.rollupsOf(any.type())) {
                    Set<UUID> parents = new TreeSet<>();
                    spec.parentsMoved(w.before(), w.after(), parents);
                    if (parents.isEmpty()) {
                        continue;
                    }
                    RollupDelta delta = kept ? cs.rollupDelta(spec) : null;
                    if (delta != null) {
                        delta.collect(w.before(), w.after(), deltas.computeIfAbsent(spec, k -> new HashMap<>()));
                    } else {
                        moved.computeIfAbsent(spec.parentType(), k -> new LinkedHashMap<>())
                                .computeIfAbsent(spec, k -> new TreeSet<>()).addAll(parents);
                    }
                }
                if (kept && !totals.purgedWithRecord() && w.after() == null
                        && !cs.rollupsHeldBy(any.type()).isEmpty()) {
                    purgedParents.computeIfAbsent(any.type(), k -> new HashMap<>()).put(any.id(), null);
                }
            }
            // a parent whose children's differences cancel out does not move
            deltas.forEach((spec, byParent) -> byParent.forEach((parent, d) -> {
                if (d.signum() != 0) {
                    moved.computeIfAbsent(spec.parentType(), k -> new LinkedHashMap<>())
                            .computeIfAbsent(spec, k -> new TreeSet<>()).add(parent);
                }
            }));
            purgedParents.forEach((type, gone) -> totals.write(tx.storage, type, gone));
            if (moved.isEmpty()) {
                return;
            }
            String actor = actor(tx);
            moved.forEach((parentType, specs) -> bringUpToDate(tx, cs, parentType, specs, deltas, actor));
        }
        throw new IllegalStateException("roll-ups kept moving each other after " + MAX_ROUNDS + " rounds");
    }

    /** The principal of the transaction's latest change: who moved the roll-ups. */
    private static String actor(Tx tx) {
        List<ChangeLogEntry> staged = tx.staged();
        return staged.isEmpty() ? Principal.SYSTEM_ID : staged.get(staged.size() - 1).principalId();
    }

    /**
     * Locks the parents of one type and recomputes the given roll-ups on them, updating and logging the ones whose
     * values changed; returns how many were updated.
     */
    int recompute(Tx tx, CompiledSchema cs, String parentType, Map<RollupSpec, Set<UUID>> specs, String actor) {
        return bringUpToDate(tx, cs, parentType, specs, Map.of(), actor);
    }

    /**
     * Locks the parents of one type and brings the given roll-ups up to date on them: a roll-up with differences in
     * {@code deltas} by its parent's kept total when there is one, the others by recomputation. Updates and logs the
     * parents whose values changed; returns how many were updated.
     */
    private int bringUpToDate(Tx tx, CompiledSchema cs, String parentType, Map<RollupSpec, Set<UUID>> specs,
            Map<RollupSpec, Map<UUID, BigDecimal>> deltas, String actor) {
        String corporate = cs.snapshot.currencies().corporate();
        boolean keepsTotals = totals.kept() && specs.keySet().stream().anyMatch(s -> cs.rollupDelta(s) != null);
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
            Map<UUID, Map<String, BigDecimal>> stored = keepsTotals ? totals.read(tx.storage, parentType,
                    parents.keySet()) : Map.of();
            Map<UUID, Map<String, @Nullable Object>> values = new HashMap<>();
            Map<UUID, Map<String, BigDecimal>> exact = new HashMap<>();
            Map<RollupSpec, Set<UUID>> toRecompute = new LinkedHashMap<>();
            specs.forEach((spec, of) -> {
                RollupDelta delta = cs.rollupDelta(spec);
                Map<UUID, BigDecimal> moves = deltas.get(spec);
                for (UUID parent : of) {
                    if (!parents.containsKey(parent)) {
                        continue; // a reference to a record that is gone: nothing to keep
                    }
                    BigDecimal total = delta == null || moves == null ? null
                            : stored.getOrDefault(parent, Map.of()).get(delta.key());
                    if (delta == null || moves == null || total == null) {
                        toRecompute.computeIfAbsent(spec, k -> new TreeSet<>()).add(parent);
                        continue;
                    }
                    BigDecimal next = total.add(moves.getOrDefault(parent, BigDecimal.ZERO));
                    exact.computeIfAbsent(parent, k -> new HashMap<>()).put(delta.key(), next);
                    values.computeIfAbsent(parent, k -> new HashMap<>()).put(spec.field().name(),
                            RollupDelta.shown(spec, next, corporate));
                }
            });
            for (Map.Entry<Group, List<RollupSpec>> g : groups(toRecompute, Set.copyOf(chunk)).entrySet()) {
                compute(tx, cs, g.getKey(), g.getValue(), values, exact);
            }
            if (keepsTotals) {
                keepTotals(tx, cs, parentType, stored, exact);
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

    /**
     * Writes the parents' totals that changed: the new ones over the stored ones, without the totals of roll-ups
     * the type no longer has or of their earlier definitions.
     */
    private void keepTotals(Tx tx, CompiledSchema cs, String parentType, Map<UUID, Map<String, BigDecimal>> stored,
            Map<UUID, Map<String, BigDecimal>> exact) {
        Set<String> current = new HashSet<>();
        cs.rollupsHeldBy(parentType).values().forEach(spec -> {
            RollupDelta d = cs.rollupDelta(spec);
            if (d != null) {
                current.add(d.key());
            }
        });
        Map<UUID, @Nullable Map<String, BigDecimal>> changed = new LinkedHashMap<>();
        exact.forEach((parent, fresh) -> {
            Map<String, BigDecimal> before = stored.getOrDefault(parent, Map.of());
            Map<String, BigDecimal> next = new HashMap<>(before);
            next.keySet().retainAll(current);
            next.putAll(fresh);
            if (!next.equals(before)) {
                changed.put(parent, next);
            }
        });
        totals.write(tx.storage, parentType, changed);
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
            Map<UUID, Map<String, @Nullable Object>> values, Map<UUID, Map<String, BigDecimal>> exact) {
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
                RollupDelta delta = cs.rollupDelta(spec);
                if (delta != null) { // a count or sum: keep its exact total for the next difference
                    BigDecimal total = RollupDelta.exact(row == null ? null : raw(spec, row));
                    exact.computeIfAbsent(parent, k -> new HashMap<>()).put(delta.key(), total);
                    ofParent.put(spec.field().name(), RollupDelta.shown(spec, total, corporate));
                } else {
                    ofParent.put(spec.field().name(), row == null ? RollupSpec.valueOverNone(spec.field(),
                            corporate) : value(spec, row, corporate));
                }
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
        Object raw = raw(spec, row);
        if (raw == null) {
            return RollupSpec.valueOverNone(spec.field(), corporate);
        }
        return switch (spec.field().type()) {
            case INTEGER, DECIMAL, PERCENT, CURRENCY -> RollupDelta.shown(spec, RollupDelta.exact(raw), corporate);
            default -> raw; // a date or time: a minimum or maximum as it is
        };
    }

    /** The roll-up's metric in one parent's row, unrounded (an average: at {@link RollupSpec#AVERAGE_SCALE}). */
    private static @Nullable Object raw(RollupSpec spec, AggregateRow row) {
        Metric m = spec.storedMetric();
        return switch (m.function()) {
            case COUNT -> m.field() == null ? row.count() : row.get(m);
            case AVG -> AggregatePlan.average(row.get(new Metric(Metric.Function.SUM, m.field())),
                    row.get(new Metric(Metric.Function.COUNT, m.field())), RollupSpec.AVERAGE_SCALE);
            case SUM, MIN, MAX, COUNT_DISTINCT -> row.get(m);
        };
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
