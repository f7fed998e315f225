package org.crmkit.workflow;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How failed jobs are retried: attempt {@code n} (from 1) that fails waits {@code initialDelay * multiplier^(n-1)},
 * at most {@code maxDelay}, with up to {@code jitter} (0 to 1) of it taken off at random so retries of many jobs
 * spread out; after {@code maxAttempts} attempts the job is a dead letter.
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay,
        double jitter) {
    public RetryPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
    }

    /** 8 attempts, 10 s doubling up to 1 h, 20 % jitter. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(8, Duration.ofSeconds(10), 2.0, Duration.ofHours(1), 0.2);
    }

    /** The wait after failed attempt {@code attempt}, before jitter. */
    public Duration baseDelay(int attempt) {
        double millis = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
        return Duration.ofMillis((long) Math.min(millis, maxDelay.toMillis()));
    }

    /** The wait after failed attempt {@code attempt}, with jitter drawn from {@code random}. */
    public Duration delay(int attempt, RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        long base = baseDelay(attempt).toMillis();
        return Duration.ofMillis(base - (long) (base * jitter * random.nextDouble()));
    }
}
