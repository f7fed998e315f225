package org.crmkit.benchmarks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import net.datafaker.Faker;
import org.crmkit.Crm;
import org.crmkit.backup.RestoreResult;
import org.crmkit.data.csv.CsvImportResult;
import org.crmkit.query.Filters;
import org.crmkit.schema.Field;
import org.crmkit.security.Principal;
import org.crmkit.storage.jdbc.JdbcStorage;
import org.postgresql.PGConnection;

/**
 * Data in and out on PostgreSQL, against PostgreSQL's own tools on the same data. Each side works in whole databases
 * of its own ({@code bench_<time>_data_<role>}, made with {@code CREATE DATABASE} through the URL's database and
 * dropped at the end), because {@code pg_dump} dumps a database. Three lines, each one timed run of a batch:
 *
 * <ul>
 *   <li>{@code data.csv_import}: a CSV file of {@code --size} contacts (Datafaker, fixed seed: first and last name,
 *       a unique email, a phone in E.164, title, {@code do_not_contact} and the custom picklist {@code tier}),
 *       written once to a temporary directory, imported by {@code crm.as(SYSTEM).csvImport("contact").run(...)}
 *       (default batches of 1,000 rows) into a {@code Crm} on an empty database, against pgjdbc's
 *       {@code CopyManager.copyIn("COPY ... FROM STDIN WITH (FORMAT csv, HEADER true)")} of the same file into an
 *       identical {@code crm_contact} (made by a CRMKit storage with the same schema on another database, then used
 *       through SQL only; the columns the file lacks get defaults: {@code gen_random_uuid()}, version 1, owner
 *       {@code system}, {@code localtimestamp}); goal at most 3.0 times;</li>
 *   <li>{@code data.backup}: {@code crm.admin().backup(file)} of that database against {@code pg_dump -Fc} of the
 *       same database; goal at most 2.0 times;</li>
 *   <li>{@code data.restore}: {@code admin().restore(archive)} into a {@code Crm} on a new empty database against
 *       {@code pg_restore -d} of the dump into another new empty database; goal at most 2.0 times.</li>
 * </ul>
 *
 * Both sides are checked: {@code --size} rows created without errors, and {@code --size} contacts after each
 * restore. PostgreSQL comes from {@value BenchDatabase#POSTGRES_URL_ENV}; when it does not answer, or
 * {@code pg_dump}/{@code pg_restore} are not on the PATH, {@code SKIP} lines say so.
 */
final class DataSuite implements Suite {
    static final String[] COLUMNS = {"first_name", "last_name", "email", "phone", "title", "do_not_contact", "tier"};

    @Override
    public String name() {
        return "data";
    }

    @Override
    public String description() {
        return "PostgreSQL: CSV import vs COPY FROM, backup vs pg_dump -Fc, restore vs pg_restore (contacts)";
    }

    @Override
    public int defaultSize() {
        return 1_000_000;
    }

    @Override
    public void run(BenchConfig config, BenchOutput out) throws Exception {
        String url = BenchDatabase.postgresUrl();
        String problem = BenchDatabase.probe(url);
        if (problem != null) {
            for (String line : List.of("csv_import", "backup", "restore")) {
                out.skip("data." + line, "PostgreSQL does not answer at " + BenchDatabase.shown(url) + " (" + problem
                        + "); set " + BenchDatabase.POSTGRES_URL_ENV + " to the JDBC URL of a database from which the "
                        + "benchmark may create (and drop) databases");
            }
            return;
        }
        PostgresServer server = PostgresServer.of(url);
        String prefix = "bench_" + Long.toString(System.currentTimeMillis(), 36) + "_data_";
        Path dir = Files.createTempDirectory("crmkit-bench-data-");
        List<String> made = new ArrayList<>();
        try {
            Path csv = dir.resolve("contacts.csv");
            long t0 = System.nanoTime();
            writeCsv(csv, config.size(), config.seed());
            note("%d contacts written to %s in %.1f s (%.1f MB)", config.size(), csv, (System.nanoTime() - t0) / 1e9,
                    Files.size(csv) / 1e6);
            String crmDb = create(server, made, prefix + "c");
            String baseDb = create(server, made, prefix + "b");
            note("CRMKit in database %s, COPY in %s (server %s)", crmDb, baseDb, BenchDatabase.shown(url));
            try (Crm crm = newCrm(JdbcStorage.builder().url(server.urlOf(crmDb)).build())) {
                csvImport(server, crm, crmDb, baseDb, csv, config.size(), out);
                String missing = firstMissing("pg_dump", "pg_restore");
                if (missing != null) {
                    out.skip("data.backup", missing);
                    out.skip("data.restore", missing);
                    return;
                }
                note("%s, %s", PostgresServer.version("pg_dump"), PostgresServer.version("pg_restore"));
                Path archive = dir.resolve("crmkit.backup");
                Path dump = dir.resolve("pg.dump");
                backup(server, crm, crmDb, archive, dump, out);
                restore(server, made, prefix, archive, dump, config.size(), out);
            }
        } finally {
            for (String db : made) {
                try {
                    server.dropDatabase(db);
                } catch (SQLException e) {
                    note("could not drop database %s: %s", db, String.valueOf(e.getMessage()));
                }
            }
            deleteTree(dir);
        }
    }

