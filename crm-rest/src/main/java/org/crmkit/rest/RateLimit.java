package org.crmkit.rest;

import java.time.Duration;
import java.util.Objects;

/**
 * A per-principal token bucket: up to {@code burst} requests at once, then one more each {@code every}. A caller over
 * the limit is answered {@code 429 Too Many Requests} with {@code Retry-After} (seconds). Kept per node, in memory.
 *
 * @param burst how many requests a rested caller may make at once (at least 1)
 * @param every how long it takes to earn one more request (positive)
 */
public record RateLimit(int burst, Duration every) {
    public RateLimit {
        Objects.requireNonNull(every, "every");
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1, not " + burst);
        }
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("every must be positive, not " + every);
        }
    }

    /** {@code perMinute} requests a minute on average, with bursts of up to a sixth of that (at least 1). */
    public static RateLimit perMinute(int perMinute) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute must be at least 1, not " + perMinute);
        }
        return new RateLimit(Math.max(1, perMinute / 6), Duration.ofNanos(60_000_000_000L / perMinute));
    }
}
