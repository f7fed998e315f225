package org.crmkit.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.crmkit.Crm;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.query.Query;
import org.crmkit.record.Record;
import org.crmkit.search.lucene.LuceneSearch;
import org.crmkit.security.Principal;
import org.crmkit.storage.jdbc.JdbcStorage;
import org.crmkit.storage.jdbc.TestDatabase;
import org.crmkit.storage.jdbc.ThrowawayServer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The database crashes under a write load (issue 19, item 7), on a PostgreSQL or MariaDB server the test makes for
 * itself ({@link ThrowawayServer}: {@code pg_ctl stop -m immediate}, SIGKILL to {@code mariadbd}), never the shared
 * servers. Writer threads create and update contacts through one {@code Crm} with a Lucene index and a workflow whose
 * rule makes a job for every contact; a host job is submitted too. Mid-load the server dies, the writers see it, it
 * starts again on the same data directory, and the same {@code Crm} goes on without being rebuilt. Then:
 *
 * <ul>
 *   <li>every write that failed threw {@link org.crmkit.error.StorageUnavailableException}, nothing else;
 *   <li>every acknowledged write is there with its value and version, and a write that failed before its commit
 *       left nothing (a create: no record of its name; an update: the version before it);
 *   <li>every record's change-log entries are versions 1 to its version, and no entry names a record that is not
 *       there (nothing half-written);
 *   <li>the jobs held up at the crash (the workers are blocked in the action until the restart) and those queued
 *       meanwhile all run afterwards, none dead: one effect per contact, and the host job's;
 *   <li>the index catches up with the change log, and finds the records written after the restart.
 * </ul>
 *
 * The test lives here rather than in crm-storage-jdbc because the job queue is driven by the workflow's workers; the
 * throwaway servers come from the storage's test jar. No assertion depends on speed: every wait is on a condition.
 */
class DatabaseCrashTest {
    private static final int WRITERS = 4;
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    /** What a writer knows of one contact after its last call that returned. */
    record Acked(UUID id, String name, long version, String title, boolean uncertain) {}

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRES", "MARIADB"})
    @Timeout(value = 600)
    void writesJobsAndTheIndexSurviveTheDatabaseCrashing(TestDatabase db) throws Exception {
        Set<UUID> effects = ConcurrentHashMap.newKeySet();
        Set<String> hostJobsRun = ConcurrentHashMap.newKeySet();
        CountDownLatch restarted = new CountDownLatch(1);
        Phases phases = new Phases();
        try (ThrowawayServer server = ThrowawayServer.start(db); HikariDataSource pool = pool(server.url())) {
            Workflow workflow = Workflow.builder().workers(2).pollInterval(Duration.ofMillis(50))
                    .lease(Duration.ofSeconds(5), Duration.ofSeconds(1))
                    // enough attempts to outlast the outage: a job failing while the database is down is retried
                    .retry(new RetryPolicy(30, Duration.ofMillis(100), 2, Duration.ofSeconds(2), 0.2))
                    .action("mark", ctx -> {
                        await(restarted);
                        effects.add(ctx.record().orElseThrow().id());
                    })
                    .action("host", ctx -> {
                        await(restarted);
                        hostJobsRun.add(ctx.parameters().get("n"));
                    }).build();
            try (Crm crm = Crm.builder().storage(JdbcStorage.builder().dataSource(pool).build())
                    .search(LuceneSearch.inMemory()).workflow(workflow).build()) {
                phases.mark("server made and started, Crm built");
                workflow.rules().save(Rule.builder("mark_contact").on("contact", Trigger.created())
                        .then(Action.custom("mark", Map.of())).build());
                workflow.jobs().submit("host", Map.of("n", "before"), "host-before", Instant.now());

                CrashWriters writers = new CrashWriters(crm, WRITERS);
                writers.start();
                waitFor("acknowledged writes before the crash", () -> writers.acknowledged() >= 20 * WRITERS);
                phases.mark("writes before the crash");
                writers.markCrash();
                server.crash();
                waitFor("every writer failing after the crash", writers::everyWriterFailedSinceCrash);
                phases.mark("crash seen by every writer");
                server.startAgain();
                phases.mark("restart");
                restarted.countDown();
                writers.markRestart();
                waitFor("every writer writing again with the same Crm", () -> writers.everyWriterAcknowledged(5));
                writers.stop();
                phases.mark("writes after the restart");

                assertThat(writers.unexpected()).as("failures that are not StorageUnavailableException").isEmpty();
                checkRecords(crm, writers);
                long head = checkChangeLog(crm);
                checkJobs(crm, workflow, effects, hostJobsRun);
                checkIndex(crm, writers, head);
                phases.mark("checks (jobs, index)");
                System.out.printf("# %s crash: %d acknowledged writes, %d failed (%d with the outcome unknown, %d"
                        + " of those landed), %d jobs%n", db, writers.acknowledged(), writers.failures().size(),
                        writers.unknownOutcomes(), writers.landedUnknown(crm), effects.size());
                System.out.println("# " + db + " crash phases (for information, not asserted): " + phases);
            }
        }
    }

