package org.crmkit.storage.memory.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.crmkit.error.ConflictException;
import org.crmkit.storage.spi.StorageTransaction;
import org.crmkit.workflow.spi.JobQueue;
import org.jspecify.annotations.Nullable;

/**
 * The job queue of the in-memory storage: jobs in a map guarded by this object's monitor; what a transaction stages
 * is applied by its commit ({@link MemoryTransaction.CommitPart}), so it shares the transaction's fate.
 */
public final class MemoryJobQueue implements JobQueue {
    /** One stored job; replaced whole on every change. */
    private record Job(UUID id, String kind, String key, @Nullable String group, String payload, JobState state,
            int attempts, Instant runAt, @Nullable String worker, @Nullable Instant leaseUntil,
            @Nullable String lastError, Instant createdAt, @Nullable Instant finishedAt) {
        Instant due() {
            // a running job always has a lease (claim and heartbeat set it)
            return state == JobState.RUNNING ? Objects.requireNonNull(leaseUntil, "leaseUntil") : runAt;
        }

        Job with(JobState s, int a, Instant run, @Nullable String w, @Nullable Instant lease, @Nullable String error,
                @Nullable Instant finished) {
            return new Job(id, kind, key, group, payload, s, a, run, w, lease, error, createdAt, finished);
        }

        JobInfo info() {
            return new JobInfo(id, kind, key, group, payload, state, attempts, runAt, worker, lastError, createdAt,
                    finishedAt);
        }
    }

    private final MemoryStore store;
    private final Map<UUID, Job> jobs = new LinkedHashMap<>();
    private final Map<String, UUID> byKey = new HashMap<>();
    private final Map<String, Long> counters = new HashMap<>();

    public MemoryJobQueue(MemoryStore store) {
        this.store = store;
    }

    private static MemoryTransaction memory(StorageTransaction tx) {
        if (tx.unwrap() instanceof MemoryTransaction m) {
            return m;
        }
        throw new IllegalArgumentException("not a transaction of the in-memory storage: " + tx.getClass().getName());
    }

    /** Work that applies with the transaction's commit (under this queue's monitor) and needs no check. */
    private void atCommit(StorageTransaction transaction, Runnable apply) {
        memory(transaction).addCommitPart(new MemoryTransaction.CommitPart() {
            @Override
            public void check() {}

            @Override
            public void apply() {
                synchronized (MemoryJobQueue.this) {
                    apply.run();
                }
            }
        });
    }

    @Override
    public void enqueue(StorageTransaction transaction, List<NewJob> newJobs) {
        List<NewJob> copy = List.copyOf(newJobs);
        atCommit(transaction, () -> {
            for (NewJob j : copy) {
                if (!byKey.containsKey(j.key())) {
                    jobs.put(j.id(), new Job(j.id(), j.kind(), j.key(), j.group(), j.payload(), JobState.READY, 0,
                            j.runAt(), null, null, null, j.createdAt(), null));
                    byKey.put(j.key(), j.id());
                }
            }
        });
    }

    @Override
    public int cancel(StorageTransaction transaction, String group) {
        int found;
        synchronized (this) {
            found = (int) jobs.values().stream().filter(j -> group.equals(j.group()) && j.state() == JobState.READY)
                    .count();
        }
        atCommit(transaction, () -> jobs.values().removeIf(j -> {
            boolean gone = group.equals(j.group()) && j.state() == JobState.READY;
            if (gone) {
                byKey.remove(j.key());
            }
            return gone;
        }));
        return found;
    }

    @Override
    public synchronized List<ClaimedJob> claim(String worker, int limit, Instant now, Instant leaseUntil) {
        store.checkOpen();
        List<Job> due = jobs.values().stream()
                .filter(j -> (j.state() == JobState.READY || j.state() == JobState.RUNNING) && !j.due().isAfter(now))
                .sorted(Comparator.comparing(Job::due).thenComparing(Job::id)).limit(limit).toList();
        List<ClaimedJob> out = new ArrayList<>(due.size());
        for (Job j : due) {
            Job claimed = j.with(JobState.RUNNING, j.attempts() + 1, j.runAt(), worker, leaseUntil, j.lastError(),
                    null);
            jobs.put(j.id(), claimed);
            out.add(new ClaimedJob(j.id(), j.kind(), j.key(), j.group(), j.payload(), j.runAt(), claimed.attempts(),
                    worker, leaseUntil, j.createdAt()));
        }
        return out;
    }

    /** The stored job of a claim that {@link #holds(ClaimedJob)} just confirmed. */
    private Job held(UUID id) {
        Job j = jobs.get(id);
        if (j == null) {
            throw new IllegalStateException("job " + id + " vanished while held");
        }
        return j;
    }

    private boolean holds(ClaimedJob c) {
        Job j = jobs.get(c.id());
        return j != null && j.state() == JobState.RUNNING && c.worker().equals(j.worker())
                && j.attempts() == c.attempt();
    }

    @Override
    public synchronized Set<UUID> heartbeat(String worker, Collection<ClaimedJob> claims, Instant leaseUntil) {
        store.checkOpen();
        Set<UUID> held = new HashSet<>();
        for (ClaimedJob c : claims) {
            if (c.worker().equals(worker) && holds(c)) {
                Job j = held(c.id());
                jobs.put(j.id(), j.with(j.state(), j.attempts(), j.runAt(), j.worker(), leaseUntil, j.lastError(),
                        null));
                held.add(c.id());
            }
        }
        return held;
    }

