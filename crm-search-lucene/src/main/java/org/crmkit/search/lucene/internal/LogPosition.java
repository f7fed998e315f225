package org.crmkit.search.lucene.internal;

import java.util.List;
import java.util.Optional;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.storage.spi.Storage;
import org.jspecify.annotations.Nullable;

/**
 * What an index records of the change-log position it has applied, beyond the sequence number, to recognise a
 * storage that is not the one it was built from: the storage's {@link Storage#identity() identity} (another or a
 * new database) and a fingerprint of the entry at that sequence (the same database restored to an earlier point,
 * whose log then stops before the sequence, or has gone on past it with other changes). An entry that is missing
 * below the log's end was pruned by retention and is no sign of another database.
 */
final class LogPosition {
    private LogPosition() {}

    /** The fingerprint of one entry: its transaction (a random id per transaction), record and version. */
    static String fingerprint(ChangeLogEntry e) {
        return e.transactionId() + "/" + e.recordId() + "/" + e.version();
    }

    /** The fingerprint of the storage's entry at {@code sequence}; empty for 0 or when there is no such entry. */
    static String fingerprintAt(Storage storage, long sequence) {
        if (sequence <= 0) {
            return "";
        }
        List<ChangeLogEntry> at = storage.readChangeLog(sequence - 1, 1);
        return at.isEmpty() || at.get(0).sequence() != sequence ? "" : fingerprint(at.get(0));
    }

    /**
     * Why an index at {@code sequence} with {@code fingerprint}, built from the storage {@code identity}, does not
     * match {@code storage}; empty when it does.
     */
    static Optional<String> mismatch(Storage storage, @Nullable String identity, long sequence, String fingerprint) {
        String actual = storage.identity().toString();
        if (!actual.equals(identity)) {
            return Optional.of(identity == null ? "it records no database identity"
                    : "it was built from database " + identity + ", this is " + actual);
        }
        long last = storage.lastSequence();
        if (sequence > last) {
            return Optional.of("it has applied the change log up to " + sequence + ", the database's ends at " + last
                    + ": the database went back in time");
        }
        String atSequence = fingerprintAt(storage, sequence);
        // no entry there, though the log goes on to it: change-log retention deleted it (sequences are never
        // handed out again, and retention keeps the newest entry), so the index goes on from where it is
        if (!atSequence.isEmpty() && !atSequence.equals(fingerprint)) {
            return Optional.of("the database's change-log entry " + sequence + " is another change than the one "
                    + "the index applied: the database was restored to an earlier point and changed since");
        }
        return Optional.empty();
    }
}
