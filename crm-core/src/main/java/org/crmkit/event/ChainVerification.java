package org.crmkit.event;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@link ChangeLog#verify()} found: the change log checked entry by entry against its seals (a keyed digest of
 * each entry and a hash chain through them, HMAC-SHA256 with the {@code CHANGE_LOG_MAC} key), and the first entry
 * that was changed, inserted or deleted other than by the engine, if any. Entries the engine changed on purpose
 * (values removed by an erasure, entries deleted by retention) carry a mark it made and count as such.
 *
 * @param checked        the entries and seals looked at
 * @param unsealed       entries from before the log was sealed (written without a {@code CHANGE_LOG_MAC} key); the
 *                       chain starts after them
 * @param redacted       entries whose values an erasure removed
 * @param pruned         entries retention deleted (their seals remain)
 * @param lastSequence   the newest sequence looked at
 * @param head           the link of the newest seal (empty when nothing is sealed): keep it outside the database
 *                       and compare later to notice newest entries deleted together with their seals
 * @param firstProblem   the first entry found changed, inserted or deleted; null when the log is intact
 */
public record ChainVerification(long checked, long unsealed, long redacted, long pruned, long lastSequence,
        String head, @Nullable Problem firstProblem) {

    public ChainVerification {
        Objects.requireNonNull(head, "head");
    }

    /** Whether nothing was found changed, inserted or deleted. */
    public boolean intact() {
        return firstProblem == null;
    }

    /** The first problem, if any. */
    public Optional<Problem> problem() {
        return Optional.ofNullable(firstProblem);
    }

    /** How an entry was tampered with. */
    public enum Tampering {
        /** Its values, its header (who, what, when) or its seal no longer match. */
        CHANGED,
        /** It was written outside the engine: it has no seal, or a seal the chain does not lead to. */
        INSERTED,
        /** It is gone, and not by retention. */
        DELETED
    }

    /**
     * The first entry found tampered with.
     *
     * @param sequence the entry's sequence
     * @param kind     how
     * @param detail   what did not match, in words (never a value of the entry)
     */
    public record Problem(long sequence, Tampering kind, String detail) {
        public Problem {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
