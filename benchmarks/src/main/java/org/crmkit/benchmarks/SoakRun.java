package org.crmkit.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ToLongFunction;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.crmkit.Crm;
import org.crmkit.storage.jdbc.JdbcStorage;

/**
 * The soak of the {@code load} suite: the mixed workload on the CRMKit side alone for {@code --soak} (after a
 * warm-up, {@link #warmupNanos}), sampled every {@code --interval}: the heap after a full collection, the
 * JVM's live threads, the server's connections to the database (all of them, and those of the {@code Crm}'s pool,
 * told apart by their {@code ApplicationName}), and the pool's active and idle connections (HikariCP's MXBean).
 * Then {@code FIGURE} lines, and a failure when the heap after GC, the threads or the pool's connections grow
 * between the first and the last third of the samples ({@link SoakCheck}):
 *
 * <ul>
 *   <li>heap after GC: by more than {@value #HEAP_PERCENT}% or {@value #HEAP_SLACK_MIB} MiB, whichever is larger
 *       (the reasoning is in docs/benchmarks.md);</li>
 *   <li>live threads: by more than {@value #THREAD_SLACK} (the JVM starts and stops compiler threads as it needs);</li>
 *   <li>the pool's connections on the server: by any.</li>
 * </ul>
 */
final class SoakRun {
    static final int HEAP_PERCENT = 10;
    static final int HEAP_SLACK_MIB = 16;
    static final int THREAD_SLACK = 4;
    /** The {@code ApplicationName} the soak's pool connects with, to count its connections on the server. */
    static final String APPLICATION = "crmkit-load-soak";
    private static final String POOL_MBEAN = "com.zaxxer.hikari:type=Pool (crmkit)";

    private final String url;
    private final BenchConfig config;
    private final LoadSuite.Settings settings;

    SoakRun(String url, BenchConfig config, LoadSuite.Settings settings) {
        this.url = url;
        this.config = config;
        this.settings = settings;
    }

    /**
     * The warm-up before the first sample: a fifth of the soak, at least 30 s and at most 2 minutes, so that the
     * record cache (10,000 records by default) has filled before the samples begin: in a 2-minute soak of 20,000
     * contacts with 12 s of warm-up the heap after GC still rose by 10 MiB over the first minute, then stayed within
     * 1.5 MiB.
     */
    static long warmupNanos(java.time.Duration soak) {
        return Math.clamp(soak.toNanos() / 5, 30_000_000_000L, 120_000_000_000L);
    }

    /** One sample; -1 for a figure that could not be read. */
    record Sample(long heapAfterGc, long threads, long databaseConnections, long poolConnections, long poolActive,
            long poolIdle) {}

    void run(BenchOutput out) throws Exception {
        java.time.Duration soak = java.util.Objects.requireNonNull(settings.soak());
        List<Map<String, Object>> contacts = ContactData.storageContacts(config.size(), config.seed());
        List<Sample> samples = new ArrayList<>();
        LoadDriver.Tally tally;
        try (BenchDatabase db = BenchDatabase.postgres(url, "k");
                Connection monitor = DriverManager.getConnection(url);
                Crm crm = StorageSuite.newCrm(storageWithMbeans(db))) {
            LoadSuite.note("load.soak", "on %s, %d threads, %s after a warm-up, a sample every %s", db,
                    settings.threads(), soak, settings.interval());
            LoadSide side = LoadSide.crmkit(crm, settings.threads());
            side.seed(LoadRun.seedCrmkit(crm, LoadRun.withOwners(contacts, settings.threads())));
            try (LoadDriver driver = new LoadDriver(settings.threads(), LoadMix.DEFAULT, contacts, config.seed());
                    ExecutorService runner = Executors.newSingleThreadExecutor()) {
                driver.run(side, warmupNanos(soak), 0);
                long start = System.nanoTime();
                Future<LoadDriver.Tally> work = runner.submit(() -> driver.run(side, soak.toNanos(), 1));
                long every = settings.interval().toNanos();
                for (long at = start + every; at <= start + soak.toNanos(); at += every) {
                    Thread.sleep(Math.max(0, (at - System.nanoTime()) / 1_000_000));
                    Sample s = sample(monitor);
                    samples.add(s);
                    LoadSuite.note("load.soak", "%3d s: heap after GC %.1f MiB, %d threads, connections %d (pool %d: "
                            + "%d active, %d idle)", (System.nanoTime() - start) / 1_000_000_000L,
                            s.heapAfterGc() / 1048576.0, s.threads(), s.databaseConnections(), s.poolConnections(),
                            s.poolActive(), s.poolIdle());
                }
                tally = work.get();
            }
        }
        report(out, samples, tally);
    }

