package org.crmkit.storage.jdbc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.crmkit.CrmStorage;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases the JDBC tests run on. H2 always (a file per test under {@code target/h2}); PostgreSQL and
 * MariaDB at {@code CRMKIT_TEST_POSTGRES_URL} / {@code CRMKIT_TEST_MARIADB_URL}, by default the loopback servers
 * of the development machine (README, "Tests on real servers"). A server that does not answer skips its tests
 * with a message, unless {@code CRMKIT_TEST_REQUIRE_DATABASES=true} (as in {@code .ci/run}), where it fails them.
 *
 * <p>On the servers each storage gets its own table prefix ({@code pg<pid>_<n>_}), so tests (and test JVMs) share
 * one database; a prefix's tables are dropped before it is used and again when the JVM exits.
 */
public enum TestDatabase {
    H2(null, null),
    POSTGRES("CRMKIT_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"),
    MARIADB("CRMKIT_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test?user=root");

    private static final Map<TestDatabase, String> UNAVAILABLE = new ConcurrentHashMap<>();
    private static final Map<TestDatabase, Boolean> CHECKED = new ConcurrentHashMap<>();
    private static final Map<CrmStorage, String> H2_URLS = new ConcurrentHashMap<>();
    private static final Map<String, TestDatabase> USED_PREFIXES = new ConcurrentHashMap<>();
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Path H2_DIR = Path.of("target", "h2", Long.toString(ProcessHandle.current().pid()));

    private final String variable;
    private final String defaultUrl;

    TestDatabase(String variable, String defaultUrl) {
        this.variable = variable;
        this.defaultUrl = defaultUrl;
    }

    /**
     * The JDBC URL. On PostgreSQL the tests' sessions run with {@code synchronous_commit=off} (unless the URL sets
     * {@code options}): a test database need not survive a power cut, and the lost-update test's 16,000 serial
     * commits would otherwise each wait for an fsync.
     */
    public String url() {
        String fromEnv = variable == null ? null : System.getenv(variable);
        String url = fromEnv == null || fromEnv.isBlank() ? defaultUrl : fromEnv;
        if (this == POSTGRES && !url.contains("options=")) {
            url += (url.contains("?") ? "&" : "?") + "options=-c%20synchronous_commit%3Doff";
        }
        return url;
    }

    /** Skips (or, when databases are required, fails) the calling test unless this database answers. */
    public void requireAvailable() {
        if (this == H2) {
            return;
        }
        CHECKED.computeIfAbsent(this, d -> {
            try (Connection c = DriverManager.getConnection(url())) {
                c.isValid(2);
            } catch (SQLException e) {
                UNAVAILABLE.put(d, e.getMessage());
            }
            return true;
        });
        String why = UNAVAILABLE.get(this);
        if (why == null) {
            return;
        }
        String message = name() + " does not answer at " + url() + " (" + why + "); set " + variable
                + " to a JDBC URL of a database CRMKit may create tables in to run these tests";
        if ("true".equalsIgnoreCase(System.getenv("CRMKIT_TEST_REQUIRE_DATABASES"))) {
            throw new AssertionError(message + " [CRMKIT_TEST_REQUIRE_DATABASES=true, so this is a failure]");
        }
        Assumptions.abort(message);
    }

    /** A fresh, empty storage. */
    public JdbcStorage newStorage() {
        return newStorage(JdbcStorage.builder());
    }

    /** A fresh, empty storage with extra settings. */
    public JdbcStorage newStorage(JdbcStorage.Builder builder) {
        requireAvailable();
        int n = COUNTER.incrementAndGet();
        if (this == H2) {
            try {
                Files.createDirectories(H2_DIR);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            String url = h2Url(H2_DIR.resolve("db" + n));
            JdbcStorage storage = builder.url(url).build();
            H2_URLS.put(storage, url);
            return storage;
        }
        String prefix = (this == POSTGRES ? "pg" : "mdb") + ProcessHandle.current().pid() % 100_000 + "_" + n + "_";
        dropTables(prefix);
        if (USED_PREFIXES.isEmpty()) {
            Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::dropUsedPrefixes));
        }
        USED_PREFIXES.put(prefix, this);
        return builder.url(url()).tablePrefix(prefix).build();
    }

    private static String h2Url(Path file) {
        return "jdbc:h2:file:" + file.toAbsolutePath() + ";LOCK_TIMEOUT=10000";
    }

    /** A storage on the same data as {@code closed}. */
    public JdbcStorage reopen(CrmStorage closed) {
        JdbcStorage previous = (JdbcStorage) closed;
        if (this == H2) {
            JdbcStorage again = JdbcStorage.builder().url(H2_URLS.get(previous)).build();
            H2_URLS.put(again, H2_URLS.get(previous));
            return again;
        }
        return JdbcStorage.builder().url(url()).tablePrefix(previous.tablePrefix()).build();
    }

    /** Leaves the shared test databases as they were: drops the tables of every prefix this JVM used. */
    private static void dropUsedPrefixes() {
        USED_PREFIXES.forEach((prefix, db) -> {
            try {
                db.dropTables(prefix);
            } catch (RuntimeException e) {
                // best effort at JVM exit; the next run with this prefix drops them first
            }
        });
    }

    /** Drops every table whose name starts with {@code prefix} (foreign keys first). */
    public void dropTables(String prefix) {
        try (Connection c = DriverManager.getConnection(url())) {
            DSLContext dsl = DSL.using(c);
            java.sql.DatabaseMetaData meta = c.getMetaData();
            String schema = this == MARIADB ? null : c.getSchema();
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = meta.getTables(c.getCatalog(), schema, prefix.replace("_", "\\_") + "%",
                    new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            for (String t : tables) {
                List<String> keys = new ArrayList<>();
                try (ResultSet rs = meta.getImportedKeys(c.getCatalog(), schema, t)) {
                    while (rs.next()) {
                        keys.add(rs.getString("FK_NAME"));
                    }
                }
                for (String fk : new java.util.LinkedHashSet<>(keys)) {
                    dsl.alterTable(DSL.name(t)).dropForeignKey(DSL.name(fk)).execute();
                }
            }
            for (String t : tables) {
                dsl.dropTableIfExists(DSL.name(t)).execute();
            }
            if (this == POSTGRES) { // the change log's sequence (migration V10)
                try (ResultSet rs = meta.getTables(c.getCatalog(), schema, prefix.replace("_", "\\_") + "%",
                        new String[] {"SEQUENCE"})) {
                    List<String> sequences = new ArrayList<>();
                    while (rs.next()) {
                        sequences.add(rs.getString("TABLE_NAME"));
                    }
                    for (String s : sequences) {
                        dsl.dropSequenceIfExists(DSL.name(s)).execute();
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot clean up tables " + prefix + "*: " + e.getMessage(), e);
        }
    }
}
