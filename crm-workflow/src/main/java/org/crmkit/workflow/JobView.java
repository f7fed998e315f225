package org.crmkit.workflow;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A job as an operator sees it.
 *
 * @param key     the idempotency key: unique, the same across retries
 * @param rule    the rule (or submitted action) it runs, when known
 * @param worker  the node that last claimed it
 */
public record JobView(UUID id, String kind, String key, @Nullable String rule, Status status, int attempts,
        Instant runAt, @Nullable String worker, @Nullable String lastError, Instant createdAt,
        @Nullable Instant finishedAt) {
    public JobView {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(runAt, "runAt");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** The life of a job. */
    public enum Status {
        /** Waiting for its run time. */
        READY,
        /** Claimed by a worker. */
        RUNNING,
        /** Finished. */
        DONE,
        /** Failed every attempt, or failed for good; see {@link JobView#lastError()}. */
        DEAD
    }
}
