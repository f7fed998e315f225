package org.crmkit.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.crmkit.error.ConfigurationException;
import org.crmkit.error.StorageException;
import org.crmkit.CrmStorage;
import org.crmkit.plugin.spi.PluginRegistry;
import org.crmkit.storage.jdbc.spi.HostConnections;
import org.crmkit.storage.jdbc.internal.Dialect;
import org.crmkit.storage.jdbc.internal.JdbcBackend;
import org.crmkit.storage.jdbc.internal.JdbcDrivers;
import org.crmkit.storage.jdbc.internal.JdbcStore;
import org.crmkit.storage.jdbc.internal.SystemTables;
import org.crmkit.storage.jdbc.internal.Naming;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jspecify.annotations.Nullable;

/**
 * CRMKit storage on a relational database: H2 (embedded, the default), PostgreSQL or MariaDB/MySQL, detected
 * from the connection. Each object type is a table ({@code crm_contact}, {@code crm_x_<custom>}) with one typed
 * column per field, so reports and BI tools can read it; schema changes become DDL at run time under a
 * cluster-wide lock; Flyway creates the system tables (schema history, change log, locks, import ledger).
 *
 * <pre>{@code
 * Crm crm = Crm.builder().storage(JdbcStorage.h2File(Path.of("data/crm"))).build();
 * Crm crm = Crm.builder().storage(JdbcStorage.builder().url("jdbc:postgresql://db/crm").user("crm")
 *         .password(secret).tablePrefix("erp_").build()).build();
 * Crm crm = Crm.builder().storage(JdbcStorage.of(hostDataSource)).build();   // the host's own pool
 * }</pre>
 *
 * <p>Built from a URL, the storage owns a HikariCP pool and closes it in {@link #close()}; built from the host's
 * {@link DataSource}, it never closes it. Starting the storage runs (or, with {@link MigrationMode#VALIDATE},
 * checks) the migrations and finishes any schema change a crash cut off between its DDL and its metadata.
 */
