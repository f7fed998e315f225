package org.crmkit.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.crmkit.storage.jdbc.spi.HostConnection;
import org.crmkit.storage.jdbc.spi.HostConnections;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's own transactions on plain JDBC, for {@link JdbcStorage.Builder#joinHostTransactions}: the host begins a
 * transaction on a connection to the storage's database, and every CRMKit operation on that thread joins it until the
 * host commits or rolls back. Both commit, or neither.
 *
 * <pre>{@code
 * JdbcHostTransactions host = JdbcHostTransactions.create();
 * Crm crm = Crm.builder().storage(JdbcStorage.builder().dataSource(erpPool).joinHostTransactions(host).build()).build();
 * try (Connection c = erpPool.getConnection(); JdbcHostTransactions.Transaction t = host.begin(c)) {
 *     insertOrder(c, order);                                                // the host's own SQL
 *     crm.as(rep).records("task").create(Map.of("subject", "Call about order " + order.id()));
 *     t.commit();                                                           // closing without commit rolls back
 * }
 * }</pre>
 *
 * A transaction is bound to the thread that began it and must end there. Thread-safe.
 */
public final class JdbcHostTransactions implements HostConnections {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcHostTransactions.class);

    /** The transaction open on each thread; an instance field, so two of these never share it. */
    private final ThreadLocal<Transaction> open = new ThreadLocal<>();

    private JdbcHostTransactions() {}

    /** A new set of host transactions, to give to one or more storages. */
    public static JdbcHostTransactions create() {
        return new JdbcHostTransactions();
    }

    /**
     * Begins the host's transaction on {@code connection} (turning auto-commit off until it ends) and binds it to
     * this thread.
     *
     * @throws IllegalStateException when a transaction of this instance is already open on this thread
     * @throws SQLException when the connection cannot leave auto-commit mode
     */
    public Transaction begin(Connection connection) throws SQLException {
        Objects.requireNonNull(connection, "connection");
        if (open.get() != null) {
            throw new IllegalStateException("a host transaction is already open on this thread; end it first");
        }
        Transaction t = new Transaction(connection, connection.getAutoCommit());
        if (t.autoCommitBefore) {
            connection.setAutoCommit(false);
        }
        open.set(t);
        return t;
    }

    @Override
    public Optional<HostConnection> current() {
        return Optional.ofNullable(open.get());
    }

    /** One host transaction: commit or roll it back, on the thread that began it; closing without either rolls back. */
    public final class Transaction implements HostConnection, AutoCloseable {
        private final Connection connection;
        private final Thread owner = Thread.currentThread();
        private final boolean autoCommitBefore;
        private final List<Consumer<Outcome>> completions = new ArrayList<>();
        private boolean ended;

        private Transaction(Connection connection, boolean autoCommitBefore) {
            this.connection = connection;
            this.autoCommitBefore = autoCommitBefore;
        }

        /** The host's connection, for its own statements inside this transaction. */
        @Override
        public Connection connection() {
            return connection;
        }

        @Override
        public void afterCompletion(Consumer<Outcome> work) {
            Objects.requireNonNull(work, "work");
            checkOpen();
            completions.add(work);
        }

        /**
         * Commits the host's work and CRMKit's together, then runs what CRMKit does after a commit. When the commit
         * fails the transaction is rolled back (CRMKit's after-commit work is skipped) and the failure is thrown.
         */
        public void commit() throws SQLException {
            end(true);
        }

        /** Rolls back the host's work and CRMKit's together. */
        public void rollback() throws SQLException {
            end(false);
        }

        /** Rolls back unless {@link #commit()} or {@link #rollback()} ended the transaction already. */
        @Override
        public void close() throws SQLException {
            if (!ended) {
                end(false);
            }
        }

        private void end(boolean commit) throws SQLException {
            checkOpen();
            ended = true;
            open.remove();
            Outcome outcome = Outcome.ROLLED_BACK;
            @Nullable
            SQLException failure = null;
            try {
                if (commit) {
                    connection.commit();
                    outcome = Outcome.COMMITTED;
                } else {
                    connection.rollback();
                }
            } catch (SQLException e) {
                failure = e;
                if (commit) {
                    try {
                        connection.rollback();
                    } catch (SQLException rollback) {
                        e.addSuppressed(rollback);
                    }
                }
            }
            if (autoCommitBefore) {
                try {
                    connection.setAutoCommit(true);
                } catch (SQLException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            for (Consumer<Outcome> work : completions) {
                try {
                    work.accept(outcome);
                } catch (RuntimeException e) {
                    LOG.warn("work after the host's transaction ended failed", e);
                }
            }
            if (failure != null) {
                throw failure;
            }
        }

        private void checkOpen() {
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("a host transaction must be used on the thread that began it");
            }
            if (ended) {
                throw new IllegalStateException("this host transaction has ended");
            }
        }
    }
}