    private void csvImport(PostgresServer server, Crm crm, String crmDb, String baseDb, Path csv, int size,
            BenchOutput out) throws Exception {
        // the baseline's table: crm_contact as a CRMKit storage with the same schema creates it, used through SQL only
        String baseUrl = server.urlOf(baseDb);
        JdbcStorage shape = JdbcStorage.builder().url(baseUrl).build();
        String table = shape.tablePrefix() + "crm_contact";
        newCrm(shape).close();
        List<String> defaulted = addDefaults(baseUrl, table);
        note("baseline table %s: defaults for %s", table, String.join(", ", defaulted));

        checkpoint(server.urlOf(crmDb));
        long start = System.nanoTime();
        CsvImportResult r = crm.as(Principal.SYSTEM).csvImport("contact").run("bench", csv);
        long crmkitNanos = System.nanoTime() - start;
        if (r.created() != size || r.failed() != 0 || r.skipped() != 0 || !r.ignoredColumns().isEmpty()) {
            throw new IllegalStateException("CRMKit's import of " + size + " rows: created " + r.created() + ", failed "
                    + r.failed() + ", skipped " + r.skipped() + ", ignored columns " + r.ignoredColumns()
                    + ", first errors " + r.errors().stream().limit(3).toList());
        }

        checkpoint(baseUrl);
        long copied;
        long baselineNanos;
        try (Connection c = DriverManager.getConnection(baseUrl);
                Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String copy = "COPY " + table + " (" + String.join(", ", COLUMNS) + ") FROM STDIN WITH (FORMAT csv, "
                    + "HEADER true)";
            start = System.nanoTime();
            copied = c.unwrap(PGConnection.class).getCopyAPI().copyIn(copy, in);
            baselineNanos = System.nanoTime() - start;
        }
        long rows = count(baseUrl, table);
        if (copied != size || rows != size) {
            throw new IllegalStateException("COPY of " + size + " rows: copied " + copied + ", table holds " + rows);
        }
        note("csv_import: CRMKit %.0f rows/s, COPY %.0f rows/s", size / (crmkitNanos / 1e9),
                size / (baselineNanos / 1e9));
        out.report(new BenchLine("data.csv_import", crmkitNanos, baselineNanos));
    }

    private void backup(PostgresServer server, Crm crm, String crmDb, Path archive, Path dump, BenchOutput out)
            throws Exception {
        checkpoint(server.urlOf(crmDb));
        long start = System.nanoTime();
        var manifest = crm.admin().backup(archive);
        long crmkitNanos = System.nanoTime() - start;
        start = System.nanoTime();
        server.run("pg_dump", "-Fc", "-f", dump.toString(), "-d", crmDb);
        long baselineNanos = System.nanoTime() - start;
        note("backup: CRMKit archive %.1f MB (%d records), pg_dump -Fc %.1f MB", Files.size(archive) / 1e6,
                manifest.records(), Files.size(dump) / 1e6);
        out.report(new BenchLine("data.backup", crmkitNanos, baselineNanos));
    }

