package org.crmkit.storage.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.crmkit.error.ConflictException;
import org.crmkit.error.StorageException;
import org.crmkit.storage.spi.StorageTransaction;
import org.crmkit.workflow.spi.JobQueue;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * The job queue on SQL ({@code crmkit_job}). Claims lock with {@code FOR UPDATE SKIP LOCKED}: on PostgreSQL in one
 * {@code UPDATE ... WHERE id IN (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED) RETURNING ...}; on MariaDB a locking
 * SELECT then an UPDATE in one transaction; on H2, which applies LIMIT before it skips locked rows (a second claimer
 * would find nothing), a plain SELECT of a few times more candidates than asked, then the locking SELECT of those by
 * id, then the UPDATE of at most the asked number. Enqueue, cancel and complete run on the caller's transaction.
 */
public final class JdbcJobQueue implements JobQueue {
    private static final String READY = JobState.READY.name();
    private static final String RUNNING = JobState.RUNNING.name();

    private final JdbcStore store;
    final JobTables t;

    /** The hot PostgreSQL statements, rendered on first use (racing threads render the same text). */
    private volatile @Nullable RenderedStatement claimPostgres;
    private volatile @Nullable RenderedStatement deletePostgres;

    public JdbcJobQueue(JdbcStore store) {
        this.store = store;
        this.t = new JobTables(store.naming());
    }

    static DSLContext joined(JdbcStore store, StorageTransaction tx) {
        if (tx.unwrap() instanceof JdbcTransaction j) {
            return j.joined(store);
        }
        throw new IllegalArgumentException("not a transaction of a JDBC storage: " + tx.getClass().getName());
    }

    private static java.time.LocalDateTime utc(Instant i) {
        return Objects.requireNonNull(RecordTable.utc(i));
    }

    /**
     * Runs {@code work} in a transaction of its own, committing when it returns. Where writers are serialized (H2)
     * it takes the store's write lock like every writing transaction there (see
     * {@link DatabaseStrategy#serializesWriters()}).
     */
    private <T> T ownTransaction(String doing, Function<DSLContext, T> work) {
        boolean serialized = store.database().serializesWriters();
        if (serialized) {
            store.lockWrites();
        }
        try {
            return ownTransactionLocked(doing, work);
        } finally {
            if (serialized) {
                store.unlockWrites();
            }
        }
    }

    private <T> T ownTransactionLocked(String doing, Function<DSLContext, T> work) {
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            try {
                T result = work.apply(store.dsl(c));
                c.commit();
                return result;
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw store.errors().storage(doing, e);
        } catch (RuntimeException e) {
            throw store.errors().map(e, null, null, doing);
        }
    }

    @Override
    public void enqueue(StorageTransaction transaction, List<NewJob> jobs) {
        if (jobs.isEmpty()) {
            return;
        }
        DSLContext d = joined(store, transaction);
        store.errors().mapping("enqueueing jobs", () -> {
            for (NewJob j : jobs) {
                // one row a statement: a multi-row upsert is emulated unevenly across dialects, and a key held by an
                // earlier row of the same batch must be skipped too
                d.insertInto(t.job, t.id, t.kind, t.key, t.group, t.payload, t.state, t.attempts, t.runAt, t.dueAt,
                        t.createdAt)
                        .values(j.id(), j.kind(), j.key(), j.group(), j.payload(), READY, 0, utc(j.runAt()),
                                utc(j.runAt()), utc(j.createdAt()))
                        .onConflict(t.keyQualified).doNothing().execute();
            }
            return null;
        });
    }

    @Override
    public int cancel(StorageTransaction transaction, String group) {
        DSLContext d = joined(store, transaction);
        return store.errors().mapping("cancelling jobs of " + group, () -> d.deleteFrom(t.job).where(t.group.eq(group))
                .and(t.state.eq(READY)).execute());
    }

    private List<org.jooq.Field<?>> columns() {
        return List.of(t.id, t.kind, t.key, t.group, t.payload, t.runAt, t.attempts, t.createdAt);
    }

