package org.crmkit.spring;

import java.sql.Connection;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.crmkit.storage.jdbc.spi.HostConnection;
import org.crmkit.storage.jdbc.spi.HostConnections;
import org.crmkit.storage.spi.HostTransaction;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Spring's transactions for {@code JdbcStorage.Builder#joinHostTransactions}: inside a transaction that Spring
 * manages on {@code dataSource} ({@code @Transactional}, a {@code TransactionTemplate}, with
 * {@code DataSourceTransactionManager} or any manager that binds that data source's connection, such as
 * {@code JpaTransactionManager}), CRMKit's writes join it and commit or roll back with it; its after-commit work runs
 * in Spring's {@code afterCompletion}. Outside one, or in a transaction on another data source, CRMKit works in a
 * transaction of its own. The starter installs it when {@code crmkit.storage.join-transactions} is true (the
 * default).
 */
public final class SpringHostTransactions implements HostConnections {
    private final DataSource dataSource;

    /** Joins Spring's transactions on {@code dataSource}, the one the storage is built on. */
    public SpringHostTransactions(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public Optional<HostConnection> current() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()
                || !TransactionSynchronizationManager.isSynchronizationActive()
                || !(TransactionSynchronizationManager.getResource(dataSource) instanceof ConnectionHolder)) {
            return Optional.empty();
        }
        return Optional.of(new Joined());
    }

    /** Spring's transaction on this thread, as one CRMKit transaction uses it. */
    private final class Joined implements HostConnection {
        private @Nullable Connection connection;

        @Override
        public Connection connection() {
            connection = DataSourceUtils.getConnection(dataSource);
            return connection;
        }

        @Override
        public void release() {
            DataSourceUtils.releaseConnection(connection, dataSource);
            connection = null;
        }

        @Override
        public void afterCompletion(Consumer<HostTransaction.Outcome> work) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    work.accept(status == STATUS_COMMITTED ? HostTransaction.Outcome.COMMITTED
                            : HostTransaction.Outcome.ROLLED_BACK);
                }
            });
        }
    }
}
