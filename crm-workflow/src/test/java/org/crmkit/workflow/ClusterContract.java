package org.crmkit.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.crmkit.Crm;
import org.crmkit.record.ImportResult;
import org.crmkit.security.Principal;
import org.crmkit.storage.jdbc.JdbcStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two nodes (two {@code Crm}s on one database) with 10 worker threads each run 10,000 jobs, and one node is cut off
 * abruptly midway (its connections die, as when the process is killed): every job completes, the effect keyed by the
 * idempotency key happens for exactly 10,000 keys, and only jobs that were in flight on the cut node run twice.
 */
abstract class ClusterContract {
    static final int JOBS = Integer.getInteger("crmkit.cluster.jobs", 10_000);
    static final int WORKERS = 10;

    /** A JDBC URL and table prefix for a fresh, empty place in the database under test. */
    protected abstract String url();

    protected abstract String prefix();

    protected void cleanUp() {}

    /** One execution of the effect: which key, on which node, and whether it started before the cut. */
    record Execution(String key, String node, boolean beforeCut, int attempt, String thread, long nanos) {}

    @Test
    @Timeout(value = 300)
    void tenThousandJobsOnTwoNodesSurviveOneNodeDying() throws Exception {
        List<Execution> executions = new CopyOnWriteArrayList<>();
        Set<String> effects = ConcurrentHashMap.newKeySet();
        AtomicInteger started = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean isCut = new java.util.concurrent.atomic.AtomicBoolean();
        CuttableDataSource dsA = new CuttableDataSource(url());
        CuttableDataSource dsB = new CuttableDataSource(url());
        Crm a = null;
        Crm b = null;
        try {
            b = node("b", dsB, executions, effects, started, isCut);
            a = node("a", dsA, executions, effects, started, isCut);
            Workflow wb = workflowOf.get(b);
            wb.rules().save(Rule.builder("count_contact").on("contact", Trigger.created())
                    .then(Action.custom("count", Map.of())).build());
            List<Map<String, ?>> rows = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                rows.add(Map.of("last_name", "Node" + i));
            }
            ImportResult imported = b.as(Principal.SYSTEM).records("contact").importRecords("cluster", rows);
            assertThat(imported.errors()).isEmpty();
            assertThat(b.as(Principal.SYSTEM).records("contact").count(org.crmkit.query.Filter.ALL)).isEqualTo(JOBS);

            long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
            while (started.get() < JOBS * 3 / 10 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            if (!Boolean.getBoolean("crmkit.cluster.nocut")) {
                isCut.set(true);
                dsA.cut();
            }
            long aBefore = executions.stream().filter(e -> e.node().equals("a")).count();
            long lastChange = System.nanoTime();
            long lastDone = -1;
            while (System.nanoTime() < deadline && System.nanoTime() - lastChange < Duration.ofSeconds(30).toNanos()) {
                Map<JobView.Status, Long> counts = wb.jobs().counts();
                if (counts.get(JobView.Status.READY) == 0 && counts.get(JobView.Status.RUNNING) == 0
                        && counts.get(JobView.Status.DONE) + counts.get(JobView.Status.DEAD) >= JOBS) {
                    break;
                }
                if (counts.get(JobView.Status.DONE) != lastDone) {
                    lastDone = counts.get(JobView.Status.DONE);
                    lastChange = System.nanoTime();
                }
                Thread.sleep(100);
            }
            Map<JobView.Status, Long> counts = wb.jobs().counts();
            List<JobView> left = new ArrayList<>(wb.jobs().list(JobView.Status.RUNNING, 20));
            left.addAll(wb.jobs().list(JobView.Status.READY, 20));
            left.addAll(wb.jobs().list(JobView.Status.DEAD, 20));
            if (counts.get(JobView.Status.DONE) != JOBS) {
                Set<String> jobKeys = wb.jobs().list(JobView.Status.DONE, JOBS * 2).stream().map(JobView::key)
                        .collect(Collectors.toSet());
                List<String> missing = new ArrayList<>();
                for (org.crmkit.record.Record r : b.as(Principal.SYSTEM).records("contact")
                        .query(org.crmkit.query.Query.all().limit(JOBS)).items()) {
                    if (!jobKeys.contains("chg:" + r.id() + ":1:create")) {
                        missing.add(r.id() + " " + b.changeLog().read(0, 100_000).stream()
                                .filter(e -> e.recordId().equals(r.id())).toList());
                    }
                }
                throw new AssertionError("jobs done " + counts + "; not done " + left + "; records without job: "
                        + missing);
            }
            assertThat(counts.get(JobView.Status.DEAD)).as("dead letters").isZero();
            List<JobView> noEffect = wb.jobs().list(JobView.Status.DONE, JOBS).stream()
                    .filter(j -> !effects.contains(j.key() + "/0/0")).limit(5).toList();
            assertThat(effects.size()).as("distinct effects by idempotency key; done without effect: %s", noEffect)
                    .isEqualTo(JOBS);

            Map<String, List<Execution>> byKey = executions.stream().collect(Collectors.groupingBy(Execution::key));
            List<List<Execution>> reruns = byKey.values().stream().filter(l -> l.size() > 1).toList();
            // A job runs twice when its node loses its lease: node a at the cut, or (with the machine's cores busy)
            // any node whose heartbeat came late before the cut. Either way the second run is attempt 2 and the job
            // is done once; what the cut adds is that a's jobs in flight then run on b: at most one per worker of a.
            int cutReruns = 0;
            for (List<Execution> l : reruns) {
                String key = l.get(0).key();
                assertThat(l).extracting(Execution::attempt).containsExactly(1, 2);
                String jobKey = key.substring(0, key.length() - "/0/0".length());
                assertThat(wb.jobs().list(JobView.Status.DONE, JOBS).stream().filter(j -> j.key().equals(jobKey)))
                        .singleElement().satisfies(j -> assertThat(j.attempts()).isEqualTo(2));
                if (l.get(0).node().equals("a") && !l.get(1).beforeCut()) {
                    cutReruns++; // in flight on a at the cut, then run by b (a runs nothing after the cut)
                }
            }
            assertThat(cutReruns).as("re-runs after the cut, at most the cut node's workers' jobs in flight")
                    .isLessThanOrEqualTo(WORKERS);
            assertThat(aBefore).as("the cut node did work before it died").isGreaterThan(0);
            assertThat(executions.stream().filter(e -> e.node().equals("b")).count()).isGreaterThan(0);
            System.out.printf("# cluster: %d executions, %d on the cut node before the cut, %d re-runs (%d after the"
                    + " cut)%n", executions.size(), aBefore, reruns.size(), cutReruns);
        } finally {
            if (a != null) {
                a.close();
            }
            if (b != null) {
                b.close();
            }
            dsA.closeAll();
            dsB.closeAll();
            cleanUp();
        }
    }

