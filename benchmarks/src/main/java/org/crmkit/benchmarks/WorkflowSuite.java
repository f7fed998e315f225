package org.crmkit.benchmarks;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.crmkit.Crm;
import org.crmkit.benchmarks.jmh.JmhComparisons;
import org.crmkit.benchmarks.jmh.RuleMatchBenchmark;
import org.crmkit.workflow.Workflow;

/**
 * The workflow suite:
 *
 * <ul>
 *   <li>{@code workflow.rule_match}: 100 CEL rules on {@code deal} through {@code Rules.simulate} against Java
 *       predicates, per change event; a JMH benchmark ({@link RuleMatchBenchmark}, which says what it measures)
 *       run in a forked JVM with one fork, {@code --rounds} measured iterations and this suite's seed.</li>
 *   <li>{@code workflow.jobs_vs_db_scheduler} (PostgreSQL): time per durable no-op job with 2 worker threads, from the
 *       moment {@code --size} jobs come due until the last has run, against db-scheduler 16 (lock-and-fetch polling,
 *       2 threads, same poll interval and the same batch of twice the threads) on its own table in the same database
 *       with the pool JdbcStorage gives itself. Jobs are written before they come due (not timed); rounds alternate.</li>
 * </ul>
 */
final class WorkflowSuite implements Suite {
    private static final Duration POLL = Duration.ofMillis(100);

    @Override
    public String name() {
        return "workflow";
    }

    @Override
    public String description() {
        return "rule matching (100 CEL rules vs Java predicates) and durable jobs vs db-scheduler on PostgreSQL";
    }

    @Override
    public int defaultSize() {
        return 5_000;
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("events", "distinct change events rule_match cycles through (default 20000)");
        o.put("part", "rules|jobs|all (default all)");
        o.put("keep-done", "true|false (default false): CRMKit keeps finished jobs (its default) or deletes them as "
                + "db-scheduler does");
        return o;
    }

    @Override
    public void check(BenchConfig config) {
        String part = config.option("part", "all");
        if (!List.of("rules", "jobs", "all").contains(part)) {
            throw new IllegalArgumentException("--part must be rules, jobs or all, not " + part);
        }
        Integer.parseInt(config.option("events", "20000"));
    }

    @Override
    public void run(BenchConfig config, BenchOutput out) throws Exception {
        String part = config.option("part", "all");
        if (!part.equals("jobs")) {
            ruleMatch(config, out);
        }
        if (!part.equals("rules")) {
            String url = BenchDatabase.postgresUrl();
            String problem = BenchDatabase.probe(url);
            if (problem != null) {
                out.skip("workflow.jobs_vs_db_scheduler", "PostgreSQL does not answer at " + BenchDatabase.shown(url)
                        + " (" + problem + "); set " + BenchDatabase.POSTGRES_URL_ENV);
                return;
            }
            try (BenchDatabase db = BenchDatabase.postgres(url)) {
                jobs(config, out, db);
            }
        }
    }

    // ---- rule matching ------------------------------------------------------------------------------------------

    /** {@code workflow.rule_match}, measured by JMH ({@link RuleMatchBenchmark}) in a forked JVM. */
    private void ruleMatch(BenchConfig config, BenchOutput out) throws Exception {
        out.report(BenchLine.of(JmhComparisons.runForSuite(RuleMatchBenchmark.class, config.rounds(),
                Map.of("events", config.option("events", "20000"), "seed", String.valueOf(config.seed())),
                System.err)));
    }

    // ---- durable jobs -----------------------------------------------------------------------------------------

