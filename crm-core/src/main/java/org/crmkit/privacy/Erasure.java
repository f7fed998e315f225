package org.crmkit.privacy;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The record of one erasure ({@link Privacy#erase}), kept by the storage for accountability (GDPR Art. 5(2), 30):
 * who erased and when, and how much, but nothing about whom: no email, phone, name or record id of the person. Give
 * {@link #id()} to the person as the receipt of their request.
 *
 * @param id                   a random id of this erasure
 * @param at                   when it committed
 * @param principalId          who erased
 * @param recordsErased        how many records were purged, by object type
 * @param valuesCleared        how many fields of records kept (companies) were emptied
 * @param referencesCleared    how many references of records kept pointed at purged records and were cleared
 * @param changesRedacted      how many change-log entries had values redacted
 * @param jobsRedacted         how many workflow jobs had their payload or error redacted
 * @param summariesDropped     how many pre-computed report summaries still held a value and were dropped
 * @param searchIndexExpunged  whether the search index has dropped the records' documents and rewritten its files
 *                             without them before the erasure returned (false: it had not caught up in time; it
 *                             does when it does)
 */
public record Erasure(UUID id, Instant at, String principalId, Map<String, Integer> recordsErased,
        int valuesCleared, int referencesCleared, int changesRedacted, int jobsRedacted, int summariesDropped,
        boolean searchIndexExpunged) {
    public Erasure {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(principalId, "principalId");
        recordsErased = Map.copyOf(recordsErased);
    }

    /** How many records were purged, of every type. */
    public int records() {
        return recordsErased.values().stream().mapToInt(Integer::intValue).sum();
    }
}