public final class JdbcStorage implements CrmStorage {
    private static final Pattern PREFIX = Pattern.compile("([a-z][a-z0-9_]{0,19})?");
    private static final int H2_QUERY_CACHE_SIZE = 64;
    private static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);
    private static final Duration MAX_CONNECTION_TIMEOUT = Duration.ofHours(1);

    private final JdbcBackend backend;

    private JdbcStorage(JdbcStore store, org.crmkit.storage.jdbc.internal.@Nullable PoolTracker pool,
            @Nullable HostConnections hostTransactions) {
        this.backend = new JdbcBackend(store, pool, hostTransactions);
    }

    /**
     * The embedded default: an H2 database in the file {@code <path>.mv.db}, created on first use, writing each
     * commit to the file before it returns ({@code WRITE_DELAY=0}; see {@link Builder#url}). The path may not
     * contain {@code ;} (H2 would read what follows as connection settings).
     */
    public static JdbcStorage h2File(Path path) {
        Objects.requireNonNull(path, "path");
        if (path.toAbsolutePath().toString().contains(";")) {
            throw new ConfigurationException(List.of("h2File path must not contain ';' (H2 reads it as a setting): "
                    + path));
        }
        return builder().url("jdbc:h2:file:" + path.toAbsolutePath() + ";LOCK_TIMEOUT=10000").build();
    }

    /** An H2 database in memory, kept while the storage is open: fast SQL-backed tests. */
    public static JdbcStorage h2Memory(String name) {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new ConfigurationException(List.of("H2 database name must be 1-64 letters, digits, '_' or '-'"));
        }
        return builder().url("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000").build();
    }

    /** On the host's own data source (its pool, its credentials); the storage never closes it. */
    public static JdbcStorage of(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        return builder().dataSource(dataSource).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Settings of a {@link JdbcStorage}; {@link #build()} checks them all, a null setting included (so the setters
     * take null), reports every problem at once and connects.
     */
    public static final class Builder {
        private @Nullable String url;
        private @Nullable String user;
        private @Nullable String password;
        private @Nullable DataSource dataSource;
        // null is accepted by the setters and reported by build() as a ConfigurationException
        private @Nullable String tablePrefix = "";
        private @Nullable MigrationMode migrations = MigrationMode.APPLY;
        private int maxPoolSize = 10;
        private @Nullable Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
        private @Nullable HostConnections hostTransactions;

        private Builder() {}

        /**
         * A JDBC URL ({@code jdbc:h2:...}, {@code jdbc:postgresql:...}, {@code jdbc:mariadb:...}). An embedded H2
         * file URL without a {@code WRITE_DELAY} setting gets {@code WRITE_DELAY=0}: H2's default acknowledges commits
         * up to half a second before it writes them, which a crash loses. (A host's own H2 pool given with
         * {@link #dataSource} should set it too.)
         */
        public Builder url(@Nullable String jdbcUrl) {
            this.url = jdbcUrl;
            return this;
        }

        /** The database user; null (the default) for none. */
        public Builder user(@Nullable String user) {
            this.user = user;
            return this;
        }

        /** The database password; null (the default) for none. */
        public Builder password(@Nullable String password) {
            this.password = password;
            return this;
        }

        /** The host's pool instead of a URL. */
        public Builder dataSource(@Nullable DataSource dataSource) {
            this.dataSource = dataSource;
            return this;
        }

        /**
         * A prefix for every table, index and constraint CRMKit creates ({@code erp_} gives {@code erp_crm_contact},
         * {@code erp_crmkit_change_log}), so CRMKit can live in a schema the host shares: lower-case letters,
         * digits and underscores, at most 20 characters, starting with a letter. Default: none.
         */
        public Builder tablePrefix(@Nullable String prefix) {
            this.tablePrefix = prefix;
            return this;
        }

        public Builder migrations(@Nullable MigrationMode mode) {
            this.migrations = mode;
            return this;
        }

        /**
         * Joins the transactions the host application opens itself, so that CRMKit's writes, change log and jobs
         * commit or roll back with the host's: at the start of each CRMKit transaction the storage asks
         * {@code hostTransactions} for the host's transaction on the calling thread, and works inside it when there
         * is one (on the host's connection, behind a savepoint), or in a transaction of its own otherwise. What
         * follows a commit (caches, change listeners, the search index, job workers) waits for the host's commit
         * and is skipped when the host rolls back. Schema changes are refused inside a host's transaction. Give
         * {@link JdbcHostTransactions} for plain JDBC; the Spring Boot starter gives Spring's. Default: none.
         * See {@code docs/storage.md}, "Joining the host's transactions".
         */
        public Builder joinHostTransactions(@Nullable HostConnections hostTransactions) {
            this.hostTransactions = hostTransactions;
            return this;
        }

        /** Largest number of pooled connections when built from a URL (default 10). */
        public Builder maxPoolSize(int size) {
            this.maxPoolSize = size;
            return this;
        }

        /**
         * How long an operation (and {@code crm.admin().health()}) waits for a pooled connection, or for a new one
         * while the database does not answer, before it fails with {@code StorageUnavailableException} (health: the
         * storage reported DOWN); default 30 s, HikariCP's. Only for the pool built from a {@link #url}; a host's own
         * {@link #dataSource} keeps its own setting. Set it below a health probe's timeout to have the probe answer
         * DOWN rather than time out; 250 ms to 1 hour.
         */
        public Builder connectionTimeout(@Nullable Duration timeout) {
            this.connectionTimeout = timeout;
            return this;
        }

        /**
         * Checks the settings (every problem at once), connects, detects the dialect, migrates and repairs.
         *
         * @throws ConfigurationException on bad settings, an unsupported database, or a URL no JDBC driver on the
         *     class path accepts (the message names the dependency to add)
         * @throws StorageException when the database cannot be reached or migrated
         */
        public JdbcStorage build() {
            List<String> problems = new ArrayList<>();
            if ((url == null) == (dataSource == null)) {
                problems.add("give exactly one of url(...) and dataSource(...)");
            }
            if (url != null && !url.startsWith("jdbc:")) {
                problems.add("url must start with 'jdbc:'");
            } else if (url != null && dataSource == null) {
                JdbcDrivers.problem(url).ifPresent(problems::add);
            }
            if (tablePrefix == null || !PREFIX.matcher(tablePrefix).matches()) {
                problems.add("tablePrefix must be empty or 1-20 characters [a-z][a-z0-9_]*");
            }
            if (migrations == null) {
                problems.add("migrations must not be null");
            }
            if (maxPoolSize < 1 || maxPoolSize > 1_000) {
                problems.add("maxPoolSize must be 1 to 1000");
            }
            if (connectionTimeout == null || connectionTimeout.compareTo(MIN_CONNECTION_TIMEOUT) < 0
                    || connectionTimeout.compareTo(MAX_CONNECTION_TIMEOUT) > 0) {
                problems.add("connectionTimeout must be 250 ms to 1 hour, was " + connectionTimeout);
            }
            if (!problems.isEmpty()) {
                throw new ConfigurationException(problems);
            }
            // the checks above threw unless exactly one of url and dataSource is set, and prefix and mode are
            String prefix = Objects.requireNonNull(tablePrefix);
            MigrationMode mode = Objects.requireNonNull(migrations);
            HikariDataSource pool = null;
            org.crmkit.storage.jdbc.internal.PoolTracker tracker = null;
            DataSource ds = dataSource;
            if (ds == null) {
                tracker = new org.crmkit.storage.jdbc.internal.PoolTracker();
                pool = pool(Objects.requireNonNull(url), user, password, maxPoolSize,
                        Objects.requireNonNull(connectionTimeout), tracker);
                ds = pool;
            }
            try {
                JdbcStore store = new JdbcStore(ds, pool, dialectOf(ds), prefix);
                migrate(store, mode);
                store.repairPendingSchemaChanges();
                store.loadSchema();
                store.addMissingRollupTotals();
                return new JdbcStorage(store, tracker, hostTransactions);
            } catch (RuntimeException e) {
                if (pool != null) {
                    pool.close();
                }
                throw e;
            }
        }
    }

    /**
     * The URL to connect with: an H2 database in a file gets {@code WRITE_DELAY=0} unless the URL sets it. H2's
     * default (500 ms) acknowledges commits before writing them, so a killed process loses its last half second
     * of committed changes, and in tests here a database killed that way was left with a row lock no later
     * transaction could take (every write to the change log hung). With 0, thirty kills in a row left it whole.
     *
     * <p>An embedded H2 database (file or memory) also gets {@code QUERY_CACHE_SIZE=64} unless the URL sets it: H2
     * parses a statement again when a session prepares it and it is not among the last few the session prepared
     * (8 by default), and one CRMKit write with roll-ups prepares more distinct statements than that.
     */
    static String connectUrl(String url) {
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        boolean h2Embedded = lower.startsWith("jdbc:h2:") && !lower.startsWith("jdbc:h2:tcp:")
                && !lower.startsWith("jdbc:h2:ssl:");
        if (!h2Embedded) {
            return url;
        }
        String connect = url;
        if (!lower.startsWith("jdbc:h2:mem:") && !lower.contains("write_delay=")) {
            connect += ";WRITE_DELAY=0";
        }
        if (!lower.contains("query_cache_size=")) {
            connect += ";QUERY_CACHE_SIZE=" + H2_QUERY_CACHE_SIZE;
        }
        return connect;
    }

    private static HikariDataSource pool(String url, @Nullable String user, @Nullable String password, int size,
            Duration connectionTimeout, com.zaxxer.hikari.metrics.MetricsTrackerFactory metrics) {
        HikariConfig config = new HikariConfig();
        config.setMetricsTrackerFactory(metrics); // HikariCP's numbers, read as crm.admin().connectionPool()
        config.setJdbcUrl(connectUrl(url));
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Math.min(2, size));
        config.setConnectionTimeout(connectionTimeout.toMillis());
        config.setPoolName("crmkit");
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        if (url.startsWith("jdbc:postgresql:")) {
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
        } else if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            config.addDataSourceProperty("rewriteBatchedStatements", "true");
            config.addDataSourceProperty("useBulkStmts", "false");
            config.addDataSourceProperty("sessionVariables", Dialect.MARIADB_SESSION_VARIABLES);
        }
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StorageException(redact("cannot connect to " + url + ": " + rootMessage(e)), e);
        }
    }

    /** Hides passwords given in a URL ({@code password=...}, H2's {@code ;PASSWORD=...}) from a message. */
    private static String redact(String message) {
        return message.replaceAll("(?i)(password=)[^&;\\s]*", "$1***");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }

    private static Dialect dialectOf(DataSource ds) {
        try (Connection c = ds.getConnection()) {
            return Dialect.ofProduct(c.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            throw new StorageException("cannot connect to the database: " + e.getMessage(), e);
        }
    }

    private static void migrate(JdbcStore store, MigrationMode mode) {
        Naming naming = store.naming();
        Flyway flyway = Flyway.configure(JdbcStorage.class.getClassLoader())
                .dataSource(store.dataSource())
                .locations(store.dialect().migrationLocation())
                .table(new SystemTables(naming).flywayHistory)
                .placeholders(Map.of("prefix", naming.prefix()))
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .loggers("slf4j")
                .load();
        try {
            if (mode == MigrationMode.APPLY) {
                flyway.migrate();
            } else {
                var result = flyway.validateWithResult();
                if (!result.validationSuccessful) {
                    throw new ConfigurationException(List.of("CRMKit's system tables are not migrated (migrations "
                            + "are managed by the host, MigrationMode.VALIDATE): " + result.getAllErrorMessages()));
                }
            }
        } catch (FlywayException e) {
            throw new StorageException("migrating CRMKit's system tables failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return backend.name();
    }

    /** Registers the storage SPI implementation; called by the {@code Crm} builder. */
    @Override
    public void install(PluginRegistry registry) {
        registry.storage(backend);
    }

    /** The table prefix this storage was built with (empty by default). */
    public String tablePrefix() {
        return backend.store().naming().prefix();
    }

    /**
     * Finishes schema changes a crash cut off between their DDL and their metadata (H2, MariaDB); done on start,
     * exposed for operators and tests. Returns how many were finished.
     */
    public int repairSchema() {
        return backend.store().repairPendingSchemaChanges();
    }

    @Override
    public void close() {
        backend.close();
    }
}