    // "try": writerNode and workerNode are held open for the measurement (the workers poll while it runs), not used
    @SuppressWarnings("try")
    private void jobs(BenchConfig config, BenchOutput out, BenchDatabase db) throws Exception {
        int n = config.size();
        AtomicInteger crmkitDone = new AtomicInteger();
        AtomicInteger dbsDone = new AtomicInteger();
        String table = db.tablePrefix("dbs") + "scheduled_tasks";
        Workflow writer = Workflow.builder().workers(0).action("noop", c -> {}).build();
        boolean keepDone = Boolean.parseBoolean(config.option("keep-done", "false"));
        Workflow workers = Workflow.builder().workers(2).pollInterval(POLL)
                .keepDone(keepDone ? Duration.ofDays(7) : Duration.ZERO)
                .action("noop", c -> crmkitDone.incrementAndGet()).build();
        try (HikariDataSource pool = db.baselinePool();
                Crm writerNode = Crm.builder().storage(db.crmkitStorage("")).workflow(writer).build();
                Crm workerNode = Crm.builder().storage(db.crmkitStorage("")).workflow(workers).build()) {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("create table " + table + " (task_name text not null, task_instance text not null, "
                        + "task_data bytea, execution_time timestamp with time zone not null, picked boolean not null, "
                        + "picked_by text, last_success timestamp with time zone, last_failure timestamp with time "
                        + "zone, consecutive_failures int, last_heartbeat timestamp with time zone, version bigint not "
                        + "null, priority smallint, primary key (task_name, task_instance))");
                s.execute("create index " + table + "_execution_time on " + table + " (execution_time)");
                s.execute("create index " + table + "_last_heartbeat on " + table + " (last_heartbeat)");
                s.execute("create index " + table + "_priority on " + table + " (priority desc, execution_time asc)");
            }
            OneTimeTask<Void> noop = Tasks.oneTime("noop").execute((instance, ctx) -> dbsDone.incrementAndGet());
            SchedulerClient client = SchedulerClient.Builder.create(pool, noop).tableName(table).build();
            Scheduler scheduler = Scheduler.create(pool, noop).tableName(table).threads(2).pollingInterval(POLL)
                    .pollUsingLockAndFetch(0.5, 2.0).build();
            scheduler.start();
            try {
                System.err.printf("# jobs: %d no-op jobs a round on %s, 2 workers each; CRMKit %s finished jobs%n", n,
                        db, keepDone ? "keeps" : "deletes");
                Timing.Pair p = Timing.interleavedMedians(1, config.rounds(), n, round -> {
                    Instant due = Instant.now().plus(headStart(n));
                    for (int i = 0; i < n; i++) {
                        writer.jobs().submit("noop", Map.of(), "r" + round + "-" + i, due);
                    }
                    return untilDone(crmkitDone, n, due, "crmkit");
                }, round -> {
                    Instant due = Instant.now().plus(headStart(n));
                    List<TaskInstance<?>> batch = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        batch.add(noop.instance("r" + round + "-" + i));
                    }
                    client.scheduleBatch(batch, due);
                    return untilDone(dbsDone, n, due, "db-scheduler");
                });
                out.report(new BenchLine("workflow.jobs_vs_db_scheduler", p.crmkit(), p.baseline()));
            } finally {
                scheduler.stop();
            }
            System.err.printf("# jobs: CRMKit %s, db-scheduler left %d rows%n", workers.jobs().counts(),
                    client.getScheduledExecutions().size());
        }
    }

    /** Time to write {@code n} jobs one transaction each before they come due (they must all be there first). */
    private static Duration headStart(int n) {
        return Duration.ofMillis(1_500 + 4L * n);
    }

    /** Waits until {@code done} has counted {@code n} more jobs; the nanoseconds from {@code due} to then. */
    private static long untilDone(AtomicInteger done, int n, Instant due, String side) throws InterruptedException {
        int start = done.get();
        long waitMillis = Duration.between(Instant.now(), due).toMillis();
        if (waitMillis < 200) {
            throw new IllegalStateException(
                    "writing " + n + " jobs took longer than their head start of " + headStart(n));
        }
        Thread.sleep(waitMillis);
        long java0 = javaCpuNanos();
        long pg0 = postgresCpuNanos();
        long t0 = System.nanoTime();
        long deadline = t0 + Duration.ofMinutes(10).toNanos();
        while (done.get() - start < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("jobs did not finish: " + (done.get() - start) + " of " + n);
            }
            Thread.sleep(1);
        }
        long t = System.nanoTime() - t0;
        System.err.printf("# jobs: %s round: %.0f us per job, CPU per job: this JVM %.0f us, PostgreSQL %s%n", side,
                t / 1e3 / n, (javaCpuNanos() - java0) / 1e3 / n, pg0 < 0 ? "unknown"
                        : String.format("%.0f us", (postgresCpuNanos() - pg0) / 1e3 / n));
        return t;
    }

    private static long javaCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** CPU time of the local PostgreSQL processes from /proc (-1 where there is no /proc), 10 ms resolution. */
    private static long postgresCpuNanos() {
        long ticks = 0;
        boolean any = false;
        for (ProcessHandle p : (Iterable<ProcessHandle>) ProcessHandle.allProcesses()::iterator) {
            if (!p.info().command().map(c -> c.endsWith("/postgres")).orElse(false)) {
                continue;
            }
            try {
                String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + p.pid() + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                any = true;
            } catch (java.io.IOException | RuntimeException e) {
                // gone meanwhile
            }
        }
        return any ? ticks * 10_000_000L : -1;
    }
}
