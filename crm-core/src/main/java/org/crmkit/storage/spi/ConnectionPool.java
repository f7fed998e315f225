package org.crmkit.storage.spi;

import org.crmkit.observe.PoolStats;

/**
 * A storage extension ({@link Storage#extension}) of a storage that owns a connection pool: its state, read by
 * {@code crm.admin().connectionPool()} for metrics, with no type of the pool's library. A storage on a pool the
 * host owns offers none (the host monitors its own pool).
 */
@FunctionalInterface
public interface ConnectionPool {
    /** The pool's state now. */
    PoolStats stats();
}
