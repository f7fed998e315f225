package org.crmkit.storage.jdbc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A JDBC storage on one of the {@link TestDatabase}s whose tables a test can also read with plain JDBC (the H2 URLs
 * of {@link TestDatabase} are private to it, so H2 files are made here). {@link #isolated} puts the storage in a
 * database of its own (an H2 file, a PostgreSQL schema, a MariaDB database), so a test can check that every table
 * in it belongs to the storage. {@link #close()} closes every storage opened through it and removes its tables.
 */
final class TestStore implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final long PID = ProcessHandle.current().pid() % 100_000;

    final TestDatabase db;
    /** The JDBC URL the storage uses, and that {@link #connect()} uses. */
    final String url;
    /** The table prefix of the storage. */
    final String prefix;
    private final @Nullable String isolatedIn;
    /** Whether {@link #close()} removes the tables (or the isolated database); false for {@link #sameDatabase}. */
    private final boolean owner;
    private final List<JdbcStorage> opened = new ArrayList<>();

    private TestStore(TestDatabase db, String url, String prefix, @Nullable String isolatedIn, boolean owner) {
        this.db = db;
        this.url = url;
        this.prefix = prefix;
        this.isolatedIn = isolatedIn;
        this.owner = owner;
    }

    private TestStore(TestDatabase db, String url, String prefix, @Nullable String isolatedIn) {
        this(db, url, prefix, isolatedIn, true);
    }

    /**
     * Another prefix in the database of an {@link #isolated} store; closing it closes its storages only (the
     * isolated store removes the whole database).
     */
    static TestStore sameDatabase(TestStore isolated, String prefix) {
        if (isolated.isolatedIn == null) {
            throw new IllegalArgumentException("only inside an isolated store");
        }
        return new TestStore(isolated.db, isolated.url, prefix, isolated.isolatedIn, false);
    }

    /** A fresh place for a storage with a generated prefix on the servers and none on H2 (not yet opened). */
    static TestStore create(TestDatabase db) {
        db.requireAvailable();
        int n = COUNTER.incrementAndGet();
        if (db == TestDatabase.H2) {
            return new TestStore(db, h2Url("ts" + n), "", null);
        }
        String prefix = "ts" + PID + "_" + n + "_";
        db.dropTables(prefix);
        return new TestStore(db, db.url(), prefix, null);
    }

    /** As {@link #create}, with a prefix of exactly {@code length} characters (1 to 20) on every database. */
    static TestStore create(TestDatabase db, int length) {
        db.requireAvailable();
        int n = COUNTER.incrementAndGet();
        String stem = "p" + PID + "_" + n + "_";
        if (length < stem.length() || length > 20) {
            throw new IllegalArgumentException("prefix length " + length);
        }
        String prefix = stem.substring(0, stem.length() - 1) + "x".repeat(length - stem.length()) + "_";
        if (db == TestDatabase.H2) {
            return new TestStore(db, h2Url("tp" + n), prefix, null);
        }
        db.dropTables(prefix);
        return new TestStore(db, db.url(), prefix, null);
    }

    /**
     * A fresh database of its own (H2 file, PostgreSQL schema, MariaDB database) with the given prefix, so every
     * table in it is the storage's.
     */
    static TestStore isolated(TestDatabase db, String prefix) {
        db.requireAvailable();
        int n = COUNTER.incrementAndGet();
        if (db == TestDatabase.H2) {
            return new TestStore(db, h2Url("iso" + n), prefix, "PUBLIC");
        }
        String name = "crmkit_iso" + PID + "_" + n;
        try (Connection c = DriverManager.getConnection(db.url()); Statement s = c.createStatement()) {
            if (db == TestDatabase.POSTGRES) {
                s.execute("drop schema if exists " + name + " cascade");
                s.execute("create schema " + name);
            } else {
                s.execute("drop database if exists " + name);
                s.execute("create database " + name + " character set utf8mb4 collate utf8mb4_nopad_bin");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create " + name + ": " + e.getMessage(), e);
        }
        String base = db.url();
        String url = db == TestDatabase.POSTGRES
                ? base + (base.contains("?") ? "&" : "?") + "currentSchema=" + name
                : base.replaceFirst("^(jdbc:(mariadb|mysql)://[^/?]+/)[^?]*", "$1" + name);
        if (url.equals(base)) {
            throw new IllegalStateException("cannot point " + base + " at database " + name);
        }
        return new TestStore(db, url, prefix, name);
    }

    private static String h2Url(String name) {
        Path dir = Path.of("target", "h2-tests", Long.toString(ProcessHandle.current().pid()));
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return "jdbc:h2:file:" + dir.resolve(name).toAbsolutePath() + ";LOCK_TIMEOUT=10000";
    }

    /** Opens a storage here (every call: another storage on the same data, like a second node). */
    JdbcStorage open() {
        return open(b -> b);
    }

    JdbcStorage open(UnaryOperator<JdbcStorage.Builder> settings) {
        JdbcStorage s = settings.apply(JdbcStorage.builder().url(url).tablePrefix(prefix)).build();
        opened.add(s);
        return s;
    }

    /** A plain JDBC connection to the same database. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    /** Metadata catalog and schema arguments for this database. */
    private @Nullable String catalog(Connection c) throws SQLException {
        return db == TestDatabase.MARIADB ? c.getCatalog() : null;
    }

    private @Nullable String schema(Connection c) throws SQLException {
        return db == TestDatabase.MARIADB ? null : c.getSchema();
    }

    /** Every table of the database (schema) this store is in whose name starts with {@code start}. */
    TreeSet<String> tables(String start) throws SQLException {
        TreeSet<String> out = new TreeSet<>();
        try (Connection c = connect();
                ResultSet rs = c.getMetaData().getTables(catalog(c), schema(c), "%",
                        new String[] {"TABLE"})) {
            while (rs.next()) {
                String t = rs.getString("TABLE_NAME");
                if (t.startsWith(start)) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    /** One column as {@link DatabaseMetaData#getColumns} describes it. */
    record Column(String name, int sqlType, String typeName, int size, int digits) {
        boolean isText() {
            return sqlType == java.sql.Types.VARCHAR || sqlType == java.sql.Types.NVARCHAR
                    || sqlType == java.sql.Types.LONGVARCHAR || sqlType == java.sql.Types.CLOB
                    || sqlType == java.sql.Types.LONGNVARCHAR || sqlType == java.sql.Types.CHAR;
        }

        boolean isDecimal() {
            return sqlType == java.sql.Types.DECIMAL || sqlType == java.sql.Types.NUMERIC;
        }

        boolean isUuidLike() {
            String t = typeName.toLowerCase(Locale.ROOT);
            return t.contains("uuid")
                    || (sqlType == java.sql.Types.CHAR || sqlType == java.sql.Types.VARCHAR) && size == 36
                    || sqlType == java.sql.Types.BINARY && size == 16;
        }
    }

    /** The columns of a table, by name, in table order. */
    Map<String, Column> columns(String table) throws SQLException {
        Map<String, Column> out = new LinkedHashMap<>();
        try (Connection c = connect();
                ResultSet rs = c.getMetaData().getColumns(catalog(c), schema(c),
                        escape(c, table), "%")) {
            while (rs.next()) {
                out.put(rs.getString("COLUMN_NAME"), new Column(rs.getString("COLUMN_NAME"), rs.getInt("DATA_TYPE"),
                        rs.getString("TYPE_NAME"), rs.getInt("COLUMN_SIZE"), rs.getInt("DECIMAL_DIGITS")));
            }
        }
        return out;
    }

    /** A foreign key column: {@code table.column -> targetTable.targetColumn}. */
    record ForeignKey(String column, String targetTable, String targetColumn, String name) {}

    List<ForeignKey> foreignKeys(String table) throws SQLException {
        List<ForeignKey> out = new ArrayList<>();
        try (Connection c = connect(); ResultSet rs = c.getMetaData().getImportedKeys(catalog(c), schema(c), table)) {
            while (rs.next()) {
                out.add(new ForeignKey(rs.getString("FKCOLUMN_NAME"), rs.getString("PKTABLE_NAME"),
                        rs.getString("PKCOLUMN_NAME"), rs.getString("FK_NAME")));
            }
        }
        return out;
    }

    /** An index: its name, whether unique, and its columns in order. */
    record Index(String name, boolean unique, List<String> columns) {}

    Map<String, Index> indexes(String table) throws SQLException {
        Map<String, Index> out = new LinkedHashMap<>();
        try (Connection c = connect();
                ResultSet rs = c.getMetaData().getIndexInfo(catalog(c), schema(c), table,
                        false, false)) {
            Map<String, List<String>> cols = new LinkedHashMap<>();
            Map<String, Boolean> unique = new LinkedHashMap<>();
            while (rs.next()) {
                String name = rs.getString("INDEX_NAME");
                if (name == null) {
                    continue;
                }
                cols.computeIfAbsent(name, k -> new ArrayList<>()).add(rs.getString("COLUMN_NAME"));
                unique.put(name, !rs.getBoolean("NON_UNIQUE"));
            }
            cols.forEach((name, cs) -> out.put(name, new Index(name, unique.get(name), cs)));
        }
        return out;
    }

    /** Metadata patterns treat '_' as a wildcard; escape it so only the exact table matches. */
    private static String escape(Connection c, String name) throws SQLException {
        String esc = c.getMetaData().getSearchStringEscape();
        return esc == null ? name : name.replace(esc, esc + esc).replace("_", esc + "_").replace("%", esc + "%");
    }

    @Override
    public void close() {
        for (JdbcStorage s : opened) {
            try {
                s.close();
            } catch (RuntimeException e) {
                // already closed by the test
            }
        }
        opened.clear();
        if (db == TestDatabase.H2 || !owner) {
            return;
        }
        if (isolatedIn == null) {
            db.dropTables(prefix);
            return;
        }
        try (Connection c = DriverManager.getConnection(db.url()); Statement s = c.createStatement()) {
            s.execute(db == TestDatabase.POSTGRES ? "drop schema if exists " + isolatedIn + " cascade"
                    : "drop database if exists " + isolatedIn);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop " + isolatedIn + ": " + e.getMessage(), e);
        }
    }
}
