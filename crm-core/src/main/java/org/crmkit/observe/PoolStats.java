package org.crmkit.observe;

import java.util.Objects;

/**
 * A snapshot of the storage's connection pool ({@code crm.admin().connectionPool()}), for gauges and alerts.
 * Counters ({@code acquired}, {@code acquireNanos}, {@code timeouts}) only grow while the pool lives.
 *
 * @param name         the pool's name
 * @param active       connections in use
 * @param idle         connections waiting in the pool
 * @param pending      threads waiting for a connection
 * @param maximum      the most connections the pool opens
 * @param minimumIdle  idle connections it keeps
 * @param acquired     connections handed out so far
 * @param acquireNanos total time callers waited for them, in nanoseconds
 * @param timeouts     requests that gave up waiting
 */
public record PoolStats(String name, int active, int idle, int pending, int maximum, int minimumIdle, long acquired,
        long acquireNanos, long timeouts) {
    public PoolStats {
        Objects.requireNonNull(name, "name");
    }

    /** Connections open: active and idle. */
    public int total() {
        return active + idle;
    }
}
