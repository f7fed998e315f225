package org.crmkit.benchmarks;

import static org.crmkit.query.Filters.where;

import com.zaxxer.hikari.HikariDataSource;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.query.AggregateRow;
import org.crmkit.query.Aggregation;
import org.crmkit.record.ImportOptions;
import org.crmkit.record.ImportResult;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.security.Principal;
import org.crmkit.storage.jdbc.JdbcStorage;
import org.jooq.Record3;

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
    private static final int WARMUPS = 2;
    private static final int MIN_OPS = 50;
    private static final int CHECKED_ROWS = 500;

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
        o.put("db", "h2|postgres|all (default all); PostgreSQL at $" + BenchDatabase.POSTGRES_URL_ENV
                + ", default " + BenchDatabase.DEFAULT_POSTGRES_URL);
        o.put("ops", "most get/update/query operations per timed round (default " + DEFAULT_OPS + ")");
        return o;
    }

    @Override
    public void check(BenchConfig config) {
        databases(config);
        ops(config);
    }

    private static List<String> databases(BenchConfig config) {
        return switch (config.option("db", "all").toLowerCase(Locale.ROOT)) {
            case "all" -> List.of("h2", "postgres");
            case "h2" -> List.of("h2");
            case "postgres", "postgresql", "pg" -> List.of("postgres");
            default -> throw new IllegalArgumentException("--db must be h2, postgres or all, got '"
                    + config.option("db", "") + "'");
        };
    }

    private static int ops(BenchConfig config) {
        try {
            int ops = Integer.parseInt(config.option("ops", Integer.toString(DEFAULT_OPS)));
            if (ops < 1) {
                throw new NumberFormatException();
            }
            return ops;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--ops needs a positive number, got '" + config.option("ops", "")
                    + "'");
        }
    }

    @Override
    public void run(BenchConfig config, BenchOutput out) throws Exception {
        long t0 = System.nanoTime();
        List<Map<String, Object>> contacts = ContactData.storageContacts(config.size(), config.seed());
        note("storage", "%d contacts generated in %.1f s", contacts.size(), (System.nanoTime() - t0) / 1e9);
        for (String db : databases(config)) {
            BenchDatabase database;
            if (db.equals("h2")) {
                database = BenchDatabase.h2();
            } else {
                String url = BenchDatabase.postgresUrl();
                String problem = BenchDatabase.probe(url);
                if (problem != null) {
                    out.skip("storage.postgres", "PostgreSQL does not answer at " + BenchDatabase.shown(url) + " ("
                            + problem + "); set " + BenchDatabase.POSTGRES_URL_ENV + " to the JDBC URL of a database "
                            + "the benchmark may create (and drop) tables in");
                    continue;
                }
                database = BenchDatabase.postgres(url);
            }
            long start = System.nanoTime();
            note("storage." + database.name, "on %s", database);
            try (database) {
                new Run(database, contacts, config, ops(config)).run(out);
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

    // ------------------------------------------------------------------------------------------ one database

    /** The four measurements on one database. */
    private static final class Run {
        private final BenchDatabase db;
        private final List<Map<String, Object>> contacts;
        private final int n;
        private final BenchConfig config;
        private final int maxOps;
        private final String name;

        private Crm crm;
        private RecordSet crmContacts;
        private String crmTable;
        private HikariDataSource basePool;
        private BaselineContacts base;
        private UUID[] crmIds;
        private UUID[] baseIds;
        private long[] crmVersions;
        private long[] baseVersions;

        Run(BenchDatabase db, List<Map<String, Object>> contacts, BenchConfig config, int maxOps) {
            this.db = db;
            this.contacts = contacts;
            this.n = contacts.size();
            this.config = config;
            this.maxOps = maxOps;
            this.name = "storage." + db.name;
        }

        void run(BenchOutput out) throws Exception {
            try {
                basePool = db.baselinePool();
                warmUpImports();
                setUp();
                out.report(bulkImport());
                checkSameRows();
                db.analyze(basePool, crmTable);
                db.analyze(basePool, base.tableName());
                out.report(getById());
                out.report(update());
                out.report(queryAggregate());
            } finally {
                if (crm != null) {
                    crm.close();
                }
                if (basePool != null) {
                    basePool.close();
                }
            }
        }

        // ---- set-up ------------------------------------------------------------------------------------------

        /** A baseline table made by CRMKit's DDL under the role's prefix, then used through SQL only. */
        private BaselineContacts baselineTable(String role) throws Exception {
            JdbcStorage storage = JdbcStorage.builder().dataSource(basePool).tablePrefix(db.tablePrefix(role)).build();
            newCrm(storage).close(); // the storage never closes a pool it was given
            return new BaselineContacts(basePool, db.dialect, db.tablePrefix(role) + "crm_contact");
        }

        /** Imports up to {@value #WARMUP_IMPORT_ROWS} rows on each side into throwaway tables, then drops them. */
        private void warmUpImports() throws Exception {
            List<Map<String, Object>> rows = contacts.subList(0, Math.min(n, WARMUP_IMPORT_ROWS));
            long t0 = System.nanoTime();
            try (Crm warm = newCrm(db.crmkitStorage("wc"))) {
                ImportResult r = warm.as(Principal.SYSTEM).records("contact").importRecords("bench-warm-up", rows,
                        ImportOptions.defaults());
                check(r, rows.size());
            }
            long t1 = System.nanoTime();
            baselineTable("wb").insertAll(rows, ImportOptions.DEFAULT_BATCH_SIZE);
            long t2 = System.nanoTime();
            db.dropTables(basePool, db.tablePrefix("wc"));
            db.dropTables(basePool, db.tablePrefix("wb"));
            note(name, "warm-up import of %d rows: crmkit %.2f s, baseline %.2f s", rows.size(), (t1 - t0) / 1e9,
                    (t2 - t1) / 1e9);
        }

        private void setUp() throws Exception {
            JdbcStorage storage = db.crmkitStorage("");
            crm = newCrm(storage);
            crmContacts = crm.as(Principal.SYSTEM).records("contact");
            crmTable = storage.tablePrefix() + "crm_contact";
            base = baselineTable("b");
            // the baseline table must be CRMKit's, column for column and index for index
            var crmColumns = BaselineContacts.describe(basePool, crmTable);
            var baseColumns = BaselineContacts.describe(basePool, base.tableName());
            var crmIndexes = BaselineContacts.indexes(basePool, crmTable);
            var baseIndexes = BaselineContacts.indexes(basePool, base.tableName());
            if (!crmColumns.equals(baseColumns) || !crmIndexes.equals(baseIndexes)) {
                throw new IllegalStateException("baseline table " + base.tableName() + " differs from " + crmTable
                        + ":\n  " + crmColumns + " " + crmIndexes + "\n  " + baseColumns + " " + baseIndexes);
            }
            note(name, "%s and %s: the same %d columns, indexes %s", crmTable, base.tableName(), crmColumns.size(),
                    crmIndexes);
        }

        private static void check(ImportResult r, int rows) {
            if (r.created() != rows || r.failed() != 0) {
                throw new IllegalStateException("import created " + r.created() + " of " + rows + " rows; errors: "
                        + r.errors().subList(0, Math.min(5, r.errors().size())));
            }
        }

        // ---- (a) bulk import ---------------------------------------------------------------------------------

        private BenchLine bulkImport() throws Exception {
            db.checkpoint(basePool);
            System.gc();
            long t0 = System.nanoTime();
            ImportResult r = crmContacts.importRecords("bench-" + db.tablePrefix("") + System.nanoTime(), contacts,
                    ImportOptions.defaults());
            long crmNanos = System.nanoTime() - t0;
            check(r, n);
            crmIds = new UUID[n];
            for (int i = 0; i < n; i++) {
                crmIds[i] = r.createdIds().get(i + 1L);
            }

            db.checkpoint(basePool);
            System.gc();
            t0 = System.nanoTime();
            baseIds = base.insertAll(contacts, ImportOptions.DEFAULT_BATCH_SIZE);
            long baseNanos = System.nanoTime() - t0;

            crmVersions = new long[n];
            baseVersions = new long[n];
            java.util.Arrays.fill(crmVersions, 1L);
            java.util.Arrays.fill(baseVersions, 1L);
            note(name, "bulk import of %d rows: crmkit %.0f rows/s, baseline %.0f rows/s", n, n / (crmNanos / 1e9),
                    n / (baseNanos / 1e9));
            return new BenchLine(name + ".bulk_import", crmNanos, baseNanos);
        }

        /**
         * Both tables hold the same values: for a sample of rows, every column but id and the timestamps is equal,
         * and CRMKit reads back exactly the values it was given.
         */
        private void checkSameRows() throws Exception {
            BaselineContacts crmRaw = new BaselineContacts(basePool, db.dialect, crmTable);
            Random random = new Random(config.seed() + 1);
            for (int k = 0; k < Math.min(n, CHECKED_ROWS); k++) {
                int i = k == 0 ? 0 : random.nextInt(n);
                Map<String, Object> a = comparable(crmRaw.get(crmIds[i]));
                Map<String, Object> b = comparable(base.get(baseIds[i]));
                if (!a.equals(b)) {
                    throw new IllegalStateException("row " + (i + 1) + " differs:\n  crmkit   " + a + "\n  baseline "
                            + b);
                }
                Map<String, Object> read = crmContacts.get(crmIds[i]).values();
                if (!read.equals(contacts.get(i))) {
                    throw new IllegalStateException("row " + (i + 1) + " reads back as " + read + ", written as "
                            + contacts.get(i));
                }
            }
        }

        private static Map<String, Object> comparable(org.jooq.Record row) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (org.jooq.Field<?> f : row.fields()) {
                String column = f.getName();
                if (!List.of("id", "created_at", "updated_at").contains(column)) {
                    Object v = row.get(f);
                    values.put(column, v instanceof BigDecimal d ? d.stripTrailingZeros() : v);
                }
            }
            return values;
        }

        // ---- per-operation measurements ----------------------------------------------------------------------

        /** Row numbers (0-based) to work on in one pass, the same for both sides. */
        private int[] picks(int pass, int count) {
            Random random = new Random(config.seed() * 31 + pass);
            int[] rows = new int[count];
            for (int k = 0; k < count; k++) {
                rows[k] = random.nextInt(n);
            }
            return rows;
        }

        /**
         * Operations per timed pass: as many as fit in about {@value #TARGET_PASS_MILLIS} ms on the slower side
         * (judged from a few untimed operations), at least {@value #MIN_OPS}, at most {@code --ops}.
         */
        private int opsPerPass(Timing.Pass crmProbe, Timing.Pass baseProbe, int probeOps) throws Exception {
            crmProbe.run(-1);
            baseProbe.run(-1);
            double perOp = Math.max(crmProbe.run(-2), baseProbe.run(-2)) / (double) probeOps;
            long fit = (long) (TARGET_PASS_MILLIS * 1e6 / Math.max(1, perOp));
            return (int) Math.max(MIN_OPS, Math.min(maxOps, fit));
        }

        private BenchLine measure(String measurement, int probeOps, PassFactory crmkit, PassFactory baseline)
                throws Exception {
            int ops = opsPerPass(crmkit.pass(probeOps), baseline.pass(probeOps), probeOps);
            Timing.Pair t = Timing.interleavedMedians(WARMUPS, config.rounds(), ops, crmkit.pass(ops),
                    baseline.pass(ops));
            note(name, "%s: %d operations per round, %d rounds", measurement, ops, config.rounds());
            return new BenchLine(name + "." + measurement, t.crmkit(), t.baseline());
        }

        /** A pass of {@code ops} operations. */
        @FunctionalInterface
        private interface PassFactory {
            Timing.Pass pass(int ops);
        }

        // ---- (b) get by id -----------------------------------------------------------------------------------

        private BenchLine getById() throws Exception {
            return measure("get_by_id", 200, ops -> pass -> {
                int[] rows = picks(pass, ops);
                long sum = 0;
                long t0 = System.nanoTime();
                for (int i : rows) {
                    sum += crmContacts.get(crmIds[i]).version();
                }
                long elapsed = System.nanoTime() - t0;
                Timing.consume(sum);
                return elapsed;
            }, ops -> pass -> {
                int[] rows = picks(pass, ops);
                long sum = 0;
                long t0 = System.nanoTime();
                for (int i : rows) {
                    sum += base.get(baseIds[i]).get("version", Long.class);
                }
                long elapsed = System.nanoTime() - t0;
                Timing.consume(sum);
                return elapsed;
            });
        }

        // ---- (c) update --------------------------------------------------------------------------------------

        /** New titles for one pass: different from every earlier value of the row, so each update is a change. */
        private String[] titles(int pass, int[] rows) {
            String[] titles = new String[rows.length];
            for (int k = 0; k < rows.length; k++) {
                titles[k] = contacts.get(rows[k]).get("title") + " #" + pass + "." + k;
            }
            return titles;
        }

        private BenchLine update() throws Exception {
            BenchLine line = measure("update", 100, ops -> pass -> {
                int[] rows = picks(pass + 1_000_000, ops);
                String[] titles = titles(pass, rows);
                long t0 = System.nanoTime();
                for (int k = 0; k < rows.length; k++) {
                    int i = rows[k];
                    crmVersions[i] = crmContacts.update(crmIds[i], crmVersions[i], Map.of("title", titles[k]))
                            .version();
                }
                return System.nanoTime() - t0;
            }, ops -> pass -> {
                int[] rows = picks(pass + 1_000_000, ops);
                String[] titles = titles(pass, rows);
                long t0 = System.nanoTime();
                for (int k = 0; k < rows.length; k++) {
                    int i = rows[k];
                    baseVersions[i] = base.update(baseIds[i], baseVersions[i], "title", titles[k]);
                }
                return System.nanoTime() - t0;
            });
            for (int i = 0; i < n; i++) {
                if (crmVersions[i] != baseVersions[i]) {
                    throw new IllegalStateException("row " + (i + 1) + ": crmkit at version " + crmVersions[i]
                            + ", baseline at " + baseVersions[i]);
                }
            }
            int probe = picks(1_000_000 + 3, 1)[0];
            Record r = crmContacts.get(crmIds[probe]);
            org.jooq.Record b = base.get(baseIds[probe]);
            if (r.version() != crmVersions[probe] || b.get("version", Long.class) != baseVersions[probe]
                    || !Objects.equals(r.get("title"), b.get("title", String.class))) {
                throw new IllegalStateException("updates did not take: crmkit " + r + ", baseline " + b);
            }
            return line;
        }

        // ---- (d) filtered aggregate --------------------------------------------------------------------------

        /** Thresholds x of {@code lifetime_orders > x}, the same for both sides in a pass. */
        private long[] thresholds(int pass, int count) {
            Random random = new Random(config.seed() * 17 + pass);
            long[] xs = new long[count];
            for (int k = 0; k < count; k++) {
                xs[k] = 20 + random.nextInt(21);
            }
            return xs;
        }

        private List<AggregateRow> crmAggregate(long x) {
            return crmContacts.aggregate(Aggregation.groupBy("tier").sum("score"), where("lifetime_orders").gt(x));
        }

        private BenchLine queryAggregate() throws Exception {
            for (long x = 20; x <= 40; x += 5) { // both sides must compute the same groups
                List<String> a = new ArrayList<>();
                for (AggregateRow r : crmAggregate(x)) {
                    a.add(r.group().get(0) + "=" + r.count() + "/" + ((BigDecimal) r.sum("score")).stripTrailingZeros()
                            .toPlainString());
                }
                List<String> b = new ArrayList<>();
                for (Record3<String, Integer, BigDecimal> r : base.countAndScoreByTier(x)) {
                    b.add(r.value1() + "=" + r.value2() + "/" + r.value3().stripTrailingZeros().toPlainString());
                }
                if (!a.equals(b)) {
                    throw new IllegalStateException("lifetime_orders > " + x + ": crmkit " + a + ", baseline " + b);
                }
                if (x == 20) {
                    note(name, "query_aggregate at lifetime_orders > 20: %s", a);
                }
            }
            return measure("query_aggregate", 5, ops -> pass -> {
                long[] xs = thresholds(pass, ops);
                long sum = 0;
                long t0 = System.nanoTime();
                for (long x : xs) {
                    for (AggregateRow r : crmAggregate(x)) {
                        sum += r.count();
                    }
                }
                long elapsed = System.nanoTime() - t0;
                Timing.consume(sum);
                return elapsed;
            }, ops -> pass -> {
                long[] xs = thresholds(pass, ops);
                long sum = 0;
                long t0 = System.nanoTime();
                for (long x : xs) {
                    for (Record3<String, Integer, BigDecimal> r : base.countAndScoreByTier(x)) {
                        sum += r.value2();
                    }
                }
                long elapsed = System.nanoTime() - t0;
                Timing.consume(sum);
                return elapsed;
            });
        }
    }
}
