package org.crmkit.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.crmkit.storage.jdbc.JdbcStorage;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * One database a suite runs on: H2 in a file under a fresh temporary directory, or a PostgreSQL or MariaDB
 * server at a URL where every table the run creates starts with a fresh prefix ({@code bench_<time>_}). Hands
 * out CRMKit storages and baseline connection pools on it, and cleans up everything the run created on
 * {@link #close()} (PostgreSQL and MariaDB: drops the prefix's tables; H2: deletes the directory).
 *
 * <p>Tables of a run: CRMKit's own under {@link #tablePrefix(String) tablePrefix("")} (on H2 none, as
 * {@link JdbcStorage#h2File} makes it), the baseline's under {@code tablePrefix("b")}, the warm-up imports' under
 * {@code tablePrefix("wc")} and {@code tablePrefix("wb")}.
 */
final class BenchDatabase implements AutoCloseable {
    static final String POSTGRES_URL_ENV = "CRMKIT_BENCH_POSTGRES_URL";
    static final String DEFAULT_POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    static final String MARIADB_URL_ENV = "CRMKIT_BENCH_MARIADB_URL";
    static final String DEFAULT_MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/crmkit_bench?user=root";
    /** The usage text of the {@code --db} option of the suites that run on H2 and PostgreSQL. */
    static final String DB_OPTION = "h2|postgres|all (default all); PostgreSQL at $" + POSTGRES_URL_ENV + ", default "
            + DEFAULT_POSTGRES_URL;

    /** The name in BENCH lines: {@code storage.<name>.<measurement>}. */
    final String name;
    final String url;
    final SQLDialect dialect;
    private final String prefix;
    private final @Nullable Path h2Dir;
    private final @Nullable Path h2File;

    private BenchDatabase(String name, String url, SQLDialect dialect, String prefix, @Nullable Path h2Dir,
            @Nullable Path h2File) {
        this.name = name;
        this.url = url;
        this.dialect = dialect;
        this.prefix = prefix;
        this.h2Dir = h2Dir;
        this.h2File = h2File;
    }

    /** An H2 database in the file {@code crm.mv.db} of a new temporary directory. */
    static BenchDatabase h2() throws IOException {
        Path dir = Files.createTempDirectory("crmkit-bench-h2-");
        Path file = dir.resolve("crm");
        // the URL JdbcStorage.h2File(file) connects to (with its WRITE_DELAY=0), so the baseline's pool opens the same
        // database with the same settings
        String url = "jdbc:h2:file:" + file.toAbsolutePath() + ";LOCK_TIMEOUT=10000;WRITE_DELAY=0";
        return new BenchDatabase("h2", url, SQLDialect.H2, "", dir, file);
    }

    /** The PostgreSQL URL of this run: {@value #POSTGRES_URL_ENV}, or {@value #DEFAULT_POSTGRES_URL}. */
    static String postgresUrl() {
        String fromEnv = System.getenv(POSTGRES_URL_ENV);
        return fromEnv == null || fromEnv.isBlank() ? DEFAULT_POSTGRES_URL : fromEnv.strip();
    }

    /** PostgreSQL at {@code url}, with a table prefix of its own for this run. */
    static BenchDatabase postgres(String url) {
        return postgres(url, "");
    }

    /**
     * PostgreSQL at {@code url}, with a table prefix of its own for this run and {@code tag}
     * ({@code bench_<time>_<tag>_}), so that several made in the same millisecond (one per {@code Crm} of a suite) do
     * not share tables. {@code tag}: at most 3 lower-case letters or digits, or empty.
     */
    static BenchDatabase postgres(String url, String tag) {
        if (!tag.matches("[a-z0-9]{0,3}")) {
            throw new IllegalArgumentException("tag must be at most 3 lower-case letters or digits: " + tag);
        }
        return new BenchDatabase("postgres", url, SQLDialect.POSTGRES, runPrefix(tag), null, null);
    }

    /** MariaDB at {@code url}, with a table prefix of its own for this run ({@code bench_<time>_}). */
    static BenchDatabase mariadb(String url) {
        return new BenchDatabase("mariadb", url, SQLDialect.MARIADB, runPrefix(""), null, null);
    }

    private static String runPrefix(String tag) {
        return "bench_" + Long.toString(System.currentTimeMillis(), 36) + "_" + (tag.isEmpty() ? "" : tag + "_");
    }

    /** The MariaDB URL of this run: {@value #MARIADB_URL_ENV}, or {@value #DEFAULT_MARIADB_URL}. */
    static String mariadbUrl() {
        String fromEnv = System.getenv(MARIADB_URL_ENV);
        return fromEnv == null || fromEnv.isBlank() ? DEFAULT_MARIADB_URL : fromEnv.strip();
    }

    /**
     * The PostgreSQL URL of this run ({@link #postgresUrl()}) when it answers; else null, after a
     * {@code SKIP <skipName> <reason>} line on {@code out}, for a suite that then goes on without it.
     */
    static @Nullable String answeringPostgres(String skipName, BenchOutput out) {
        String url = postgresUrl();
        String problem = probe(url);
        if (problem == null) {
            return url;
        }
        out.skip(skipName, "PostgreSQL does not answer at " + shown(url) + " (" + problem + "); set "
                + POSTGRES_URL_ENV + " to the JDBC URL of a database the benchmark may create (and drop) tables in");
        return null;
    }

    /**
     * {@code url} when the database it names answers, after creating that database when the server answers but does
     * not have it (PostgreSQL: from the server's {@code postgres} database; MariaDB: on the server without a
     * database); else null, after a {@code SKIP <skipName> <reason>} line naming {@code env}, the variable that sets
     * the URL.
     */
    static @Nullable String answeringOrCreated(String skipName, String url, String env, BenchOutput out) {
        String problem = probe(url);
        if (problem != null && (problem.contains("does not exist") || problem.contains("Unknown database"))) {
            try {
                createDatabase(url);
                problem = probe(url);
            } catch (SQLException | RuntimeException e) {
                problem += "; creating it failed: " + e.getMessage();
            }
        }
        if (problem == null) {
            return url;
        }
        out.skip(skipName, "the database does not answer at " + shown(url) + " (" + problem + "); set " + env
                + " to the JDBC URL of a database the benchmark may create (and drop) tables in");
        return null;
    }

    /** Creates the database a {@code jdbc:postgresql:} or {@code jdbc:mariadb:} URL names, on its server. */
    private static void createDatabase(String url) throws SQLException {
        if (url.startsWith("jdbc:postgresql:")) {
            PostgresServer server = PostgresServer.of(url);
            PostgresServer.of(server.urlOf("postgres")).createDatabase(server.database());
            return;
        }
        Matcher m = Pattern.compile("(jdbc:(?:mariadb|mysql)://[^/?]+)/([a-z][a-z0-9_]{0,63})(.*)").matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("no plain database name in " + shown(url));
        }
        try (Connection c = DriverManager.getConnection(m.group(1) + "/" + m.group(3));
                Statement st = c.createStatement()) {
            st.execute("create database if not exists `" + m.group(2) + "`");
        }
    }

    /** Null when the database at {@code url} answers within a few seconds, else why it does not. */
    static @Nullable String probe(String url) {
        DriverManager.setLoginTimeout(5);
        try (Connection c = DriverManager.getConnection(url)) {
            return c.isValid(5) ? null : "the connection is not valid";
        } catch (SQLException e) {
            return String.valueOf(e.getMessage());
        }
    }

    /** The URL without its password, for messages. */
    static String shown(String url) {
        return url.replaceAll("(?i)password=[^&;]*", "password=***");
    }

    /** The table prefix of a role: "" for CRMKit's tables, "b" for the baseline's, "wc"/"wb" for warm-ups. */
    String tablePrefix(String role) {
        return role.isEmpty() ? prefix : prefix + role + "_";
    }

    /**
     * CRMKit's storage for a role, built from the URL as an application would, so it owns a HikariCP pool
     * configured by {@link JdbcStorage} (on PostgreSQL with {@code reWriteBatchedInserts=true}). CRMKit's own
     * tables on H2 come from {@link JdbcStorage#h2File}.
     */
    JdbcStorage crmkitStorage(String role) {
        if (h2File != null && role.isEmpty()) {
            return JdbcStorage.h2File(h2File);
        }
        return JdbcStorage.builder().url(url).tablePrefix(tablePrefix(role)).build();
    }

    /**
     * The baseline's pool: HikariCP with exactly the settings {@code JdbcStorage}'s own pool gets from a URL
     * (crm-storage-jdbc, {@code JdbcStorage.pool}): 10 connections at most, 2 idle, READ COMMITTED, and on
     * PostgreSQL {@code reWriteBatchedInserts=true}.
     */
    HikariDataSource baselinePool() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(10);
        config.setMinimumIdle(2);
        config.setPoolName("bench-baseline");
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        if (url.startsWith("jdbc:postgresql:")) {
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        return new HikariDataSource(config);
    }

    /** Writes dirty pages out (PostgreSQL CHECKPOINT, H2 CHECKPOINT), so an import does not pay for the last. */
    void checkpoint(DataSource ds) {
        try (Connection c = ds.getConnection()) {
            DSL.using(c, dialect).query("checkpoint").execute();
        } catch (SQLException | RuntimeException e) {
            System.err.println("# storage." + name + ": checkpoint failed (" + e.getMessage() + "), going on");
        }
    }

    /** Refreshes the planner statistics of a table (PostgreSQL and H2 ANALYZE). */
    void analyze(DataSource ds, String table) throws SQLException {
        try (Connection c = ds.getConnection()) {
            DSLContext dsl = DSL.using(c, dialect);
            if (dialect == SQLDialect.POSTGRES) {
                dsl.query("analyze {0}", DSL.name(table)).execute();
            } else {
                dsl.query("analyze table {0}", DSL.name(table)).execute();
            }
        }
    }

    /** Drops every table whose name starts with {@code tablePrefix}. */
    void dropTables(DataSource ds, String tablePrefix) throws SQLException {
        try (Connection c = ds.getConnection()) {
            DSLContext dsl = DSL.using(c, dialect);
            DatabaseMetaData meta = c.getMetaData();
            List<String> tables = new ArrayList<>();
            boolean mariadb = dialect == SQLDialect.MARIADB;
            if (mariadb) {
                // InnoDB refuses to drop a table another one's foreign key points to; the run drops them all
                dsl.query("set foreign_key_checks = 0").execute();
            }
            try (ResultSet rs = meta.getTables(c.getCatalog(), mariadb ? null : c.getSchema(),
                    tablePrefix.replace("_", "\\_") + "%",
                    new String[] {"TABLE"})) {
                while (rs.next()) {
                    String t = rs.getString("TABLE_NAME");
                    if (t.startsWith(tablePrefix)) {
                        tables.add(t);
                    }
                }
            }
            for (String t : tables) {
                dsl.dropTableIfExists(DSL.name(t)).cascade().execute();
            }
            if (mariadb) {
                dsl.query("set foreign_key_checks = 1").execute();
            }
        }
    }

    /** PostgreSQL: drops the run's tables. H2: deletes the directory (every pool on it must be closed). */
    @Override
    public void close() throws IOException, SQLException {
        if (h2Dir == null) {
            try (HikariDataSource ds = baselinePool()) {
                dropTables(ds, prefix);
            }
            return;
        }
        try (Stream<Path> files = Files.walk(h2Dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    @Override
    public String toString() {
        return name.toUpperCase(Locale.ROOT) + " " + shown(url) + (prefix.isEmpty() ? "" : " (tables " + prefix + "*)");
    }
}
