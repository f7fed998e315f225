package org.crmkit.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.crmkit.Crm;
import org.crmkit.record.ImportOptions;
import org.crmkit.record.ImportResult;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.jdbc.JdbcStorage;

/**
 * The comparison of the {@code load} suite on PostgreSQL: CRMKit (a {@code Crm} on {@link JdbcStorage} built from the
 * URL, so with its own default pool) and plain jOOQ on an identical table through a HikariCP pool with the same
 * settings ({@link BenchDatabase#baselinePool()}), both seeded with the same contacts, then the mixed workload with
 * the same threads on each side in turn: warm-up runs, then timed runs in the order CRMKit, baseline, baseline,
 * CRMKit, CRMKit, baseline... (so drift in the machine's load hits both alike), each after a {@code System.gc()}.
 */
final class LoadRun {
    private final String url;
    private final BenchConfig config;
    private final LoadSuite.Settings settings;
    private final String name;

    LoadRun(String url, BenchConfig config, LoadSuite.Settings settings) {
        this.url = url;
        this.config = config;
        this.settings = settings;
        this.name = "load.mixed_" + settings.threads();
    }

    void run(BenchOutput out) throws Exception {
        long t0 = System.nanoTime();
        List<Map<String, Object>> contacts = ContactData.storageContacts(config.size(), config.seed());
        LoadSuite.note(name, "%d contacts generated in %.1f s", contacts.size(), (System.nanoTime() - t0) / 1e9);
        try (BenchDatabase db = BenchDatabase.postgres(url, "l");
                HikariDataSource basePool = db.baselinePool();
                Crm crm = StorageSuite.newCrm(db.crmkitStorage(""))) {
            LoadSuite.note(name, "on %s", db);
            BaselineContacts base = baselineTable(db, basePool);
            LoadSide crmkit = LoadSide.crmkit(crm, settings.threads());
            LoadSide raw = LoadSide.raw(base, settings.threads());
            List<Map<String, Object>> owned = withOwners(contacts, settings.threads());
            crmkit.seed(seedCrmkit(crm, owned));
            raw.seed(base.insertAll(owned, ImportOptions.DEFAULT_BATCH_SIZE));
            db.analyze(basePool, db.tablePrefix("") + "crm_contact");
            db.analyze(basePool, base.tableName());
            LoadSuite.note(name, "seeded %d contacts on each side in %.1f s", contacts.size(),
                    (System.nanoTime() - t0) / 1e9);
            LoadDriver.Tally c = new LoadDriver.Tally();
            LoadDriver.Tally b = new LoadDriver.Tally();
            try (LoadDriver driver = new LoadDriver(settings.threads(), LoadMix.DEFAULT, contacts, config.seed())) {
                int warmups = settings.warmupRuns();
                for (int r = 0; r < warmups; r++) {
                    driver.run(crmkit, settings.warmupRunNanos(), r);
                    driver.run(raw, settings.warmupRunNanos(), r);
                }
                LoadSuite.note(name, "warm-up done: %d runs of %.1f s on each side", warmups,
                        settings.warmupRunNanos() / 1e9);
                for (int r = 0; r < settings.runs(); r++) {
                    boolean crmkitFirst = r % 2 == 0;
                    LoadSide first = crmkitFirst ? crmkit : raw;
                    LoadSide second = crmkitFirst ? raw : crmkit;
                    LoadDriver.Tally a = timed(driver, first, warmups + r);
                    LoadDriver.Tally z = timed(driver, second, warmups + r);
                    c.add(crmkitFirst ? a : z);
                    b.add(crmkitFirst ? z : a);
                }
            }
            check(crm, base, crmkit, raw);
            report(out, c, b);
        }
    }

    private LoadDriver.Tally timed(LoadDriver driver, LoadSide side, int runNumber) throws Exception {
        System.gc(); // outside the timed part: keep one run's garbage from landing in the next
        LoadDriver.Tally t = driver.run(side, settings.runNanos(), runNumber);
        LoadSuite.note(name, "run %d %s: %d operations, %.0f ops/s, p99 %.2f ms", runNumber, side.name, t.ops(),
                t.opsPerSecond(), t.all.percentile(99) / 1e6);
        return t;
    }

    /** The baseline's table, made by CRMKit's DDL under the prefix {@code b_}, checked to equal CRMKit's. */
    private BaselineContacts baselineTable(BenchDatabase db, HikariDataSource basePool) throws Exception {
        JdbcStorage storage = JdbcStorage.builder().dataSource(basePool).tablePrefix(db.tablePrefix("b")).build();
        StorageSuite.newCrm(storage).close(); // the storage never closes a pool it was given
        BaselineContacts base = new BaselineContacts(basePool, db.dialect, db.tablePrefix("b") + "crm_contact");
        String crmTable = db.tablePrefix("") + "crm_contact";
        if (!BaselineContacts.describe(basePool, crmTable).equals(BaselineContacts.describe(basePool, base.tableName()))
                || !BaselineContacts.indexes(basePool, crmTable)
                        .equals(BaselineContacts.indexes(basePool, base.tableName()))) {
            throw new IllegalStateException("baseline table " + base.tableName() + " differs from " + crmTable);
        }
        return base;
    }

