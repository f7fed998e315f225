package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crmkit.error.CrmException;
import org.crmkit.error.SchemaException;
import org.crmkit.query.Filter;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.Record;
import org.crmkit.rollup.RecalculationJob;
import org.crmkit.rollup.RecalculationProgress;
import org.crmkit.rollup.RollupAdmin;
import org.crmkit.security.Principal;
import org.crmkit.storage.spi.ResolvedFilter;
import org.crmkit.storage.spi.ResolvedPaths;
import org.crmkit.storage.spi.StorageQuery;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The roll-up recalculations an engine runs in the background ({@link RollupAdmin}), on one
 * {@link BackgroundThread} in the order started. Each walks the parent type in id order,
 * {@value RollupKeeper#CHUNK} records per transaction, recomputing with {@link RollupKeeper#recompute} as the system
 * principal. Closing cancels them; the page being written finishes.
 */
final class RollupRecalculations implements RollupAdmin, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RollupRecalculations.class);

    private final CrmEngine engine;
    private final RollupKeeper keeper;
    private final List<Job> jobs = new CopyOnWriteArrayList<>();
    private final BackgroundThread thread = new BackgroundThread("crmkit-rollup-recalculation");

    RollupRecalculations(CrmEngine engine, RollupKeeper keeper) {
        this.engine = engine;
        this.keeper = keeper;
    }

    @Override
    public RecalculationJob recalculate(String objectType, String field) {
        java.util.Objects.requireNonNull(objectType, "objectType");
        java.util.Objects.requireNonNull(field, "field");
        engine.checkOpen();
        spec(objectType, field);
        return start(objectType, field);
    }

    /** Starts a recalculation after a roll-up field was added or changed; never throws for a closing engine. */
    void recalculateInBackground(String objectType, String field) {
        try {
            start(objectType, field);
        } catch (CrmException e) {
            LOG.warn("roll-up {}.{} not recalculated: {}", objectType, field, e.getMessage());
        }
    }

    @Override
    public List<RecalculationJob> jobs() {
        return List.copyOf(jobs);
    }

    private RollupSpec spec(String objectType, String field) {
        CompiledSchema cs = engine.schema.compiled();
        if (cs.snapshot.findObjectType(objectType).isEmpty()) {
            throw SchemaService.unknownType(objectType);
        }
        RollupSpec spec = cs.rollup(objectType, field);
        if (spec == null) {
            throw new SchemaException(SchemaException.Problem.INVALID_DEFINITION, objectType, field,
                    "not a roll-up field of " + objectType);
        }
        return spec;
    }

    private Job start(String objectType, String field) {
        Job job = new Job(objectType, field);
        jobs.add(job);
        try {
            thread.execute(job::run);
        } catch (CrmException e) {
            jobs.remove(job);
            throw e;
        }
        return job;
    }

    /** Drops the oldest ended jobs past {@link RollupAdmin#ENDED_KEPT}. */
    private synchronized void forgetEnded() {
        List<Job> ended = jobs.stream().filter(j -> j.result.isDone()).toList();
        for (int i = 0; i < ended.size() - ENDED_KEPT; i++) {
            jobs.remove(ended.get(i));
        }
    }

    @Override
    public void close() {
        thread.close(() -> jobs.forEach(Job::cancel));
    }

    /** One recalculation. */
    private final class Job implements RecalculationJob {
        private final String objectType;
        private final String field;
        private volatile RecalculationProgress progress;
        private final CompletableFuture<RecalculationProgress> result = new CompletableFuture<>();
        private volatile boolean cancelled;

        Job(String objectType, String field) {
            this.objectType = objectType;
            this.field = field;
            this.progress = new RecalculationProgress(objectType, field, 0, 0, 0, false);
        }

        @Override
        public String objectType() {
            return objectType;
        }

        @Override
        public String field() {
            return field;
        }

        @Override
        public RecalculationProgress progress() {
            return progress;
        }

        @Override
        public CompletionStage<RecalculationProgress> result() {
            return result.minimalCompletionStage();
        }

        @Override
        public boolean cancel() {
            cancelled = true;
            return !result.isDone();
        }

        /** Most runs of one step ({@link #retrying}). */
        private static final int ATTEMPTS = 5;

        void run() {
            try {
                if (cancelled) {
                    throw new CancellationException("cancelled");
                }
                RecalculationProgress last = recalculate();
                progress = last;
                result.complete(last);
            } catch (RuntimeException e) {
                RecalculationProgress p = progress;
                progress = new RecalculationProgress(objectType, field, p.processed(), p.total(), p.changed(),
                        true);
                if (!(e instanceof CancellationException)) {
                    LOG.warn("roll-up recalculation of {}.{} failed", objectType, field, e);
                }
                result.completeExceptionally(e);
            } finally {
                forgetEnded();
            }
        }

        private RecalculationProgress recalculate() {
            long total = retrying(() -> engine.transaction(tx -> tx.storage.count(objectType, ResolvedFilter.ALL,
                    Query.Deleted.INCLUDE)));
            long processed = 0;
            long changed = 0;
            progress = new RecalculationProgress(objectType, field, 0, total, 0, false);
            @Nullable
            UUID after = null;
            while (true) {
                if (cancelled || engine.isClosing()) {
                    throw new CancellationException("cancelled");
                }
                UUID from = after;
                List<UUID> page = retrying(() -> engine.transaction(tx -> ids(tx, from)));
                if (page.isEmpty()) {
                    return new RecalculationProgress(objectType, field, processed, total, changed, true);
                }
                int updated = retrying(() -> engine.transaction(tx -> {
                    CompiledSchema cs = engine.schema.compiled();
                    return keeper.recompute(tx, cs, objectType, recomputed(cs, Set.copyOf(page)),
                            Principal.SYSTEM_ID);
                }));
                processed += page.size();
                changed += updated;
                after = page.get(page.size() - 1);
                progress = new RecalculationProgress(objectType, field, processed, Math.max(total, processed),
                        changed, false);
            }
        }

        /**
         * What one page recomputes: the field, and the type's other counts and sums. Their kept totals
         * ({@link RollupTotals}) hold only for the schema version that wrote them, and the schema change that
         * started this job made a new one; recomputing them here (usually in the same aggregate) spares each
         * parent's next write a recomputation.
         */
        private Map<RollupSpec, Set<UUID>> recomputed(CompiledSchema cs, Set<UUID> page) {
            Map<RollupSpec, Set<UUID>> out = new java.util.LinkedHashMap<>();
            out.put(spec(objectType, field), page);
            cs.rollupsHeldBy(objectType).values().stream().filter(s -> cs.rollupDelta(s) != null)
                    .forEach(s -> out.putIfAbsent(s, page));
            return out;
        }

        /**
         * Runs one step again when a schema change ran beside it (a job starts right after the change that made
         * it, and another change may follow at once: H2 rebuilds a table to add a column, and a query in between
         * finds no table); up to {@value #ATTEMPTS} times.
         */
        private <T> T retrying(java.util.function.Supplier<T> step) {
            for (int attempt = 1;; attempt++) {
                try {
                    return step.get();
                } catch (org.crmkit.error.SchemaException e) {
                    if (e.problem() != org.crmkit.error.SchemaException.Problem.CONCURRENT_CHANGE
                            || attempt >= ATTEMPTS) {
                        throw e;
                    }
                }
            }
        }

        /** The next page of record ids after {@code after}, in the storage's id order. */
        private List<UUID> ids(Tx tx, @Nullable UUID after) {
            CompiledSchema cs = engine.schema.compiled();
            List<Sort> byId = List.of(Sort.asc("id"));
            StorageQuery q = new StorageQuery(Filter.ALL, byId, RollupKeeper.CHUNK,
                    after == null ? null : new ArrayList<>(List.of(after)), Query.Deleted.INCLUDE,
                    ResolvedPaths.resolve(cs.snapshot, objectType, Filter.ALL, byId));
            return tx.storage.query(objectType, q).stream().map(Record::id).toList();
        }
    }
}
