package org.crmkit.event;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One committed change of one record, as kept in the change log: the audit trail, field history and the feed
 * that search, caches and workflows follow.
 *
 * @param sequence      position in the log, strictly increasing in commit order
 * @param at            when the transaction wrote it
 * @param principalId   who made the change
 * @param objectType    the record's type
 * @param recordId      the record
 * @param operation     what was done
 * @param version       the record's version after the change (the last version for a purge)
 * @param changes       the fields whose values changed, with old and new values
 * @param transactionId the transaction that made it; entries of one transaction share it
 */
public record ChangeLogEntry(long sequence, Instant at, String principalId, String objectType, UUID recordId,
        Operation operation, long version, List<FieldChange> changes, UUID transactionId) {

    public ChangeLogEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(principalId, "principalId");
        Objects.requireNonNull(objectType, "objectType");
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(changes, "changes");
        Objects.requireNonNull(transactionId, "transactionId");
        changes = List.copyOf(changes);
    }

    public Optional<FieldChange> change(String field) {
        return changes.stream().filter(c -> c.field().equals(field)).findFirst();
    }

    /** A copy holding only the field changes whose field passes {@code keep}. */
    public ChangeLogEntry onlyFields(java.util.function.Predicate<String> keep) {
        return new ChangeLogEntry(sequence, at, principalId, objectType, recordId, operation, version,
                changes.stream().filter(c -> keep.test(c.field())).toList(), transactionId);
    }
}
