package org.crmkit.storage.jdbc.spi;

import java.util.Optional;

/**
 * Where a {@code JdbcStorage} finds the transaction its host application has open on the calling thread, so that
 * CRMKit's writes, change log and jobs commit or roll back with the host's own (the ERP's order and the CRM's
 * activity together). Asked at the start of every CRMKit transaction; when it answers empty, CRMKit works in a
 * transaction of its own on a connection of its pool, as without it.
 *
 * <p>Adapters: {@code org.crmkit.storage.jdbc.JdbcHostTransactions} for plain JDBC, and the Spring Boot starter's for
 * Spring's {@code DataSourceTransactionManager} and {@code @Transactional}. The host's transaction must run on the
 * same database as the storage, and end on the thread that began it.
 */
@FunctionalInterface
public interface HostConnections {
    /** The host's transaction open on the calling thread, or empty when there is none. */
    Optional<HostConnection> current();
}