    /** A row the PostgreSQL claim returned: {@link #columns()} in order, {@code attempts} already raised. */
    private static ClaimedJob claimed(java.sql.ResultSet row, String worker, Instant leaseUntil) throws SQLException {
        return new ClaimedJob(row.getObject(1, UUID.class), row.getString(2), row.getString(3), row.getString(4),
                row.getString(5), RecordTable.requiredInstant(row.getObject(6, java.time.LocalDateTime.class)),
                row.getInt(7),
                worker, leaseUntil, RecordTable.requiredInstant(row.getObject(8, java.time.LocalDateTime.class)));
    }

    /** A job locked by a claim whose UPDATE raised {@code attempts} after the row was read. */
    private ClaimedJob claimed(org.jooq.Record r, String worker, Instant leaseUntil) {
        return new ClaimedJob(r.get(t.id), r.get(t.kind), r.get(t.key), r.get(t.group), r.get(t.payload),
                RecordTable.requiredInstant(r.get(t.runAt)), r.get(t.attempts) + 1, worker, leaseUntil,
                RecordTable.requiredInstant(r.get(t.createdAt)));
    }

    @Override
    public List<ClaimedJob> claim(String worker, int limit, Instant now, Instant leaseUntil) {
        if (limit < 1) {
            return List.of();
        }
        Condition due = t.dueAt.le(utc(now));
        if (store.database().claimsJobsInOneStatement()) {
            return store.read("claiming jobs", d -> d.connectionResult(c -> claimStatement(d).rows(c,
                    row -> claimed(row, worker, leaseUntil), RUNNING, worker, 1, utc(leaseUntil), utc(now),
                    (long) limit)));
        }
        return ownTransaction("claiming jobs", d -> {
            List<org.jooq.Record> locked;
            if (store.database().appliesLimitBeforeSkipLocked()) {
                List<UUID> candidates = d.select(t.id).from(t.job).where(due).orderBy(t.dueAt, t.id).limit(limit * 4)
                        .fetch(t.id);
                if (candidates.isEmpty()) {
                    return List.of();
                }
                locked = new ArrayList<>(d.select(columns()).select(t.dueAt).from(t.job).where(t.id.in(candidates))
                        .and(due).forUpdate().skipLocked().fetch());
                locked.sort(
                        Comparator.comparing((org.jooq.Record r) -> r.get(t.dueAt)).thenComparing(r -> r.get(t.id)));
                locked = locked.subList(0, Math.min(limit, locked.size()));
            } else {
                locked = new ArrayList<>(d.select(columns()).from(store.database().claimSource(t.job, t.dueIndex))
                        .where(due).orderBy(t.dueAt, t.id).limit(limit).forUpdate().skipLocked().fetch());
            }
            if (locked.isEmpty()) {
                return List.of();
            }
            List<UUID> ids = locked.stream().map(r -> r.get(t.id)).toList();
            d.update(t.job).set(t.state, RUNNING).set(t.worker, worker).set(t.attempts, t.attempts.plus(1))
                    .set(t.dueAt, utc(leaseUntil)).where(t.id.in(ids)).execute();
            return locked.stream().map(r -> claimed(r, worker, leaseUntil)).toList();
        });
    }

    /**
     * PostgreSQL's claim, in one statement: {@code UPDATE ... WHERE id IN (SELECT ... ORDER BY due_at, id LIMIT ?
     * FOR UPDATE SKIP LOCKED) RETURNING} the columns of {@link #columns()}, attempts already raised; rendered once.
     */
    private RenderedStatement claimStatement(DSLContext d) {
        RenderedStatement s = claimPostgres;
        if (s == null) {
            java.time.LocalDateTime lease = java.time.LocalDateTime.of(2001, 1, 1, 0, 0);
            java.time.LocalDateTime now = java.time.LocalDateTime.of(2002, 2, 2, 0, 0);
            s = new RenderedStatement(d, d.update(t.job).set(t.state, RUNNING).set(t.worker, "w")
                    .set(t.attempts, t.attempts.plus(1)).set(t.dueAt, lease)
                    .where(t.id.in(DSL.select(t.id).from(t.job).where(t.dueAt.le(now)).orderBy(t.dueAt, t.id)
                            .limit(7).forUpdate().skipLocked()))
                    .returningResult(columns()), List.of(RUNNING, "w", 1, lease, now, 7L));
            claimPostgres = s;
        }
        return s;
    }

