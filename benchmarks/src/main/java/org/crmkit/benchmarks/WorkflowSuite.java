package org.crmkit.benchmarks;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import org.crmkit.Crm;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.storage.memory.InMemoryStorage;
import org.crmkit.workflow.Action;
import org.crmkit.workflow.Rule;
import org.crmkit.workflow.Rules;
import org.crmkit.workflow.Trigger;
import org.crmkit.workflow.Workflow;

/**
 * The workflow suite:
 *
 * <ul>
 *   <li>{@code workflow.rule_match}: time per change event to find which of 100 enabled rules on {@code deal}
 *       ({@code createdOrUpdated}, each with its own CEL condition, so every condition is evaluated for every event)
 *       match, through {@code Rules.simulate(before, after)}, against the same 100 conditions as plain Java predicates
 *       over the same records (with the same trigger check). Every event's matches are compared first.</li>
 *   <li>{@code workflow.jobs_vs_db_scheduler} (PostgreSQL): time per durable no-op job with 2 worker threads, from the
 *       moment {@code --size} jobs come due until the last has run, against db-scheduler 16 (lock-and-fetch polling,
 *       2 threads, same poll interval and the same batch of twice the threads) on its own table in the same database
 *       with the pool JdbcStorage gives itself. Jobs are written before they come due (not timed); rounds alternate.</li>
 * </ul>
 */
final class WorkflowSuite implements Suite {
    private static final int RULES = 100;
    private static final String[] STAGES = {"prospecting", "qualification", "proposal", "negotiation", "closed_won",
        "closed_lost"};
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
        o.put("events", "change events per rule_match pass (default 20000)");
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

    /** One of the 100 conditions, as CEL and as the equivalent Java predicate over (before, after). */
    private record Condition(String cel, BiPredicate<Record, Record> java) {}

    private static double amount(Record r) {
        return r.get("amount") instanceof Money m ? m.amount().doubleValue() : Double.NaN;
    }

    private static List<Condition> conditions() {
        List<Condition> out = new ArrayList<>();
        for (int i = 0; i < RULES; i++) {
            int k = i / 5;
            switch (i % 5) {
                case 0 -> {
                    double min = 1_000.0 * k;
                    out.add(new Condition("amount != null && amount > " + min,
                            (b, a) -> a.get("amount") != null && amount(a) > min));
                }
                case 1 -> {
                    String stage = STAGES[k % STAGES.length];
                    double p = 5.0 * k;
                    out.add(new Condition("stage == '" + stage + "' && probability != null && probability >= " + p,
                            (b, a) -> stage.equals(a.get("stage")) && a.get("probability") instanceof BigDecimal d
                                    && d.doubleValue() >= p));
                }
                case 2 -> {
                    String prefix = String.valueOf((char) ('A' + k));
                    out.add(new Condition("name.startsWith('" + prefix + "')",
                            (b, a) -> a.get("name") instanceof String s && s.startsWith(prefix)));
                }
                case 3 -> {
                    LocalDate limit = LocalDate.of(2026, 1 + k % 12, 15);
                    out.add(new Condition("close_date != null && close_date < timestamp('" + limit + "T00:00:00Z')",
                            (b, a) -> a.get("close_date") instanceof LocalDate d && d.isBefore(limit)));
                }
                default -> {
                    String stage = STAGES[k % STAGES.length];
                    out.add(new Condition("'stage' in changed && stage == '" + stage + "'",
                            (b, a) -> stage.equals(a.get("stage")) && (b == null || !stage.equals(b.get("stage")))));
                }
            }
        }
        return out;
    }

