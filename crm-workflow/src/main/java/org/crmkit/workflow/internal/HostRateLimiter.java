package org.crmkit.workflow.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * At most a given number of requests a second to each host, spaced evenly: each caller takes the next free slot of its
 * host and sleeps until it comes. Real time (not the {@code Crm}'s clock): it protects the receiving server.
 */
final class HostRateLimiter {
    private final long intervalNanos;
    private final ConcurrentHashMap<String, Long> nextSlot = new ConcurrentHashMap<>();

    HostRateLimiter(double perSecond) {
        this.intervalNanos = (long) (TimeUnit.SECONDS.toNanos(1) / perSecond);
    }

    /** Waits for a slot of {@code host}; the wait in nanoseconds (for tests). */
    long acquire(String host) throws InterruptedException {
        long now = System.nanoTime();
        long slot = nextSlot.merge(host, now + intervalNanos, (prev, fresh) -> Math.max(prev, now) + intervalNanos)
                - intervalNanos;
        long wait = slot - now;
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        return Math.max(0, wait);
    }
}