    /** PostgreSQL's completion of a claimed job that is not kept: the delete of {@link #held}, rendered once. */
    private RenderedStatement deleteStatement(DSLContext d) {
        RenderedStatement s = deletePostgres;
        if (s == null) {
            UUID id = new UUID(1, 2);
            s = new RenderedStatement(d, d.deleteFrom(t.job).where(held(id, "w", 3)), List.of(id, "w", 3, RUNNING));
            deletePostgres = s;
        }
        return s;
    }

    private Condition held(ClaimedJob job) {
        return held(job.id(), job.worker(), job.attempt());
    }

    private Condition held(UUID id, String worker, int attempt) {
        return t.id.eq(id).and(t.worker.eq(worker)).and(t.attempts.eq(attempt)).and(t.state.eq(RUNNING));
    }

    @Override
    public Set<UUID> heartbeat(String worker, Collection<ClaimedJob> jobs, Instant leaseUntil) {
        List<UUID> ids = jobs.stream().filter(j -> j.worker().equals(worker)).map(ClaimedJob::id).toList();
        if (ids.isEmpty()) {
            return Set.of();
        }
        return ownTransaction("extending job leases", d -> {
            Condition mine = t.id.in(ids).and(t.worker.eq(worker)).and(t.state.eq(RUNNING));
            d.update(t.job).set(t.dueAt, utc(leaseUntil)).where(mine).execute();
            return new HashSet<>(d.select(t.id).from(t.job).where(mine).fetch(t.id));
        });
    }

    /**
     * Runs at the commit of {@code transaction} (alone in autocommit mode when nothing else was written, so a job
     * without database effects costs one statement to finish).
     */
    @Override
    public void complete(StorageTransaction transaction, ClaimedJob job, Instant at, boolean keep) {
        if (!(transaction.unwrap() instanceof JdbcTransaction tx)) {
            throw new IllegalArgumentException(
                    "not a transaction of a JDBC storage: " + transaction.getClass().getName());
        }
        tx.atCommit(store, d -> {
            int n = store.errors().mapping("completing job " + job.key(), () -> keep
                    ? d.update(t.job).set(t.state, JobState.DONE.name()).setNull(t.dueAt).set(t.finishedAt, utc(at))
                            .where(held(job)).execute()
                    : store.database().runsRenderedStatements()
                            ? d.connectionResult(
                                    c -> deleteStatement(d).update(c, job.id(), job.worker(), job.attempt(),
                                            RUNNING))
                    : d.deleteFrom(t.job).where(held(job)).execute());
            if (n != 1) {
                throw new ConflictException("job " + job.key(), job.id(), job.attempt(), -1);
            }
        });
    }

    @Override
    public boolean fail(ClaimedJob job, String error, @Nullable Instant retryAt, Instant at) {
        String kept = error.length() > 4000 ? error.substring(0, 4000) : error;
        return store.write("recording a failed job", d -> {
            var set = d.update(t.job).set(t.lastError, kept);
            var next = retryAt == null
                    ? set.set(t.state, JobState.DEAD.name()).setNull(t.dueAt).set(t.finishedAt, utc(at))
                    : set.set(t.state, READY).set(t.runAt, utc(retryAt)).set(t.dueAt, utc(retryAt));
            return next.where(held(job)).execute() == 1;
        });
    }

