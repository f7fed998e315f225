package org.crmkit.storage.spi;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.jspecify.annotations.Nullable;

/**
 * What the engine's privacy operations ({@code CrmSession.privacy()}: erasure and change-log retention) need of a
 * storage beyond records and the change log: an optional extension ({@code storage.extension(PrivacyStore.class)}).
 * It rewrites what the storage otherwise never changes once committed (change-log entries, the payloads of the
 * workflow's job rows) and deletes old change-log entries. Writes take the engine's transaction and commit or roll
 * back with it. The {@code PrivacyContract} of {@code crm-testkit} is the executable contract.
 *
 * <p>Texts are searched in the stored form (the JSON the storage keeps) and compared case-insensitively (lower case
 * with {@link java.util.Locale#ROOT}); a search may return more than matches (the engine checks every answer again),
 * never less.
 */
public interface PrivacyStore {
    /**
     * Locks privacy work until {@code transaction} ends: a second transaction asking waits, on every node sharing
     * the storage, so two erasures never rewrite one entry from two stale reads.
     */
    void lock(StorageTransaction transaction);

    /**
     * Up to {@code limit} committed change-log entries after {@code afterSequence}, in sequence order, whose stored
     * field changes hold one of {@code texts} (case-insensitively); others may come too.
     */
    List<ChangeLogEntry> changesMentioning(Collection<String> texts, long afterSequence, int limit);

    /**
     * Replaces, with {@code transaction}, the field changes of committed change-log entries, by sequence; sequence,
     * time, principal, type, record, operation, version and transaction stay. A sequence no longer there is skipped.
     */
    void rewriteChanges(StorageTransaction transaction, Map<Long, List<FieldChange>> changes);

    /**
     * Deletes, with {@code transaction}, the committed change-log entries of {@code objectType} written before
     * {@code before} whose sequence is after {@code afterSequence} and at most {@code throughSequence}; returns their
     * sequences, in order. Their seals ({@link ChangeLogSeals}) stay. The engine never asks for the newest entry of the log, so {@link Storage#lastSequence()} stays, and
     * sequences are never handed out again.
     */
    List<Long> pruneChanges(StorageTransaction transaction, String objectType, Instant before, long afterSequence,
            long throughSequence);

    /**
     * The storage's job rows (those of its {@code JobQueue} extension, in any state) whose payload or last error
     * holds one of {@code texts} (case-insensitively); none when it keeps no job queue.
     */
    List<JobText> jobsMentioning(Collection<String> texts);

    /**
     * Replaces, with {@code transaction}, the payload and last error of job rows, by id; everything else stays. A job
     * no longer there is skipped.
     */
    void rewriteJobs(StorageTransaction transaction, List<JobText> jobs);

    /**
     * The texts of one job row.
     *
     * @param id        the job
     * @param payload   its payload
     * @param lastError its last error, if any
     */
    record JobText(UUID id, String payload, @Nullable String lastError) {
        public JobText {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(payload, "payload");
        }
    }
}
