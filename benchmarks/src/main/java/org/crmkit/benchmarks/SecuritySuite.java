package org.crmkit.benchmarks;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What security costs, per database (H2 in a file, PostgreSQL), each figure against the same operation without it on
 * the same data in the same database, measured in the same run:
 *
 * <ul>
 *   <li>{@code security.<db>.encrypted_get} and {@code security.<db>.encrypted_update} ({@link EncryptionRun}):
 *       {@code get(id)} of random contacts, and {@code update} of one field, on contacts whose five custom fields are
 *       encrypted, against the same contacts with the same fields unencrypted (goal: at most 1.3 times).</li>
 *   <li>{@code security.<db>.shared_query} ({@link SharingRun}): a page of the open deals of a stage, sorted by
 *       close date, and their count, as a stored user who reaches deals through three levels of role hierarchy and
 *       ten sharing rules ({@link SalesTerritories}), against the same query as a stored user whose role reads every
 *       deal (goal: at most 1.5 times on PostgreSQL at 1,000,000 deals).</li>
 * </ul>
 *
 * {@code --size} is the number of deals; the encrypted lines work on {@code --contacts} contacts (default the smaller
 * of {@code --size} and {@value #DEFAULT_CONTACTS}). Every figure checks its setup before it is timed (ciphertext in
 * the table and the plaintext read back; the user's reach equal to the hierarchy and rules written out as a filter),
 * so a broken setup fails the suite rather than printing a figure. PostgreSQL comes from
 * {@value BenchDatabase#POSTGRES_URL_ENV}; when it does not answer, a {@code SKIP} line says so and the suite goes on.
 */
final class SecuritySuite implements Suite {
    static final int DEFAULT_CONTACTS = 100_000;
    static final int DEFAULT_OPS = 2_000;
    static final int DEFAULT_QUERIES = 20;
    /** Untimed passes of each side before the timed rounds (more while they take under half a second). */
    static final int WARMUPS = 2;

    @Override
    public String name() {
        return "security";
    }

    @Override
    public String description() {
        return "encrypted vs plain fields (get, update of a field) and a deal query through role hierarchy and "
                + "sharing rules vs an all-seeing role, on H2 and PostgreSQL";
    }

    @Override
    public int defaultSize() {
        return 1_000_000;
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("db", BenchDatabase.DB_OPTION);
        o.put("part", "encryption|sharing|all (default all)");
        o.put("contacts", "contacts for the encrypted lines (default the smaller of --size and " + DEFAULT_CONTACTS
                + ")");
        o.put("ops", "gets or updates of each side per timed round (default " + DEFAULT_OPS + ")");
        o.put("queries", "queries (page + count) of each side per timed round for shared_query (default "
                + DEFAULT_QUERIES + ")");
        return o;
    }

    @Override
    public void check(BenchConfig config) {
        config.databases();
        part(config);
        contacts(config);
        config.ops(DEFAULT_OPS);
        config.positive("queries", DEFAULT_QUERIES);
    }

    /** The {@code --part} to run: encryption, sharing or all. */
    static String part(BenchConfig config) {
        String part = config.option("part", "all").toLowerCase(Locale.ROOT);
        if (!part.equals("encryption") && !part.equals("sharing") && !part.equals("all")) {
            throw new IllegalArgumentException("--part must be encryption, sharing or all, got '" + part + "'");
        }
        return part;
    }

    static int contacts(BenchConfig config) {
        return config.positive("contacts", Math.min(config.size(), DEFAULT_CONTACTS));
    }

    @Override
    public void run(BenchConfig config, BenchOutput out) throws Exception {
        String part = part(config);
        for (String db : config.databases()) {
            String url = db.equals("h2") ? "" : BenchDatabase.answeringPostgres("security.postgres", out);
            if (url == null) {
                continue;
            }
            long start = System.nanoTime();
            try (BenchDatabase database = db.equals("h2") ? BenchDatabase.h2() : BenchDatabase.postgres(url, "s")) {
                note("security." + db, "on %s", database);
                if (!part.equals("sharing")) {
                    new EncryptionRun(database, config, contacts(config), config.ops(DEFAULT_OPS)).run(out);
                }
                if (!part.equals("encryption")) {
                    new SharingRun(database, config, config.positive("queries", DEFAULT_QUERIES)).run(out);
                }
            }
            note("security." + db, "done in %.0f s", (System.nanoTime() - start) / 1e9);
        }
    }

    static void note(String name, String format, Object... args) {
        ReportsSuite.note(name, format, args);
    }
}
