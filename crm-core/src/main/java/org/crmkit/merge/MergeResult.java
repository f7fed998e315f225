package org.crmkit.merge;

import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.crmkit.record.Record;

/**
 * What a {@link org.crmkit.RecordSet#merge merge} did: the surviving record as the caller may see it now, and the
 * records merged into it (soft-deleted, each linked to the survivor: {@code get} on one of them throws
 * {@link org.crmkit.error.RecordMergedException} naming the survivor).
 *
 * @param survivor      the surviving record after the merge, hidden fields removed
 * @param merged        the ids of the records merged into it, in the order given
 * @param transactionId the transaction of the merge: every change-log entry it wrote carries it
 */
public record MergeResult(Record survivor, List<UUID> merged, UUID transactionId) {
    public MergeResult {
        Objects.requireNonNull(survivor, "survivor");
        Objects.requireNonNull(transactionId, "transactionId");
        merged = List.copyOf(merged);
    }
}
