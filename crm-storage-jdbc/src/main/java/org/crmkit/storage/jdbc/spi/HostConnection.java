package org.crmkit.storage.jdbc.spi;

import java.sql.Connection;
import org.crmkit.storage.spi.HostTransaction;

/**
 * One transaction of the host application, as a {@code JdbcStorage} joins it ({@link HostConnections#current()}).
 * CRMKit works on {@link #connection()} behind a savepoint per CRMKit transaction: it sets, releases and rolls back to
 * its savepoints, and never commits, rolls back or closes the connection. What CRMKit does after a commit (its caches,
 * change listeners, and so the search index and the job workers) waits for {@link #afterCompletion}.
 */
public interface HostConnection extends HostTransaction {
    /** The host's connection, in its open transaction (auto-commit off). */
    Connection connection();

    /**
     * Called once for each {@link #connection()} call, when the CRMKit transaction is done with it (Spring's
     * {@code DataSourceUtils.releaseConnection}). The default does nothing.
     */
    default void release() {}
}