    /**
     * CRMKit's storage built from the URL as a user builds it, connecting with {@value #APPLICATION} as its
     * {@code ApplicationName} and with HikariCP's MXBean registered (through HikariCP's own
     * {@code hikaricp.configurationFile} property, set only while the pool is made), so the pool can be watched.
     */
    private JdbcStorage storageWithMbeans(BenchDatabase db) throws Exception {
        Path properties = Files.createTempFile("crmkit-soak-hikari-", ".properties");
        Files.writeString(properties, "registerMbeans=true\n");
        String withName = url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + APPLICATION;
        System.setProperty("hikaricp.configurationFile", properties.toString());
        try {
            return JdbcStorage.builder().url(withName).tablePrefix(db.tablePrefix("")).build();
        } finally {
            System.clearProperty("hikaricp.configurationFile");
            Files.deleteIfExists(properties);
        }
    }

    private static Sample sample(Connection monitor) throws SQLException {
        long heap = heapAfterGc();
        long threads = ManagementFactory.getThreadMXBean().getThreadCount();
        long all;
        long own;
        try (PreparedStatement ps = monitor.prepareStatement("select count(*), count(*) filter (where "
                + "application_name = ?) from pg_stat_activity where datname = current_database()")) {
            ps.setString(1, APPLICATION);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                all = rs.getLong(1);
                own = rs.getLong(2);
            }
        }
        return new Sample(heap, threads, all, own, poolAttribute("ActiveConnections"),
                poolAttribute("IdleConnections"));
    }

    /**
     * The heap in use after a full collection: {@code System.gc()}, then the sum of each heap pool's usage after its
     * last collection ({@link MemoryPoolMXBean#getCollectionUsage()}), which the worker threads' allocations since
     * do not change; the whole heap's usage when no pool reports it.
     */
    static long heapAfterGc() {
        System.gc();
        long used = 0;
        boolean any = false;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage after = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            if (after != null) {
                used += after.getUsed();
                any = true;
            }
        }
        return any ? used : ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long poolAttribute(String attribute) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(POOL_MBEAN);
            return server.isRegistered(name) ? ((Number) server.getAttribute(name, attribute)).longValue() : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    private void report(BenchOutput out, List<Sample> samples, LoadDriver.Tally tally) {
        String name = "load.soak";
        LoadSuite.note(name, "%d operations, %.0f ops/s, p50 %.2f ms, p99 %.2f ms", tally.ops(), tally.opsPerSecond(),
                tally.all.percentile(50) / 1e6, tally.all.percentile(99) / 1e6);
        out.figure(name, "ops_per_s", Math.round(tally.opsPerSecond()));
        out.figure(name, "p99_us", Math.round(tally.all.percentile(99) / 1e3));
        out.figure(name, "samples", samples.size());
        List<String> problems = new ArrayList<>();
        check(out, samples, "heap_after_gc_bytes", Sample::heapAfterGc, HEAP_PERCENT / 100.0,
                HEAP_SLACK_MIB * 1048576L, " bytes").ifPresent(problems::add);
        check(out, samples, "live_threads", Sample::threads, 0, THREAD_SLACK, "").ifPresent(problems::add);
        check(out, samples, "pool_connections", Sample::poolConnections, 0, 0, "").ifPresent(problems::add);
        check(out, samples, "database_connections", Sample::databaseConnections, 0, Long.MAX_VALUE, "");
        if (samples.get(0).poolActive() >= 0) {
            check(out, samples, "pool_active", Sample::poolActive, 0, Long.MAX_VALUE, "");
            check(out, samples, "pool_idle", Sample::poolIdle, 0, Long.MAX_VALUE, "");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("soak of " + settings.soak() + " did not stay flat: "
                    + String.join("; ", problems));
        }
        LoadSuite.note(name, "flat: heap after GC, live threads and the pool's connections did not grow");
    }

    /** Prints the first and last thirds' medians of a series as FIGUREs and checks it ({@link SoakCheck#grows}). */
    private static Optional<String> check(BenchOutput out, List<Sample> samples, String key,
            ToLongFunction<Sample> series, double fraction, long slack, String unit) {
        List<Long> values = samples.stream().map(s -> series.applyAsLong(s)).toList();
        long[] thirds = SoakCheck.thirds(values);
        out.figure("load.soak", key + "_first_third", thirds[0]);
        out.figure("load.soak", key + "_last_third", thirds[1]);
        return SoakCheck.grows(key, values, fraction, slack, unit);
    }
}
