package org.crmkit.benchmarks;

import org.jspecify.annotations.Nullable;
import static org.crmkit.query.Filters.where;

import com.zaxxer.hikari.HikariDataSource;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * One database's four measurements of {@link StorageSuite}: sets up CRMKit's table and the identical baseline table,
 * checks both hold the same rows, and reports {@code bulk_import}, {@code get_by_id}, {@code update} and
 * {@code query_aggregate}.
 */
final class StorageRun {
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

    // NullAway.Init: the fields of both stores are set by run() (basePool, then setUp()) before anything reads them
    @SuppressWarnings("NullAway.Init")
    StorageRun(BenchDatabase db, List<Map<String, Object>> contacts, BenchConfig config, int maxOps) {
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
        StorageSuite.newCrm(storage).close(); // the storage never closes a pool it was given
        return new BaselineContacts(basePool, db.dialect, db.tablePrefix(role) + "crm_contact");
    }

    /** Imports up to {@value StorageSuite#WARMUP_IMPORT_ROWS} rows on each side into throwaway tables, then drops them. */
    private void warmUpImports() throws Exception {
        List<Map<String, Object>> rows = contacts.subList(0, Math.min(n, StorageSuite.WARMUP_IMPORT_ROWS));
        long t0 = System.nanoTime();
        try (Crm warm = StorageSuite.newCrm(db.crmkitStorage("wc"))) {
            ImportResult r = warm.as(Principal.SYSTEM).records("contact").importRecords("bench-warm-up", rows,
                    ImportOptions.defaults());
            check(r, rows.size());
        }
        long t1 = System.nanoTime();
        baselineTable("wb").insertAll(rows, ImportOptions.DEFAULT_BATCH_SIZE);
        long t2 = System.nanoTime();
        db.dropTables(basePool, db.tablePrefix("wc"));
        db.dropTables(basePool, db.tablePrefix("wb"));
        StorageSuite.note(name, "warm-up import of %d rows: crmkit %.2f s, baseline %.2f s", rows.size(),
                (t1 - t0) / 1e9,
                (t2 - t1) / 1e9);
    }

    private void setUp() throws Exception {
        JdbcStorage storage = db.crmkitStorage("");
        crm = StorageSuite.newCrm(storage);
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
        StorageSuite.note(name, "%s and %s: the same %d columns, indexes %s", crmTable, base.tableName(),
                crmColumns.size(),
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
        StorageSuite.note(name, "bulk import of %d rows: crmkit %.0f rows/s, baseline %.0f rows/s", n,
                n / (crmNanos / 1e9),
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
        for (int k = 0; k < Math.min(n, StorageSuite.CHECKED_ROWS); k++) {
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
     * Operations per timed pass: as many as fit in about {@value StorageSuite#TARGET_PASS_MILLIS} ms on the slower side
     * (judged from a few untimed operations), at least {@value StorageSuite#MIN_OPS}, at most {@code --ops}.
     */
    private int opsPerPass(Timing.Pass crmProbe, Timing.Pass baseProbe, int probeOps) throws Exception {
        crmProbe.run(-1);
        baseProbe.run(-1);
        double perOp = Math.max(crmProbe.run(-2), baseProbe.run(-2)) / (double) probeOps;
        long fit = (long) (StorageSuite.TARGET_PASS_MILLIS * 1e6 / Math.max(1, perOp));
        return (int) Math.max(StorageSuite.MIN_OPS, Math.min(maxOps, fit));
    }

    private BenchLine measure(String measurement, int probeOps, PassFactory crmkit, PassFactory baseline)
            throws Exception {
        int ops = opsPerPass(crmkit.pass(probeOps), baseline.pass(probeOps), probeOps);
        Timing.Pair t = Timing.interleavedMedians(StorageSuite.WARMUPS, config.rounds(), ops, crmkit.pass(ops),
                baseline.pass(ops));
        StorageSuite.note(name, "%s: %d operations per round, %d rounds", measurement, ops, config.rounds());
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

    /** A sum as the check compares it: without trailing zeros, "null" for a group with no score at all. */
    private static String plain(@Nullable BigDecimal sum) {
        return sum == null ? "null" : sum.stripTrailingZeros().toPlainString();
    }

    private BenchLine queryAggregate() throws Exception {
        for (long x = 20; x <= 40; x += 5) { // both sides must compute the same groups
            List<String> a = new ArrayList<>();
            for (AggregateRow r : crmAggregate(x)) {
                a.add(r.group().get(0) + "=" + r.count() + "/" + plain((BigDecimal) r.sum("score")));
            }
            List<String> b = new ArrayList<>();
            for (Record3<String, Integer, BigDecimal> r : base.countAndScoreByTier(x)) {
                b.add(r.value1() + "=" + r.value2() + "/" + plain(r.value3()));
            }
            if (!a.equals(b)) {
                throw new IllegalStateException("lifetime_orders > " + x + ": crmkit " + a + ", baseline " + b);
            }
            if (x == 20) {
                StorageSuite.note(name, "query_aggregate at lifetime_orders > 20: %s", a);
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