    private static Record deal(UUID id, long version, Map<String, Object> values) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return new Record(id, "deal", version, "u-1", null, t, "u-1", t, "u-1", null, values);
    }

    private static List<Record[]> events(int n, long seed) {
        Random rnd = new Random(seed);
        List<Record[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Map<String, Object> v = new HashMap<>();
            v.put("name", (char) ('A' + rnd.nextInt(26)) + "deal " + i);
            v.put("pipeline", "sales");
            v.put("stage", STAGES[rnd.nextInt(STAGES.length)]);
            if (rnd.nextInt(10) > 0) {
                v.put("amount", Money.of(BigDecimal.valueOf(rnd.nextInt(30_000_000), 2).toPlainString(), "USD"));
            }
            v.put("probability", BigDecimal.valueOf(rnd.nextInt(101)).setScale(2));
            if (rnd.nextBoolean()) {
                v.put("close_date", LocalDate.of(2026, 1 + rnd.nextInt(12), 1 + rnd.nextInt(28)));
            }
            UUID id = new UUID(rnd.nextLong(), rnd.nextLong());
            Record after = deal(id, 2, v);
            Map<String, Object> old = new HashMap<>(v);
            old.put("stage", rnd.nextBoolean() ? v.get("stage") : STAGES[rnd.nextInt(STAGES.length)]);
            Record before = rnd.nextInt(5) == 0 ? null : deal(id, 1, old);
            out.add(new Record[] {before, after});
        }
        return out;
    }

    private void ruleMatch(BenchConfig config, BenchOutput out) throws Exception {
        int n = Integer.parseInt(config.option("events", "20000"));
        List<Condition> conditions = conditions();
        List<Record[]> events = events(n, config.seed());
        Workflow workflow = Workflow.builder().workers(0).action("noop", c -> { }).build();
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).workflow(workflow).build()) {
            Rules rules = workflow.rules();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < RULES; i++) {
                String name = String.format("r%03d", i);
                names.add(name);
                rules.save(Rule.builder(name).order(i).on("deal", Trigger.createdOrUpdated())
                        .when(conditions.get(i).cel()).then(Action.custom("noop", Map.of())).build());
            }
            // the baseline: the same rules as Java objects, same order, same trigger check
            BiPredicate<Record, Record>[] predicates = conditions.stream().map(Condition::java)
                    .toArray(BiPredicate[]::new);
            java.util.function.Function<Record[], List<String>> baseline = e -> {
                List<String> matched = new ArrayList<>(4);
                for (int i = 0; i < predicates.length; i++) {
                    if (!e[1].isDeleted() && predicates[i].test(e[0], e[1])) {
                        matched.add(names.get(i));
                    }
                }
                return matched;
            };
            long matches = 0;
            for (Record[] e : events) {
                List<String> a = rules.simulate(e[0], e[1]);
                List<String> b = baseline.apply(e);
                if (!a.equals(b)) {
                    throw new IllegalStateException("rule_match: CEL and Java disagree on " + e[1] + ": " + a + " vs "
                            + b);
                }
                matches += a.size();
            }
            System.err.printf("# rule_match: %d events, %d rules, %.1f matches per event, CEL and Java agree%n", n,
                    RULES, (double) matches / n);
            Timing.Pair p = Timing.interleavedMedians(2, config.rounds(), n, round -> {
                long t0 = System.nanoTime();
                long sum = 0;
                for (Record[] e : events) {
                    sum += rules.simulate(e[0], e[1]).size();
                }
                long t = System.nanoTime() - t0;
                Timing.consume(sum);
                return t;
            }, round -> {
                long t0 = System.nanoTime();
                long sum = 0;
                for (Record[] e : events) {
                    sum += baseline.apply(e).size();
                }
                long t = System.nanoTime() - t0;
                Timing.consume(sum);
                return t;
            });
            out.report(new BenchLine("workflow.rule_match", p.crmkit(), p.baseline()));
        }
    }

    // ---- durable jobs -----------------------------------------------------------------------------------------

    private void jobs(BenchConfig config, BenchOutput out, BenchDatabase db) throws Exception {
        int n = config.size();
        AtomicInteger crmkitDone = new AtomicInteger();
        AtomicInteger dbsDone = new AtomicInteger();
        String table = db.tablePrefix("dbs") + "scheduled_tasks";
        Workflow writer = Workflow.builder().workers(0).action("noop", c -> { }).build();
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
            throw new IllegalStateException("writing " + n + " jobs took longer than their head start of " + headStart(n));
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