    private JobInfo info(org.jooq.Record r) {
        return new JobInfo(r.get(t.id), r.get(t.kind), r.get(t.key), r.get(t.group), r.get(t.payload),
                JobState.valueOf(r.get(t.state)), r.get(t.attempts), RecordTable.requiredInstant(r.get(t.runAt)),
                r.get(t.worker), r.get(t.lastError), RecordTable.requiredInstant(r.get(t.createdAt)),
                RecordTable.instant(r.get(t.finishedAt)));
    }

    private List<org.jooq.Field<?>> allColumns() {
        return List.of(t.id, t.kind, t.key, t.group, t.payload, t.state, t.attempts, t.runAt, t.worker, t.lastError,
                t.createdAt, t.finishedAt);
    }

    @Override
    public List<JobInfo> list(JobState state, int limit) {
        return store.read("listing jobs", d -> d.select(allColumns()).from(t.job).where(t.state.eq(state.name()))
                .orderBy(t.runAt, t.id).limit(limit).fetch(this::info));
    }

    @Override
    public Optional<JobInfo> find(UUID id) {
        return store.read("reading a job", d -> d.select(allColumns()).from(t.job).where(t.id.eq(id))
                .fetchOptional(this::info));
    }

    @Override
    public Optional<JobInfo> findByKey(String key) {
        return store.read("reading a job", d -> d.select(allColumns()).from(t.job).where(t.key.eq(key))
                .fetchOptional(this::info));
    }

    @Override
    public boolean retry(UUID id, Instant runAt) {
        return store.write("retrying a job", d -> d.update(t.job).set(t.state, READY).set(t.attempts, 0)
                .set(t.runAt, utc(runAt)).set(t.dueAt, utc(runAt)).setNull(t.finishedAt).setNull(t.worker)
                .where(t.id.eq(id)).and(t.state.eq(JobState.DEAD.name())).execute() == 1);
    }

    @Override
    public Map<JobState, Long> counts() {
        Map<JobState, Long> out = new EnumMap<>(JobState.class);
        for (JobState s : JobState.values()) {
            out.put(s, 0L);
        }
        store.read("counting jobs", d -> d.select(t.state, DSL.count()).from(t.job).groupBy(t.state).fetch())
                .forEach(r -> out.put(JobState.valueOf(r.value1()), r.value2().longValue()));
        return out;
    }

    @Override
    public int purgeDone(Instant before, int limit) {
        return store.write("purging done jobs", d -> {
            List<UUID> ids = d.select(t.id).from(t.job).where(t.state.eq(JobState.DONE.name()))
                    .and(t.finishedAt.lt(utc(before))).limit(limit).fetch(t.id);
            return ids.isEmpty() ? 0 : d.deleteFrom(t.job).where(t.id.in(ids)).execute();
        });
    }

    @Override
    public long nextValue(StorageTransaction transaction, String counter) {
        return next(joined(store, transaction), counter);
    }

    /** Raises a counter row (made on first use) and returns its new value; the row stays locked until commit. */
    long next(DSLContext d, String counter) {
        return store.errors().mapping("taking counter " + counter, () -> {
            Long v = raise(d, counter);
            if (v == null) {
                d.insertInto(t.counter, t.counterName, t.counterValue).values(counter, 0L)
                        .onConflict(t.counterNameQualified).doNothing().execute();
                v = raise(d, counter);
            }
            if (v == null) {
                throw new StorageException("counter " + counter + " could not be taken");
            }
            return v;
        });
    }

    private @Nullable Long raise(DSLContext d, String counter) {
        var update = d.update(t.counter).set(t.counterValue, t.counterValue.plus(1)).where(t.counterName.eq(counter));
        if (!store.database().returnsFromUpdate()) {
            if (update.execute() == 0) {
                return null;
            }
            return d.select(t.counterValue).from(t.counter).where(t.counterName.eq(counter)).fetchOne(t.counterValue);
        }
        var r = update.returningResult(t.counterValue).fetchOptional();
        return r.map(org.jooq.Record1::value1).orElse(null);
    }
}
