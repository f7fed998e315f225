package org.crmkit.workflow.spi;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.crmkit.storage.spi.StorageTransaction;
import org.jspecify.annotations.Nullable;

/**
 * A durable job queue kept by a storage (its extension {@code storage.extension(JobQueue.class)}), for the workflow
 * engine. Jobs are written in
 * the transaction of the change that causes them, claimed by workers under a lease that heartbeats extend, and end
 * done or dead (a dead letter an operator may retry). A lease that runs out (its worker died) makes the job
 * claimable again. The {@code JobQueueContract} of {@code crm-testkit} is the executable contract.
 *
 * <p>Each job has a unique key: enqueueing a key that any job (in any state) holds already is skipped, so
 * re-planning the same work is harmless. Jobs of a group that have not started can be cancelled together.
 */
public interface JobQueue {
    /**
     * Stages jobs in {@code transaction}: they are written with its commit and vanish with its rollback. A job whose
     * key is held by a committed job, or by a job staged before it, is left out without error.
     */
    void enqueue(StorageTransaction transaction, List<NewJob> jobs);

    /**
     * Deletes, with {@code transaction}, the jobs of {@code group} that are waiting ({@link JobState#READY}); jobs
     * already running, done or dead stay. Returns how many were found (the count may include jobs another
     * transaction then claims first, which stay).
     */
    int cancel(StorageTransaction transaction, String group);

    /**
     * Claims, in a transaction of its own, up to {@code limit} jobs that are due at {@code now}: waiting jobs whose
     * run time has come and running jobs whose lease ran out before {@code now}, earliest first. Each claimed job is
     * {@link JobState#RUNNING} for {@code worker} until {@code leaseUntil}, with its attempt count raised by one.
     * Two workers never claim the same job at once (SQL storages lock with {@code FOR UPDATE SKIP LOCKED}).
     */
    List<ClaimedJob> claim(String worker, int limit, Instant now, Instant leaseUntil);

    /** Extends to {@code leaseUntil} the leases that {@code worker} still holds among these claims; returns those. */
    Set<UUID> heartbeat(String worker, Collection<ClaimedJob> jobs, Instant leaseUntil);

    /**
     * Marks the claimed job done, with {@code transaction}, so that its effects written in the same transaction and
     * its completion commit together. If the claim was lost meanwhile (the lease ran out and another worker claimed
     * the job) this call or the commit fails with {@link org.crmkit.error.ConflictException}, and nothing of the
     * transaction is written.
     */
    default void complete(StorageTransaction transaction, ClaimedJob job, Instant at) {
        complete(transaction, job, at, true);
    }

    /**
     * {@link #complete(StorageTransaction, ClaimedJob, Instant)}, keeping the job as {@link JobState#DONE} (its key
     * keeps deduping until {@link #purgeDone}) or, with {@code keep} false, deleting it at once.
     */
    void complete(StorageTransaction transaction, ClaimedJob job, Instant at, boolean keep);

    /**
     * Records a failed attempt in a transaction of its own: the job waits again until {@code retryAt}, or, with
     * {@code retryAt} null, becomes {@link JobState#DEAD} keeping {@code error}. Returns false (and changes nothing)
     * when the claim was lost.
     */
    boolean fail(ClaimedJob job, String error, @Nullable Instant retryAt, Instant at);

    /** Up to {@code limit} jobs in {@code state}, oldest run time first. */
    List<JobInfo> list(JobState state, int limit);

    Optional<JobInfo> find(UUID id);

    /** The committed job holding a key, in any state. */
    Optional<JobInfo> findByKey(String key);

    /** A dead job waits again from {@code runAt} with no attempts counted; false if it is not dead. */
    boolean retry(UUID id, Instant runAt);

    /** How many jobs are in each state (every state present, zero when none). */
    Map<JobState, Long> counts();

    /** Deletes up to {@code limit} done jobs that finished before {@code before}; returns how many. */
    int purgeDone(Instant before, int limit);

    /**
     * The next value (1, 2, 3...) of a named counter, taken with {@code transaction}: a rollback gives the value back,
     * and concurrent transactions get distinct values (the second waits for the first). For round-robin assignment.
     */
    long nextValue(StorageTransaction transaction, String counter);

    /** A job to write; {@code group} (nullable) lets waiting jobs be cancelled together. */
    record NewJob(UUID id, String kind, String key, @Nullable String group, String payload, Instant runAt,
            Instant createdAt) {
        public NewJob {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(runAt, "runAt");
            Objects.requireNonNull(createdAt, "createdAt");
        }
    }

    /** A job as claimed: {@code attempt} (from 1) and {@code worker} identify the claim. */
    record ClaimedJob(UUID id, String kind, String key, @Nullable String group, String payload, Instant runAt,
            int attempt, String worker, Instant leaseUntil, Instant createdAt) {
        public ClaimedJob {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(runAt, "runAt");
            Objects.requireNonNull(worker, "worker");
            Objects.requireNonNull(leaseUntil, "leaseUntil");
            Objects.requireNonNull(createdAt, "createdAt");
        }
    }

    /** A stored job as an operator sees it. */
    record JobInfo(UUID id, String kind, String key, @Nullable String group, String payload, JobState state,
            int attempts, Instant runAt, @Nullable String worker, @Nullable String lastError, Instant createdAt,
            @Nullable Instant finishedAt) {
        public JobInfo {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(runAt, "runAt");
            Objects.requireNonNull(createdAt, "createdAt");
        }
    }

    /** The life of a job. */
    enum JobState {
        /** Waiting for its run time. */
        READY,
        /** Claimed by a worker (or its lease ran out and it waits to be claimed again). */
        RUNNING,
        /** Finished; kept for a while so its key is not planned again. */
        DONE,
        /** Failed every attempt; kept with its last error until an operator retries it. */
        DEAD
    }
}
