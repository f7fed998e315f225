package org.crmkit.backup;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a restore brings the data back to: the archive's snapshot ({@link #latest()}), or an earlier moment of its
 * change log, by instant ({@link #at(Instant)}) or by sequence ({@link #sequence(long)}). An earlier point is reached by
 * undoing the archive's change-log entries after it, newest first; the restored change log ends there.
 */
public sealed interface RestorePoint {
    /** The archive's snapshot, as it was taken. */
    static RestorePoint latest() {
        return Latest.INSTANCE;
    }

    /**
     * The state at {@code instant}: every transaction whose change-log entries are all stamped at or before it, in
     * commit order, up to the first that has one stamped after it; schema changes and documents stamped at or before
     * it.
     */
    static RestorePoint at(Instant instant) {
        return new AtInstant(Objects.requireNonNull(instant, "instant"));
    }

    /**
     * The state right after the change-log entry {@code sequence} committed (0: before the first); it must end a
     * transaction. Schema changes and documents count up to the instant of that entry.
     */
    static RestorePoint sequence(long sequence) {
        return new AtSequence(sequence);
    }

    /** See {@link #latest()}. */
    enum Latest implements RestorePoint {
        /** The one value. */
        INSTANCE;

        @Override
        public String toString() {
            return "the archive's snapshot";
        }
    }

    /**
     * See {@link #at(Instant)}.
     *
     * @param instant the moment to restore
     */
    record AtInstant(Instant instant) implements RestorePoint {
        public AtInstant {
            Objects.requireNonNull(instant, "instant");
        }

        @Override
        public String toString() {
            return "instant " + instant;
        }
    }

    /**
     * See {@link #sequence(long)}.
     *
     * @param sequence the last change-log sequence to keep
     */
    record AtSequence(long sequence) implements RestorePoint {
        public AtSequence {
            if (sequence < 0) {
                throw new IllegalArgumentException("a change-log sequence is 0 or more, not " + sequence);
            }
        }

        @Override
        public String toString() {
            return "sequence " + sequence;
        }
    }
}
