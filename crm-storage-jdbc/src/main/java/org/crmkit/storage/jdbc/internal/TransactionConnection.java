package org.crmkit.storage.jdbc.internal;

import java.util.Objects;
import java.sql.Connection;
import java.sql.Savepoint;
import java.sql.SQLException;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.jdbc.spi.HostConnection;
import org.crmkit.storage.spi.ResolvedPaths;
import org.jooq.DSLContext;
import org.jspecify.annotations.Nullable;

/**
 * The connection of one {@link JdbcTransaction} and the schema it works with. It takes a pooled connection on first
 * use and stays in autocommit mode while the transaction only reads; {@link #writer()} switches it to a real
 * transaction on the first write. The schema is checked against the committed version when the connection is
 * taken, unless the transaction already planned a schema change of its own or its caller read the version just
 * before beginning it ({@code Storage.begin(long)}).
 *
 * <p>A transaction that joins the host's own ({@link HostConnection}) works on the host's connection inside the
 * host's transaction from its first statement, behind a savepoint: its commit releases the savepoint (the host's
 * commit makes the writes durable), its rollback rolls back to it, and it never commits, rolls back or closes the
 * connection itself. Where writers are serialized (H2) it holds the write lock until the host's transaction ends.
 */
final class TransactionConnection {
    private final JdbcStore store;
    private final SystemTables sys;
    private JdbcStore.SchemaState state;
    /** Whether {@link #state} is a schema this transaction changes to (then it is not read again). */
    private boolean schemaPlanned;
    private @Nullable Connection connection;
    private @Nullable DSLContext dsl;
    private boolean writing;
    private boolean holdsWriteLock;
    /** The host's transaction this one joined, or null for a transaction of its own on a pooled connection. */
    private final @Nullable HostConnection host;
    /** Where this transaction began inside the host's (null until it takes the connection, or without a host). */
    private @Nullable Savepoint savepoint;

    /**
     * The committed schema version the caller read just before beginning ({@code Storage.begin(long)}), or
     * {@code CommittedVersions.UNKNOWN}: when the held schema is at least that new, it is not read again.
     */
    private final long committedSchemaVersion;

    TransactionConnection(JdbcStore store, long committedSchemaVersion, @Nullable HostConnection host) {
        this.store = store;
        this.host = host;
        this.sys = store.sys();
        this.state = store.schemaState();
        this.committedSchemaVersion = committedSchemaVersion;
    }

    DSLContext dsl() {
        if (dsl == null) {
            connection = host != null ? joinHost(host) : store.connection();
            dsl = store.dsl(connection);
            if (!schemaPlanned && !(committedSchemaVersion >= 0
                    && committedSchemaVersion <= state.snapshot().version())) {
                try {
                    state = store.schemaGuard().current(dsl);
                } catch (RuntimeException e) {
                    throw store.errors().map(e, null, null, "reading the schema version");
                }
            }
        }
        return dsl;
    }

    /** The host's transaction this one joined, if any. */
    @Nullable
    HostConnection host() {
        return host;
    }

    /** Takes the host's connection and sets this transaction's savepoint in the host's transaction. */
    private Connection joinHost(HostConnection joined) {
        Connection c = joined.connection();
        try {
            if (c.getAutoCommit()) {
                throw new org.crmkit.error.ConfigurationException(java.util.List.of("the host's connection is in "
                        + "auto-commit mode: there is no transaction to join (turn auto-commit off to begin one)"));
            }
            savepoint = c.setSavepoint();
            store.database().prepareHostConnection(store.dsl(c));
        } catch (SQLException e) {
            joined.release();
            throw store.errors().storage("joining the host's transaction", e);
        } catch (RuntimeException e) {
            joined.release();
            throw e;
        }
        writing = true; // the host's connection is already in a real transaction
        return c;
    }

    /** The schema this transaction works with, checked against the committed version when it takes its connection. */
    JdbcStore.SchemaState schema() {
        dsl();
        return state;
    }

    /** The schema as held now, without taking the connection. */
    JdbcStore.SchemaState heldSchema() {
        return state;
    }

