package org.crmkit.internal.chain;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.ToLongFunction;
import org.crmkit.event.ChainVerification;
import org.crmkit.event.ChainVerification.Problem;
import org.crmkit.event.ChainVerification.Tampering;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.storage.spi.ChangeLogSeals;
import org.crmkit.storage.spi.ChangeSeal;
import org.crmkit.storage.spi.Storage;
import org.jspecify.annotations.Nullable;

/**
 * One walk through the change log and its seals, in sequence order, page by page, stopping at the first problem:
 *
 * <ul>
 * <li>entries before the first seal were written before sealing began (counted, not checked);</li>
 * <li>each seal's link must follow from the previous seal's link, its sequence and its digest, and sequences must
 * follow each other without a gap;</li>
 * <li>an entry must match its seal's digest, or, when an erasure rewrote it, the seal's mark;</li>
 * <li>a seal without its entry needs retention's mark;</li>
 * <li>an entry without a seal after sealing began, or a newest seal whose link does not hold, was inserted.</li>
 * </ul>
 */
final class ChainVerifier {
    private static final int PAGE = 1_000;

    private final ChainMac mac;
    private final Storage storage;
    private final ChangeLogSeals seals;

    ChainVerifier(ChainMac mac, Storage storage, ChangeLogSeals seals) {
        this.mac = mac;
        this.storage = storage;
        this.seals = seals;
    }

    ChainVerification run() {
        long lastHandedOut = storage.lastSequence();
        Pages<ChangeLogEntry> entries = new Pages<>(storage::readChangeLog, ChangeLogEntry::sequence);
        Pages<ChangeSeal> sealPages = new Pages<>(seals::read, ChangeSeal::sequence);
        long checked = 0;
        long unsealed = 0;
        long redacted = 0;
        long pruned = 0;
        long last = 0;
        String previousLink = "";
        long previousSealed = -1; // the sequence of the last seal checked; -1 before the first
        while (true) {
            ChangeLogEntry entry = entries.peek();
            ChangeSeal seal = sealPages.peek();
            if (entry == null && seal == null) {
                break;
            }
            if (entry != null && (seal == null || entry.sequence() < seal.sequence())) { // an entry without a seal
                entries.next();
                checked++;
                last = entry.sequence();
                if (previousSealed < 0) {
                    unsealed++;
                    continue;
                }
                return result(checked, unsealed, redacted, pruned, last, previousLink,
                        new Problem(entry.sequence(), Tampering.INSERTED, "the entry has no seal"));
            }
            if (seal == null) {
                break; // unreachable: both null ended the walk above
            }
            sealPages.next();
            checked++;
            last = seal.sequence();
            if (previousSealed >= 0 && seal.sequence() != previousSealed + 1) {
                return result(checked, unsealed, redacted, pruned, last, previousLink, new Problem(
                        previousSealed + 1, Tampering.DELETED, "neither the entry nor its seal is there"));
            }
            if (!mac.linkHolds(seal.link(), previousLink, seal.sequence(), seal.digest())) {
                return result(checked, unsealed, redacted, pruned, last, previousLink,
                        brokenLink(seal, previousSealed, sealPages.peek() == null, lastHandedOut));
            }
            ChangeLogEntry own = entry != null && entry.sequence() == seal.sequence() ? entries.next() : null;
            String mark = seal.mark();
            if (own == null) {
                if (mark == null || !mac.prunedHolds(mark, seal.sequence())) {
                    return result(checked, unsealed, redacted, pruned, last, previousLink, new Problem(
                            seal.sequence(), Tampering.DELETED, "the entry is gone and retention did not delete it"));
                }
                pruned++;
            } else if (mark != null && mac.redactedHolds(mark, own)) {
                redacted++;
            } else if (!mac.digestHolds(seal.digest(), own)) {
                return result(checked, unsealed, redacted, pruned, last, previousLink, new Problem(
                        seal.sequence(), Tampering.CHANGED, "the entry does not match its seal"));
            }
            previousLink = seal.link();
            previousSealed = seal.sequence();
        }
        if (previousSealed >= 0 && previousSealed < lastHandedOut) {
            return result(checked, unsealed, redacted, pruned, last, previousLink, new Problem(previousSealed + 1,
                    Tampering.DELETED, "the storage handed out sequences up to " + lastHandedOut
                            + " but the log and its seals end before"));
        }
        return result(checked, unsealed, redacted, pruned, last, previousLink, null);
    }

    /**
     * A link that does not follow: the newest seal, or one past what the storage handed out, was added; the first
     * seal after a start that is not the chain's means what came before was deleted; else the seal was changed.
     */
    private static Problem brokenLink(ChangeSeal seal, long previousSealed, boolean newest, long lastHandedOut) {
        if (newest || seal.sequence() > lastHandedOut) {
            return new Problem(seal.sequence(), Tampering.INSERTED, "the newest seal does not follow from the chain");
        }
        if (previousSealed < 0 && seal.sequence() > 1) {
            return new Problem(seal.sequence() - 1, Tampering.DELETED,
                    "the first seal does not start the chain: what came before it is gone");
        }
        return new Problem(seal.sequence(), Tampering.CHANGED, "the seal does not follow from the one before");
    }

    private static ChainVerification result(long checked, long unsealed, long redacted, long pruned, long last,
            String head, @Nullable Problem problem) {
        return new ChainVerification(checked, unsealed, redacted, pruned, last, head, problem);
    }

    /** A sequence-ordered source read a page at a time. */
    private static final class Pages<T> {
        private final BiFunction<Long, Integer, List<T>> read;
        private final ToLongFunction<T> sequence;
        private final Deque<T> buffered = new ArrayDeque<>();
        private long after;
        private boolean exhausted;

        Pages(BiFunction<Long, Integer, List<T>> read, ToLongFunction<T> sequence) {
            this.read = read;
            this.sequence = sequence;
        }

        @Nullable
        T peek() {
            if (buffered.isEmpty() && !exhausted) {
                List<T> page = read.apply(after, PAGE);
                buffered.addAll(page);
                if (page.isEmpty()) {
                    exhausted = true;
                } else {
                    after = sequence.applyAsLong(page.get(page.size() - 1));
                }
            }
            return buffered.peekFirst();
        }

        T next() {
            T t = peek();
            if (t == null) {
                throw new java.util.NoSuchElementException();
            }
            return buffered.removeFirst();
        }
    }
}