    @Override
    public void complete(StorageTransaction transaction, ClaimedJob job, Instant at, boolean keep) {
        memory(transaction).addCommitPart(new MemoryTransaction.CommitPart() {
            @Override
            public void check() {
                synchronized (MemoryJobQueue.this) {
                    if (!holds(job)) {
                        Job now = jobs.get(job.id());
                        throw new ConflictException("job " + job.key(), job.id(), job.attempt(),
                                now == null ? -1 : now.attempts());
                    }
                }
            }

            @Override
            public void apply() {
                synchronized (MemoryJobQueue.this) {
                    Job j = held(job.id());
                    if (keep) {
                        jobs.put(j.id(), j.with(JobState.DONE, j.attempts(), j.runAt(), j.worker(), null,
                                j.lastError(), at));
                    } else {
                        jobs.remove(j.id());
                        byKey.remove(j.key());
                    }
                }
            }
        });
    }

    @Override
    public synchronized boolean fail(ClaimedJob job, String error, @Nullable Instant retryAt, Instant at) {
        store.checkOpen();
        if (!holds(job)) {
            return false;
        }
        Job j = held(job.id());
        jobs.put(j.id(), retryAt == null
                ? j.with(JobState.DEAD, j.attempts(), j.runAt(), j.worker(), null, error, at)
                : j.with(JobState.READY, j.attempts(), retryAt, j.worker(), null, error, null));
        return true;
    }

    @Override
    public synchronized List<JobInfo> list(JobState state, int limit) {
        store.checkOpen();
        return jobs.values().stream().filter(j -> j.state() == state)
                .sorted(Comparator.comparing(Job::runAt).thenComparing(Job::id)).limit(limit).map(Job::info).toList();
    }

    @Override
    public synchronized Optional<JobInfo> find(UUID id) {
        store.checkOpen();
        return Optional.ofNullable(jobs.get(id)).map(Job::info);
    }

    @Override
    public synchronized Optional<JobInfo> findByKey(String key) {
        store.checkOpen();
        UUID id = byKey.get(key);
        return id == null ? Optional.empty() : Optional.ofNullable(jobs.get(id)).map(Job::info);
    }

    @Override
    public synchronized boolean retry(UUID id, Instant runAt) {
        store.checkOpen();
        Job j = jobs.get(id);
        if (j == null || j.state() != JobState.DEAD) {
            return false;
        }
        jobs.put(id, j.with(JobState.READY, 0, runAt, null, null, j.lastError(), null));
        return true;
    }

    @Override
    public synchronized Map<JobState, Long> counts() {
        store.checkOpen();
        Map<JobState, Long> out = new EnumMap<>(JobState.class);
        for (JobState s : JobState.values()) {
            out.put(s, 0L);
        }
        jobs.values().forEach(j -> out.merge(j.state(), 1L, Long::sum));
        return out;
    }

    @Override
    public synchronized int purgeDone(Instant before, int limit) {
        store.checkOpen();
        List<Job> old = jobs.values().stream().filter(j -> j.state() == JobState.DONE && j.finishedAt() != null
                && j.finishedAt().isBefore(before)).limit(limit).toList();
        for (Job j : old) {
            jobs.remove(j.id());
            byKey.remove(j.key());
        }
        return old.size();
    }

    /** A counter value taken by a transaction; the commit fails if another took the counter since. */
    private final class Take implements MemoryTransaction.CommitPart {
        final String counter;
        /** The committed value the taker saw; several takes of one transaction share it. */
        final long base;

        Take(String counter, long base) {
            this.counter = counter;
            this.base = base;
        }

        @Override
        public void check() {
            synchronized (MemoryJobQueue.this) {
                long committed = counters.getOrDefault(counter, 0L);
                if (committed != base) {
                    throw new ConflictException("counter " + counter, new UUID(0, 0), base, committed);
                }
            }
        }

        @Override
        public void apply() {
            synchronized (MemoryJobQueue.this) {
                counters.merge(counter, 1L, Long::sum);
            }
        }
    }

    @Override
    public long nextValue(StorageTransaction transaction, String counter) {
        MemoryTransaction tx = memory(transaction);
        long taken = tx.parts(Take.class).stream().filter(t -> t.counter.equals(counter)).count();
        long base;
        synchronized (this) {
            base = counters.getOrDefault(counter, 0L);
        }
        tx.addCommitPart(new Take(counter, base));
        return base + taken + 1;
    }

    /** The jobs whose payload or last error holds one of the texts (lower case), for privacy erasure. */
    synchronized List<org.crmkit.storage.spi.PrivacyStore.JobText> mentioning(
            java.util.function.Predicate<String> holds) {
        return jobs.values().stream().filter(j -> holds.test(j.payload()) || (j.lastError() != null
                && holds.test(j.lastError())))
                .map(j -> new org.crmkit.storage.spi.PrivacyStore.JobText(j.id(), j.payload(), j.lastError()))
                .toList();
    }

    /** Stages new payloads and errors of jobs, applied with {@code transaction}'s commit. */
    void rewrite(StorageTransaction transaction, List<org.crmkit.storage.spi.PrivacyStore.JobText> texts) {
        List<org.crmkit.storage.spi.PrivacyStore.JobText> copy = List.copyOf(texts);
        atCommit(transaction, () -> {
            for (org.crmkit.storage.spi.PrivacyStore.JobText t : copy) {
                Job j = jobs.get(t.id());
                if (j != null) {
                    jobs.put(j.id(), new Job(j.id(), j.kind(), j.key(), j.group(), t.payload(), j.state(),
                            j.attempts(), j.runAt(), j.worker(), j.leaseUntil(), t.lastError(), j.createdAt(),
                            j.finishedAt()));
                }
            }
        });
    }
}