    private final Map<Crm, Workflow> workflowOf = new ConcurrentHashMap<>();

    private Crm node(String name, CuttableDataSource ds, List<Execution> executions, Set<String> effects,
            AtomicInteger started, java.util.concurrent.atomic.AtomicBoolean isCut) {
        Workflow w = Workflow.builder().nodeId(name).workers(WORKERS).pollInterval(Duration.ofMillis(20))
                .lease(Duration.ofSeconds(3), Duration.ofMillis(500))
                .retry(new RetryPolicy(5, Duration.ofMillis(100), 2, Duration.ofSeconds(1), 0.2))
                .action("count", ctx -> {
                    if (name.equals("a") && isCut.get()) {
                        throw new IllegalStateException("node a is gone");
                    }
                    started.incrementAndGet();
                    executions.add(new Execution(ctx.idempotencyKey(), name, !isCut.get(), ctx.attempt(),
                            Thread.currentThread().getName(), System.nanoTime()));
                    effects.add(ctx.idempotencyKey());
                    if (ThreadLocalRandom.current().nextInt(4) == 0) {
                        try {
                            Thread.sleep(1);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }).build();
        Crm crm = Crm.builder().storage(JdbcStorage.builder().dataSource(ds).tablePrefix(prefix()).build())
                .workflow(w).build();
        workflowOf.put(crm, w);
        return crm;
    }
}