    /** The contacts with {@code owner} set: row {@code i} belongs to the rep of thread {@code i % threads}. */
    static List<Map<String, Object>> withOwners(List<Map<String, Object>> contacts, int threads) {
        List<Map<String, Object>> owned = new ArrayList<>(contacts.size());
        for (int i = 0; i < contacts.size(); i++) {
            Map<String, Object> c = new LinkedHashMap<>(contacts.get(i));
            c.put("owner", LoadSide.owner(i % threads));
            owned.add(c);
        }
        return owned;
    }

    /** Imports the owned contacts as the system principal (which may set owners); returns the ids in row order. */
    static UUID[] seedCrmkit(Crm crm, List<Map<String, Object>> owned) {
        ImportResult r = crm.as(Principal.SYSTEM).records("contact").importRecords("load-seed", owned,
                ImportOptions.defaults());
        if (r.created() != owned.size() || r.failed() != 0) {
            throw new IllegalStateException("seeding created " + r.created() + " of " + owned.size()
                    + " contacts; errors: " + r.errors().subList(0, Math.min(5, r.errors().size())));
        }
        UUID[] ids = new UUID[owned.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = Objects.requireNonNull(r.createdIds().get(i + 1L));
        }
        return ids;
    }

    /** Every thread's first and last rows are at the version it wrote last, on both sides. */
    private void check(Crm crm, BaselineContacts base, LoadSide crmkit, LoadSide raw) throws Exception {
        for (int t = 0; t < settings.threads(); t++) {
            var rep = crm.as(Principal.user(LoadSide.owner(t), Role.SALES_REP)).records("contact");
            LoadSide.OwnRows cr = crmkit.rows(t);
            LoadSide.OwnRows br = raw.rows(t);
            for (int i : new int[] {0, cr.size() - 1}) {
                long v = rep.get(cr.id(i)).version();
                if (v != cr.version(i)) {
                    throw new IllegalStateException("crmkit row " + cr.id(i) + " at version " + v + ", expected "
                            + cr.version(i));
                }
            }
            for (int i : new int[] {0, br.size() - 1}) {
                org.jooq.Record r = base.get(br.id(i), LoadSide.owner(t));
                Long v = r == null ? null : r.get("version", Long.class);
                if (v == null || v != br.version(i)) {
                    throw new IllegalStateException("baseline row " + br.id(i) + " at version " + v + ", expected "
                            + br.version(i));
                }
            }
        }
    }

    private void report(BenchOutput out, LoadDriver.Tally c, LoadDriver.Tally b) {
        for (var side : List.of(Map.entry("crmkit", c), Map.entry("baseline", b))) {
            LoadDriver.Tally t = side.getValue();
            StringBuilder kinds = new StringBuilder();
            for (LoadMix.Op op : LoadMix.Op.values()) {
                Latencies l = t.latencies(op);
                kinds.append(String.format(java.util.Locale.ROOT, "; %s %d (%.1f%%) p50 %.2f ms p99 %.2f ms",
                        op.label(), l.count(), 100.0 * l.count() / Math.max(1, t.ops()), l.percentile(50) / 1e6,
                        l.percentile(99) / 1e6));
            }
            LoadSuite.note(name, "%s: %d operations in %.1f s, %.0f ops/s, p50 %.2f ms, p99 %.2f ms%s", side.getKey(),
                    t.ops(), t.wallNanos / 1e9, t.opsPerSecond(), t.all.percentile(50) / 1e6,
                    t.all.percentile(99) / 1e6, kinds);
        }
        out.report(new BenchLine(name, c.nanosPerOp(), b.nanosPerOp()));
        out.report(new BenchLine(name + ".p50", c.all.percentile(50), b.all.percentile(50)));
        out.report(new BenchLine(name + ".p99", c.all.percentile(99), b.all.percentile(99)));
        for (LoadMix.Op op : LoadMix.Op.values()) {
            out.report(new BenchLine(name + "." + op.label() + ".p99", c.latencies(op).percentile(99),
                    b.latencies(op).percentile(99)));
        }
        out.figure(name, "crmkit_ops_per_s", Math.round(c.opsPerSecond()));
        out.figure(name, "baseline_ops_per_s", Math.round(b.opsPerSecond()));
    }
}
