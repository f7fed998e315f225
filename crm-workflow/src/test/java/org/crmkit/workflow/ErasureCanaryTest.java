package org.crmkit.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.privacy.Erasure;
import org.crmkit.privacy.Subject;
import org.crmkit.record.Record;
import org.crmkit.search.lucene.LuceneSearch;
import org.crmkit.security.Principal;
import org.crmkit.storage.jdbc.JdbcStorage;
import org.crmkit.storage.jdbc.TestDatabase;
import org.crmkit.workflow.spi.JobQueue;
import org.crmkit.plugin.spi.Installation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GDPR erasure canary: a person with a unique email and phone gets activities and a task, changes values (so the
 * change log holds old ones), has workflow jobs planned (payloads with prior values, one failing with an error that
 * quotes the email) and is indexed by Lucene; after {@code privacy().erase} no column of any CRMKit table (every
 * table of the storage, every column cast to text, read through JDBC metadata) and no file of the Lucene index
 * holds the email or the phone in any spelling stored or typed, nor does a backup taken afterwards. Before the erasure the same scans must find them,
 * so the scans are known to see what they look for. On H2, PostgreSQL and MariaDB.
 */
class ErasureCanaryTest {
    private static final String TYPED_EMAIL = "Zelda.Canary-7Q4@Example.ORG";
    private static final String OLD_EMAIL = "zc-old-91x@canary-mail.example.net";
    private static final String TYPED_PHONE = "+44 20 7946 0371";
    private static final String E164 = "+442079460371";
    private static final String OLD_PHONE_TYPED = "+44 7911 123456";
    private static final String OLD_PHONE = "+447911123456";

    @TempDir
    Path dir;

    /** Every spelling of the person's values that must be gone. */
    private static List<String> spellings() {
        return List.of(TYPED_EMAIL, TYPED_EMAIL.toLowerCase(Locale.ROOT), "Zelda.Canary-7Q4@example.org", OLD_EMAIL,
                TYPED_PHONE, E164, E164.substring(1), OLD_PHONE_TYPED, OLD_PHONE, OLD_PHONE.substring(1));
    }

    @Test
    void h2() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + ";LOCK_TIMEOUT=10000";
        canary(JdbcStorage.builder().url(url).build(), url, "");
    }

    @Test
    void postgres() throws Exception {
        JdbcStorage storage = TestDatabase.POSTGRES.newStorage();
        canary(storage, TestDatabase.POSTGRES.url(), storage.tablePrefix());
    }

    @Test
    void mariaDb() throws Exception {
        JdbcStorage storage = TestDatabase.MARIADB.newStorage();
        canary(storage, TestDatabase.MARIADB.url(), storage.tablePrefix());
    }

    private void canary(JdbcStorage storage, String url, String prefix) throws Exception {
        Path index = dir.resolve("index");
        Workflow workflow = Workflow.builder().workers(0).action("noop", c -> {})
                .action("mail", c -> {
                    throw new IllegalStateException("mail to " + c.record().map(r -> r.get("email")).orElse(null)
                            + " bounced");
                }).build();
        try (Crm crm = Crm.builder().storage(storage).search(LuceneSearch.builder().directory(index)
                .commitInterval(Duration.ofMillis(50)).build()).workflow(workflow).defaultPhoneRegion("GB")
                .build()) {
            workflow.rules().save(Rule.builder("contact_changes").on("contact", Trigger.createdOrUpdated())
                    .then(Action.custom("noop", Map.of())).build());
            CrmSession s = crm.as(Principal.SYSTEM);
            Record company = s.records("company").create(Map.of("name", "Canary Works"));
            Record zelda = s.records("contact").create(Map.of("first_name", "Zelda", "last_name", "Canary",
                    "email", OLD_EMAIL, "phone", OLD_PHONE_TYPED, "company", company.id()));
            s.records("activity").create(Map.of("kind", "email", "subject", "Intro", "body", "wrote to "
                    + OLD_EMAIL, "contact", zelda.id()));
            s.records("task").create(Map.of("subject", "Call back on " + OLD_PHONE_TYPED, "contact", zelda.id()));
            assertThat(workflow.runDueJobs(100)).isPositive(); // done jobs keep their payloads
            zelda = s.records("contact").update(zelda.id(), zelda.version(), Map.of("email", TYPED_EMAIL,
                    "phone", TYPED_PHONE));
            s.records("deal").create(Map.of("name", "Canary deal", "contact", zelda.id()));
            workflow.rules().save(Rule.builder("bounce").on("contact", Trigger.createdOrUpdated())
                    .then(Action.custom("mail", Map.of())).build());
            zelda = s.records("contact").update(zelda.id(), zelda.version(), Map.of("title", "Chief canary"));
            workflow.runDueJobs(100); // the bounce fails: its error quotes the email
            JobQueue jobs = Installation.storageOf(storage).extension(JobQueue.class).orElseThrow();
            assertThat(jobs.list(JobQueue.JobState.READY, 100).stream().anyMatch(j -> j.lastError() != null
                    && j.lastError().contains(TYPED_EMAIL.substring(0, 10)))
                    || jobs.list(JobQueue.JobState.DEAD, 100).stream().anyMatch(j -> j.lastError() != null))
                    .as("a failed job with an error").isTrue();
            assertThat(crm.admin().searchIndex().awaitUpToDate(Duration.ofSeconds(30))).isTrue();
            assertThat(s.search("Zelda")).isNotEmpty();

            assertThat(found(url, prefix)).as("the table scan sees the values before the erasure").isNotEmpty();
            assertThat(inIndex(index)).as("the index scan sees the values before the erasure").isNotEmpty();
            Path before = dir.resolve("before.zip");
            crm.admin().backup(before);
            assertThat(inArchive(before)).as("the archive scan sees the values in a backup before the erasure")
                    .isNotEmpty();

            Erasure erasure = s.privacy().erase(Subject.email(TYPED_EMAIL));

            assertThat(erasure.recordsErased()).containsEntry("contact", 1).containsEntry("activity", 1)
                    .containsEntry("task", 1);
            assertThat(erasure.searchIndexExpunged()).isTrue();
            assertThat(erasure.jobsRedacted()).isPositive();
            assertThat(found(url, prefix)).as("values left in tables").isEmpty();
            assertThat(inIndex(index)).as("values left in index files").isEmpty();
            assertThat(s.search("Zelda")).isEmpty();
            Path after = dir.resolve("after.zip");
            crm.admin().backup(after);
            assertThat(inArchive(after)).as("values left in a backup taken after the erasure").isEmpty();
            assertThat(s.records("company").get(company.id()).values()).containsEntry("name", "Canary Works");
        }
        // closed: the index's last commit and the database hold nothing either
        assertThat(inIndex(index)).as("values left in index files after close").isEmpty();
        assertThat(found(url, prefix)).as("values left in tables after close").isEmpty();
    }

    private static final CanaryScan SCAN = new CanaryScan(spellings());

    private static List<String> found(String url, String prefix) throws SQLException {
        return SCAN.inTables(url, prefix);
    }

    private static List<String> inArchive(Path archive) throws IOException {
        return SCAN.inArchive(archive);
    }

    private static List<String> inIndex(Path index) throws IOException {
        return SCAN.inIndex(index);
    }
}
