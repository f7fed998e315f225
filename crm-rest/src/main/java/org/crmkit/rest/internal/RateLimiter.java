package org.crmkit.rest.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * A token bucket per principal: {@code capacity} requests at once, one more every {@code refill}. Buckets of idle
 * principals are forgotten after an hour (a full bucket then, which they would have anyway); at most 100,000 kept.
 */
public final class RateLimiter {
    private final long capacity;
    private final long refillNanos;
    private final LongSupplier nanoTime;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofHours(1)).build();

    public RateLimiter(int capacity, Duration refill, LongSupplier nanoTime) {
        this.capacity = capacity;
        this.refillNanos = Math.max(1, refill.toNanos());
        this.nanoTime = nanoTime;
    }

    /** Takes a token for {@code principal}: empty when allowed, else the seconds until the next token. */
    public OptionalLong acquire(String principal) {
        Bucket b = buckets.get(principal, p -> new Bucket(capacity, nanoTime.getAsLong()));
        synchronized (b) {
            long now = nanoTime.getAsLong();
            long elapsed = now - b.stamp;
            if (elapsed >= refillNanos) {
                long add = elapsed / refillNanos;
                b.tokens = Math.min(capacity, b.tokens + add);
                b.stamp = b.tokens == capacity ? now : b.stamp + add * refillNanos;
            }
            if (b.tokens > 0) {
                b.tokens--;
                return OptionalLong.empty();
            }
            long wait = refillNanos - (now - b.stamp);
            return OptionalLong.of(Math.max(1, (wait + 999_999_999L) / 1_000_000_000L));
        }
    }

    private static final class Bucket {
        long tokens;
        long stamp;

        Bucket(long tokens, long stamp) {
            this.tokens = tokens;
            this.stamp = stamp;
        }
    }
}
