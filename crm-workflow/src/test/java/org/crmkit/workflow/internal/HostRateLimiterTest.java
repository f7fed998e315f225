package org.crmkit.workflow.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The per-host rate limit spaces calls to one host and leaves other hosts alone. */
class HostRateLimiterTest {
    @Test
    void callsToOneHostAreSpacedAndOtherHostsDoNotWait() throws Exception {
        HostRateLimiter limiter = new HostRateLimiter(20); // one call every 50 ms
        long start = System.nanoTime();
        for (int i = 0; i < 6; i++) {
            limiter.acquire("a.example");
        }
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(elapsedMillis).as("5 intervals of 50 ms at least").isGreaterThanOrEqualTo(240);
        assertThat(limiter.acquire("b.example")).as("another host waits for nothing").isZero();
    }
}
