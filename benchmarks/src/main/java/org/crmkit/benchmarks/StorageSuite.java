package org.crmkit.benchmarks;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.schema.Field;
import org.crmkit.storage.jdbc.JdbcStorage;

/**
 * CRMKit on {@link JdbcStorage} (H2 in a file, PostgreSQL) against plain jOOQ on an identical table in the same
 * database ({@link BaselineContacts}). Contacts are {@link ContactData#storageContacts} (Datafaker, fixed seed):
 * the standard contact fields plus {@code tier} (picklist), {@code lifetime_orders} (integer, indexed) and
 * {@code score} (decimal), the same values on both sides. Per database, four lines:
 *
 * <ul>
 *   <li>{@code storage.<db>.bulk_import}: {@code records("contact").importRecords(id, rows, defaults)} of all
 *       {@code --size} rows (1,000 per transaction) against jOOQ batch inserts of 1,000 rows per transaction;
 *       time for the whole import, after a warm-up import of up to 20,000 rows on each side into throwaway tables;
 *   <li>{@code storage.<db>.get_by_id}: {@code get(id)} as the system principal against
 *       {@code select * ... where id = ?}, for random rows;
 *   <li>{@code storage.<db>.update}: {@code update(id, version, Map.of("title", v))} against
 *       {@code update ... set title = ?, version = version + 1, updated_at = ? where id = ? and version = ?};
 *   <li>{@code storage.<db>.query_aggregate}: {@code aggregate(groupBy("tier").sum("score"),
 *       where("lifetime_orders").gt(x))} against the same hand-written SQL, for thresholds x from 20 to 40
 *       (about 4% to 19% of the contacts).
 * </ul>
 *
 * The last three report the median time per operation over {@link BenchConfig#rounds()} rounds after warm-up
 * rounds; the rounds of the two sides alternate ({@link Timing#interleavedMedians}). A round runs up to
 * {@code --ops} operations, fewer when that would take more than about {@value #TARGET_PASS_MILLIS} ms.
 * PostgreSQL comes from {@value BenchDatabase#POSTGRES_URL_ENV}; when it does not answer, a {@code SKIP} line
 * says so and the suite goes on.
 */
final class StorageSuite implements Suite {
    static final int DEFAULT_SIZE = 200_000;
    static final int DEFAULT_OPS = 20_000;
    static final int WARMUP_IMPORT_ROWS = 20_000;
    static final long TARGET_PASS_MILLIS = 2_000;
    static final int WARMUPS = 2;
    static final int MIN_OPS = 50;
    static final int CHECKED_ROWS = 500;

    @Override
    public String name() {
        return "storage";
    }

    @Override
    public String description() {
        return "JdbcStorage on H2 and PostgreSQL (bulk import, get, update, aggregate query on contacts) vs. plain "
                + "jOOQ on an identical table";
    }

    @Override
    public int defaultSize() {
        return DEFAULT_SIZE;
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("db", BenchDatabase.DB_OPTION);
        o.put("ops", "most get/update/query operations per timed round (default " + DEFAULT_OPS + ")");
        return o;
    }

    @Override
    public void check(BenchConfig config) {
        config.databases();
        config.ops(DEFAULT_OPS);
    }

    @Override
    public void run(BenchConfig config, BenchOutput out) throws Exception {
        long t0 = System.nanoTime();
        List<Map<String, Object>> contacts = ContactData.storageContacts(config.size(), config.seed());
        note("storage", "%d contacts generated in %.1f s", contacts.size(), (System.nanoTime() - t0) / 1e9);
        for (String db : config.databases()) {
            BenchDatabase database;
            if (db.equals("h2")) {
                database = BenchDatabase.h2();
            } else {
                String url = BenchDatabase.answeringPostgres("storage.postgres", out);
                if (url == null) {
                    continue;
                }
                database = BenchDatabase.postgres(url);
            }
            long start = System.nanoTime();
            note("storage." + database.name, "on %s", database);
            try (database) {
                new StorageRun(database, contacts, config, config.ops(DEFAULT_OPS)).run(out);
            }
            note("storage." + database.name, "done in %.0f s", (System.nanoTime() - start) / 1e9);
        }
    }

    static void note(String name, String format, Object... args) {
        System.err.println("# " + name + ": " + String.format(Locale.ROOT, format, args));
        System.err.flush();
    }

    /** Adds the suite's custom fields to {@code contact}. */
    static Crm newCrm(JdbcStorage storage) {
        Crm crm = Crm.builder().storage(storage).defaultPhoneRegion("US").build();
        crm.schema().addField("contact", Field.picklist("tier", ContactData.TIERS));
        crm.schema().addField("contact", Field.integer("lifetime_orders").range(BigDecimal.ZERO, null)
                .indexed(true));
        crm.schema().addField("contact", Field.decimal("score").scale(2)
                .range(BigDecimal.ZERO, BigDecimal.valueOf(100)));
        return crm;
    }
}