    /** How long each phase took, printed for whoever tunes the test; nothing asserts on it. */
    private static final class Phases {
        private final StringBuilder text = new StringBuilder();
        private long since = System.nanoTime();

        void mark(String phase) {
            long now = System.nanoTime();
            text.append(text.isEmpty() ? "" : ", ").append(phase).append(' ')
                    .append(Duration.ofNanos(now - since).toMillis()).append(" ms");
            since = now;
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(2);
        config.setPoolName("crash-test");
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        // short waits so writers see the outage within seconds; correctness does not depend on them
        config.setConnectionTimeout(3_000);
        config.setValidationTimeout(1_000);
        return new HikariDataSource(config);
    }

    /** Acknowledged writes are there as acknowledged; failed writes before the commit left nothing. */
    private static void checkRecords(Crm crm, CrashWriters writers) {
        var contacts = crm.as(Principal.SYSTEM).records("contact");
        for (Acked a : writers.lastAcknowledged()) {
            Record r = contacts.get(a.id());
            if (a.uncertain()) {
                // the next update's outcome is unknown: the record is at the acknowledged version or one past it
                assertThat(r.version()).as("%s", a).isBetween(a.version(), a.version() + 1);
                if (r.version() == a.version()) {
                    assertThat(r.getString("title")).as("%s", a).isEqualTo(a.title());
                }
            } else {
                assertThat(r.version()).as("version of %s", a).isEqualTo(a.version());
                assertThat(r.getString("title")).as("title of %s", a).isEqualTo(a.title());
                assertThat(r.getString("last_name")).as("name of %s", a).isEqualTo(a.name());
            }
        }
        for (String name : writers.createsThatFailedBeforeCommit()) {
            assertThat(contacts.count(org.crmkit.query.Filters.where("last_name").eq(name)))
                    .as("a create that failed before its commit left no record %s", name).isZero();
        }
    }

    /** Each contact has change-log entries for versions 1..version, and the log names no record that is missing. */
    private static long checkChangeLog(Crm crm) {
        Map<UUID, List<Long>> versions = new HashMap<>();
        long after = 0;
        for (List<ChangeLogEntry> page = crm.changeLog().read(after, 1_000); !page.isEmpty(); page = crm.changeLog()
                .read(after, 1_000)) {
            for (ChangeLogEntry e : page) {
                if (e.objectType().equals("contact")) {
                    versions.computeIfAbsent(e.recordId(), k -> new ArrayList<>()).add(e.version());
                }
                after = e.sequence();
            }
        }
        List<Record> all = allContacts(crm);
        assertThat(versions.keySet()).as("records in the change log = records stored")
                .containsExactlyInAnyOrderElementsOf(all.stream().map(Record::id).toList());
        for (Record r : all) {
            List<Long> expected = java.util.stream.LongStream.rangeClosed(1, r.version()).boxed().toList();
            assertThat(versions.get(r.id())).as("change-log versions of %s", r.id()).isEqualTo(expected);
        }
        return after;
    }

    /** Every job runs after the restart, none dead: one effect per stored contact, and the host job's. */
    private static void checkJobs(Crm crm, Workflow workflow, Set<UUID> effects, Set<String> hostJobsRun) {
        Set<UUID> ids = allContacts(crm).stream().map(Record::id).collect(Collectors.toSet());
        waitFor("every job done", () -> {
            Map<JobView.Status, Long> counts = workflow.jobs().counts();
            return counts.get(JobView.Status.READY) == 0 && counts.get(JobView.Status.RUNNING) == 0
                    && effects.containsAll(ids) && hostJobsRun.contains("before");
        });
        assertThat(workflow.jobs().deadLetters(10)).as("dead letters").isEmpty();
        assertThat(effects).as("a job ran for each stored contact, and for no other").isEqualTo(ids);
    }

    /** The index catches up with the change log and finds what was written after the restart. */
    private static void checkIndex(Crm crm, CrashWriters writers, long head) {
        assertThat(crm.admin().searchIndex().awaitUpToDate(PATIENCE)).as("index up to date").isTrue();
        assertThat(crm.admin().searchIndex().appliedSequence()).as("index position").isGreaterThanOrEqualTo(head);
        List<Acked> after = writers.acknowledgedAfterRestart();
        for (Acked a : after.subList(Math.max(0, after.size() - 20), after.size())) {
            assertThat(crm.as(Principal.SYSTEM).search(a.name())).as("search for %s", a.name())
                    .anySatisfy(h -> assertThat(h.id()).isEqualTo(a.id()));
        }
    }

    private static List<Record> allContacts(Crm crm) {
        List<Record> all = crm.as(Principal.SYSTEM).records("contact").query(Query.all().limit(10_000)).items();
        assertThat(all).as("fewer contacts than a page holds").hasSizeLessThan(10_000);
        return all;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("the database did not come back");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void waitFor(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + PATIENCE + ": " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