    /** Makes {@code next}, the result of a schema change this transaction plans, the schema it works with. */
    void plan(SchemaSnapshot next) {
        state = new JdbcStore.SchemaState(next, java.util.Map.of());
        schemaPlanned = true;
    }

    RecordTable table(String type) {
        return store.table(schema(), type);
    }

    boolean knows(String type) {
        return schema().snapshot().findObjectType(type).isPresent();
    }

    /** The query translation for {@code t} with this transaction's tables and the call's resolved paths. */
    QuerySql sql(RecordTable t, ResolvedPaths paths) {
        JdbcStore.SchemaState s = state;
        return new QuerySql(paths, name -> store.table(s, name), store.database(), t);
    }

    /**
     * The connection in a real transaction, for writing. Where writers are serialized (H2, see
     * {@link DatabaseStrategy#serializesWriters()}) a writing transaction first takes the store's write lock (held
     * until it ends) and the {@code change_log} lock row, so it writes alone. The lock row also orders writers of
     * two storages on one H2 file. PostgreSQL and MariaDB write concurrently.
     */
    DSLContext writer() {
        DSLContext d = dsl();
        if (!writing) {
            boolean serialized = store.database().serializesWriters();
            if (serialized) {
                store.lockWrites();
                holdsWriteLock = true;
            }
            try {
                Objects.requireNonNull(connection, "dsl() took it").setAutoCommit(false);
            } catch (SQLException e) {
                throw store.errors().storage("starting a transaction", e);
            }
            writing = true;
            if (serialized) {
                lock(SystemTables.CHANGE_LOG_LOCK);
            }
        } else if (host != null && !holdsWriteLock && store.database().serializesWriters()) {
            // held until the host's transaction ends: the change_log lock row is held by it until then too; the
            // release is registered first, so a host that refuses it never leaves the lock taken
            java.util.concurrent.atomic.AtomicBoolean taken = new java.util.concurrent.atomic.AtomicBoolean();
            host.afterCompletion(outcome -> {
                if (taken.get()) {
                    store.unlockWrites();
                }
            });
            store.lockWrites();
            taken.set(true);
            holdsWriteLock = true;
            lock(SystemTables.CHANGE_LOG_LOCK);
        }
        return d;
    }

    /** Whether the connection was switched to a real transaction (something was written). */
    boolean writing() {
        return writing;
    }

    /** Takes a lock row until the transaction ends; other nodes wait here. */
    void lock(String name) {
        writer().select(sys.counter).from(sys.lock).where(sys.lockName.eq(name)).forUpdate().fetch();
    }

    /** Commits what was written (nothing to do for a transaction that only read). */
    void commit() throws SQLException {
        if (host != null) {
            if (savepoint != null) {
                Objects.requireNonNull(connection, "a joined transaction has the host's").releaseSavepoint(savepoint);
                savepoint = null;
            }
        } else if (writing) {
            Objects.requireNonNull(connection, "a writing transaction has its connection").commit();
        }
    }

    /** Rolls back what was written. */
    void rollback() {
        if (host != null) {
            if (connection != null && savepoint != null) {
                try {
                    connection.rollback(savepoint);
                    connection.releaseSavepoint(savepoint);
                } catch (SQLException e) {
                    // the host's transaction is broken too; the host's own rollback ends it
                }
                savepoint = null;
            }
            return;
        }
        if (connection != null && writing) {
            try {
                connection.rollback();
            } catch (SQLException e) {
                // the connection is broken; release() hands it back to the pool, which discards it
            }
        }
    }

    /** Hands the connection back to the pool and lets go of the write lock. */
    void release() {
        if (host != null) {
            if (connection != null) { // the write lock, if any, is let go of when the host's transaction ends
                connection = null;
                dsl = null;
                host.release();
            }
            return;
        }
        if (holdsWriteLock) {
            holdsWriteLock = false;
            store.unlockWrites();
        }
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // nothing left to do with a connection that will not close
            }
            connection = null;
            dsl = null;
        }
    }
}
