package org.crmkit.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Online schema changes (issue 19, item 5): on PostgreSQL and MariaDB, with {@code --size} contacts stored,
 * {@value #DEFAULT_WRITERS} writer threads create and update contacts while four schema changes run one after another
 * through {@code crm.schema()}: an indexed field, a unique field, a reference to {@code company}, and deleting a
 * field that holds data. Per change it prints how long the writers were held up (the longest write that ran during
 * the change) against the median write outside the changes, as {@code BENCH schema.<db>.online_add_index} and the
 * like, and {@code FIGURE} lines in milliseconds; the goal is an absolute stall under one second. See
 * {@link SchemaRun} for the steps and {@link WriteStalls} for the measures.
 *
 * <p>PostgreSQL comes from {@value BenchDatabase#POSTGRES_URL_ENV}, MariaDB from
 * {@value BenchDatabase#MARIADB_URL_ENV}; a database the URL names that does not exist is created; a server that
 * does not answer is reported as a {@code SKIP} line.
 */
final class SchemaSuite implements Suite {
    static final int DEFAULT_SIZE = 1_000_000;
    static final int DEFAULT_WRITERS = 8;
    static final int DEFAULT_PAUSE_SECONDS = 2;

    @Override
    public String name() {
        return "schema";
    }

    @Override
    public String description() {
        return "online schema changes on PostgreSQL and MariaDB: longest write stall of 8 writers during each change "
                + "vs the median write";
    }

    @Override
    public int defaultSize() {
        return DEFAULT_SIZE;
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("db", "postgres|mariadb|both (default both); PostgreSQL at $" + BenchDatabase.POSTGRES_URL_ENV
                + ", MariaDB at $" + BenchDatabase.MARIADB_URL_ENV + ", default " + BenchDatabase.DEFAULT_MARIADB_URL);
        o.put("writers", "writer threads during the changes (default " + DEFAULT_WRITERS + ")");
        o.put("pause", "seconds of plain writing before, between and after the changes (default "
                + DEFAULT_PAUSE_SECONDS + ")");
        return o;
    }

    @Override
    public void check(BenchConfig config) {
        databases(config);
        config.positive("writers", DEFAULT_WRITERS);
        config.positive("pause", DEFAULT_PAUSE_SECONDS);
    }

    /** The databases {@code --db} names. */
    static List<String> databases(BenchConfig config) {
        return switch (config.option("db", "both").toLowerCase(Locale.ROOT)) {
            case "both", "all" -> List.of("postgres", "mariadb");
            case "postgres", "postgresql", "pg" -> List.of("postgres");
            case "mariadb", "mysql" -> List.of("mariadb");
            default -> throw new IllegalArgumentException("--db must be postgres, mariadb or both, got '"
                    + config.option("db", "") + "'");
        };
    }

    @Override
    public void run(BenchConfig config, BenchOutput out) throws Exception {
        for (String db : databases(config)) {
            boolean postgres = db.equals("postgres");
            String url = BenchDatabase.answeringOrCreated("schema." + db,
                    postgres ? BenchDatabase.postgresUrl() : BenchDatabase.mariadbUrl(),
                    postgres ? BenchDatabase.POSTGRES_URL_ENV : BenchDatabase.MARIADB_URL_ENV, out);
            if (url == null) {
                continue;
            }
            try (BenchDatabase database = postgres ? BenchDatabase.postgres(url) : BenchDatabase.mariadb(url)) {
                long start = System.nanoTime();
                StorageSuite.note("schema." + db, "on %s", database);
                new SchemaRun(database, config, config.positive("writers", DEFAULT_WRITERS),
                        config.positive("pause", DEFAULT_PAUSE_SECONDS)).run(out);
                StorageSuite.note("schema." + db, "done in %.0f s", (System.nanoTime() - start) / 1e9);
            }
        }
    }
}