    private void restore(PostgresServer server, List<String> made, String prefix, Path archive, Path dump, int size,
            BenchOutput out) throws Exception {
        String crmDb = create(server, made, prefix + "rc");
        String baseDb = create(server, made, prefix + "rb");
        long crmkitNanos;
        try (Crm fresh = Crm.builder().storage(JdbcStorage.builder().url(server.urlOf(crmDb)).build())
                .defaultPhoneRegion("US").build()) {
            checkpoint(server.urlOf(crmDb));
            long start = System.nanoTime();
            RestoreResult r = fresh.admin().restore(archive);
            crmkitNanos = System.nanoTime() - start;
            long contacts = fresh.as(Principal.SYSTEM).records("contact").count(Filters.all());
            if (contacts != size) {
                throw new IllegalStateException("the restored CRMKit store holds " + contacts + " contacts, not "
                        + size + " (restore result: " + r.records() + " records)");
            }
            note("restore: CRMKit restored %d records, %d change-log entries", r.records(), r.changeLogEntries());
        }
        checkpoint(server.urlOf(baseDb));
        long start = System.nanoTime();
        server.run("pg_restore", "-d", baseDb, dump.toString());
        long baselineNanos = System.nanoTime() - start;
        long rows = count(server.urlOf(baseDb), "crm_contact");
        if (rows != size) {
            throw new IllegalStateException("pg_restore's crm_contact holds " + rows + " rows, not " + size);
        }
        out.report(new BenchLine("data.restore", crmkitNanos, baselineNanos));
    }

    /** The standard contact plus the picklist {@code tier}. */
    static Crm newCrm(JdbcStorage storage) {
        Crm crm = Crm.builder().storage(storage).defaultPhoneRegion("US").build();
        crm.schema().addField("contact", Field.picklist("tier", ContactData.TIERS));
        return crm;
    }

    /** Writes the CSV of {@code count} contacts: {@link #COLUMNS}, values in CRMKit's canonical form. */
    static void writeCsv(Path file, int count, long seed) throws IOException {
        Faker faker = new Faker(Locale.US, new Random(seed));
        Random random = new Random(seed ^ 0x5DEECE66DL);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(String.join(",", COLUMNS));
            w.write('\n');
            for (int i = 0; i < count; i++) {
                String first = faker.name().firstName();
                String last = faker.name().lastName();
                int t = random.nextInt(100);
                String[] row = {first, last,
                        ContactData.emailLocalPart(first) + "." + ContactData.emailLocalPart(last) + "." + i
                                + "@example.com",
                        ContactData.e164(random), faker.job().title(), random.nextInt(10) == 0 ? "true" : "false",
                        ContactData.TIERS[t < 50 ? 0 : t < 80 ? 1 : t < 95 ? 2 : 3]};
                for (int c = 0; c < row.length; c++) {
                    if (c > 0) {
                        w.write(',');
                    }
                    cell(w, row[c]);
                }
                w.write('\n');
            }
        }
    }

    /** One RFC 4180 cell, quoted when it holds a comma, quote or line break. */
    private static void cell(Writer w, String value) throws IOException {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            w.write(value);
        } else {
            w.write('"');
            w.write(value.replace("\"", "\"\""));
            w.write('"');
        }
    }

    /**
     * Gives every NOT NULL column of {@code table} that has no default and that the file does not fill a default
     * by its type, so that COPY can load the same file; returns the columns with their defaults.
     */
    private static List<String> addDefaults(String url, String table) throws SQLException {
        List<String> done = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            List<String[]> columns = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("select column_name, data_type from information_schema.columns "
                    + "where table_schema = current_schema() and table_name = '" + table + "' and is_nullable = 'NO' "
                    + "and column_default is null order by ordinal_position")) {
                while (rs.next()) {
                    columns.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            for (String[] col : columns) {
                if (List.of(COLUMNS).contains(col[0])) {
                    continue;
                }
                String value = switch (col[1]) {
                    case "uuid" -> "gen_random_uuid()";
                    case "bigint", "integer", "smallint" -> "1";
                    case "timestamp without time zone" -> "localtimestamp";
                    case "timestamp with time zone" -> "now()";
                    case "character varying", "text" -> "'system'";
                    case "boolean" -> "false";
                    default -> throw new IllegalStateException(table + "." + col[0] + " is NOT NULL of type " + col[1]
                            + ", for which the baseline has no default");
                };
                s.execute("alter table " + table + " alter column " + col[0] + " set default " + value);
                done.add(col[0] + " " + value);
            }
        }
        return done;
    }

    private static long count(String url, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Writes dirty pages out, so that a timed part does not pay for the one before. */
    private static void checkpoint(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("checkpoint");
        }
    }

    private static String create(PostgresServer server, List<String> made, String name) throws SQLException {
        server.dropDatabase(name);
        server.createDatabase(name);
        made.add(name);
        return name;
    }

    private static @org.jspecify.annotations.Nullable String firstMissing(String... tools) {
        for (String tool : tools) {
            String missing = PostgresServer.missingTool(tool);
            if (missing != null) {
                return missing;
            }
        }
        return null;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    static void note(String format, Object... args) {
        System.err.println("# data: " + String.format(Locale.ROOT, format, args));
        System.err.flush();
    }
}
