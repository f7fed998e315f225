package org.crmkit.storage.jdbc.internal;

import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import java.util.concurrent.atomic.LongAdder;
import org.crmkit.observe.PoolStats;
import org.crmkit.storage.spi.ConnectionPool;
import org.jspecify.annotations.Nullable;

/**
 * The seam between HikariCP's own metrics and CRMKit's {@link ConnectionPool} extension: HikariCP hands its
 * {@link MetricsTrackerFactory} the pool's live state ({@code com.zaxxer.hikari.metrics.PoolStats}, the numbers its
 * Micrometer tracker publishes) and calls the tracker on every acquisition and timeout; this keeps both and answers
 * {@link #stats()} in CRMKit's terms, so no Hikari or Micrometer type leaves the module. Counters are
 * {@link LongAdder}s: a connection's acquisition costs an increment.
 */
public final class PoolTracker implements MetricsTrackerFactory, ConnectionPool {
    private final LongAdder acquired = new LongAdder();
    private final LongAdder acquireNanos = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private volatile @Nullable String name;
    private volatile com.zaxxer.hikari.metrics.@Nullable PoolStats pool;

    @Override
    public IMetricsTracker create(String poolName, com.zaxxer.hikari.metrics.PoolStats poolStats) {
        this.name = poolName;
        this.pool = poolStats;
        return new IMetricsTracker() {
            @Override
            public void recordConnectionAcquiredNanos(long elapsedAcquiredNanos) {
                acquired.increment();
                acquireNanos.add(elapsedAcquiredNanos);
            }

            @Override
            public void recordConnectionTimeout() {
                timeouts.increment();
            }
        };
    }

    @Override
    public PoolStats stats() {
        var p = pool;
        String n = name == null ? "crmkit" : name;
        if (p == null) { // the pool has not started its tracker yet
            return new PoolStats(n, 0, 0, 0, 0, 0, acquired.sum(), acquireNanos.sum(), timeouts.sum());
        }
        return new PoolStats(n, p.getActiveConnections(), p.getIdleConnections(), p.getPendingThreads(),
                p.getMaxConnections(), p.getMinConnections(), acquired.sum(), acquireNanos.sum(), timeouts.sum());
    }
}
