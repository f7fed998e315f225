package org.crmkit.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.plugin.spi.Installation;
import org.crmkit.record.Record;
import org.crmkit.search.lucene.LuceneSearch;
import org.crmkit.security.Principal;
import org.crmkit.storage.jdbc.JdbcHostTransactions;
import org.crmkit.storage.jdbc.JdbcStorage;
import org.crmkit.storage.jdbc.TestDatabase;
import org.crmkit.workflow.spi.JobQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What follows a commit when CRMKit joined the host's transaction ({@link JdbcHostTransactions}): the job a rule
 * plans and the search index entry exist once the host commits, and never when it rolls back; neither is visible to
 * another thread while the host's transaction is open. On H2, PostgreSQL and MariaDB, with the Lucene index and the
 * job queue of a real {@link Workflow}.
 */
class HostTransactionJobsAndIndexTest {
    @TempDir
    Path dir;

    private final ExecutorService other = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        other.shutdownNow();
    }

    @Test
    void h2() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + ";LOCK_TIMEOUT=10000";
        JdbcHostTransactions host = JdbcHostTransactions.create();
        check(JdbcStorage.builder().url(url).joinHostTransactions(host).build(), host, url);
    }

    @Test
    void postgres() throws Exception {
        JdbcHostTransactions host = JdbcHostTransactions.create();
        check(TestDatabase.POSTGRES.newStorage(JdbcStorage.builder().joinHostTransactions(host)), host,
                TestDatabase.POSTGRES.url());
    }

    @Test
    void mariaDb() throws Exception {
        JdbcHostTransactions host = JdbcHostTransactions.create();
        check(TestDatabase.MARIADB.newStorage(JdbcStorage.builder().joinHostTransactions(host)), host,
                TestDatabase.MARIADB.url());
    }

    private void check(JdbcStorage storage, JdbcHostTransactions host, String url) throws Exception {
        Workflow workflow = Workflow.builder().workers(0).action("welcome", c -> {}).build();
        try (Crm crm = Crm.builder().storage(storage).search(LuceneSearch.builder().directory(dir.resolve("index"))
                .commitInterval(Duration.ofMillis(50)).build()).workflow(workflow).build()) {
            workflow.rules().save(Rule.builder("welcome").on("contact", Trigger.created())
                    .then(Action.custom("welcome", Map.of())).build());
            CrmSession s = crm.as(Principal.SYSTEM);
            JobQueue jobs = Installation.storageOf(storage).extension(JobQueue.class).orElseThrow();

            Record rolledBack;
            try (Connection c = hostConnection(url); JdbcHostTransactions.Transaction t = host.begin(c)) {
                rolledBack = s.records("contact").create(Map.of("first_name", "Zebulon", "last_name", "Rollback"));
                assertThat(other.submit(() -> jobs.list(JobQueue.JobState.READY, 100)).get(30, TimeUnit.SECONDS))
                        .as("no job visible while the host's transaction is open").isEmpty();
                t.rollback();
            }
            Record committed;
            try (Connection c = hostConnection(url); JdbcHostTransactions.Transaction t = host.begin(c)) {
                committed = s.records("contact").create(Map.of("first_name", "Yolanda", "last_name", "Committed"));
                assertThat(other.submit(() -> jobs.list(JobQueue.JobState.READY, 100)).get(30, TimeUnit.SECONDS))
                        .isEmpty();
                t.commit();
            }

            assertThat(crm.admin().searchIndex().awaitUpToDate(Duration.ofSeconds(30))).isTrue();
            assertThat(s.search("Yolanda")).extracting(h -> h.id()).containsExactly(committed.id());
            assertThat(s.search("Zebulon")).isEmpty();
            List<JobQueue.JobInfo> ready = jobs.list(JobQueue.JobState.READY, 100);
            assertThat(ready).hasSize(1);
            assertThat(ready.get(0).payload()).contains(committed.id().toString())
                    .doesNotContain(rolledBack.id().toString());
            assertThat(workflow.runDueJobs(100)).isEqualTo(1);
        }
    }

    private static Connection hostConnection(String url) throws Exception {
        Connection c = DriverManager.getConnection(url);
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        return c;
    }
}
