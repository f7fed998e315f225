package org.crmkit.relay.internal;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: the n-th consecutive failure waits a random time between half and all of
 * {@code min * 2^(n-1)}, capped at {@code max}, so that relays of many nodes do not retry in step.
 */
final class Backoff {
    private final long minNanos;
    private final long maxNanos;
    private final RandomGenerator random;

    Backoff(Duration min, Duration max, RandomGenerator random) {
        this.minNanos = Math.max(1, min.toNanos());
        this.maxNanos = Math.max(minNanos, max.toNanos());
        this.random = random;
    }

    /** The wait before the next attempt after {@code failures} (at least 1) consecutive failures. */
    Duration delay(int failures) {
        int shift = Math.min(Math.max(failures, 1) - 1, 62);
        long ceiling = minNanos > (maxNanos >> shift) ? maxNanos : minNanos << shift;
        long half = ceiling / 2;
        return Duration.ofNanos(half + random.nextLong(ceiling - half + 1));
    }
}
