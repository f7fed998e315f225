package org.crmkit.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.keys.KeyProvider;
import org.crmkit.keys.KeyProviders;
import org.crmkit.keys.KeyPurpose;
import org.crmkit.query.Filters;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.search.lucene.LuceneSearch;
import org.crmkit.security.Principal;
import org.crmkit.storage.jdbc.JdbcStorage;
import org.crmkit.storage.jdbc.TestDatabase;
import org.crmkit.workflow.Action;
import org.crmkit.workflow.Rule;
import org.crmkit.workflow.Trigger;
import org.crmkit.workflow.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The encryption canary (issue 16, item 6): a unique canary in every encrypted field of every encryptable type
 * (text, long text, email, phone, url; randomised and deterministic; searchable), written, updated (so the change log
 * holds old and new values) and indexed by Lucene, is found in no column of any CRMKit table, no Lucene index file,
 * no entry of a backup archive and no captured log or error output; neither is the base64 of any key. As a control,
 * the same fields unencrypted (another type, other canaries) are found in tables, index and archive, so the scans see
 * what they look for. Scanning is {@link CanaryScan}, shared with {@link ErasureCanaryTest}. On H2, PostgreSQL and
 * MariaDB.
 */
class EncryptedFieldsCanaryTest {
    private static final String TEXT = "CanaryText4Wq";
    private static final String OLD_TEXT = "CanaryOld4Wq";
    private static final String LONG = "CanaryLong4Wq and more";
    private static final String EMAIL = "canary-4wq@canary-mail.example.net";
    private static final String PHONE_TYPED = "+44 20 7946 0999";
    private static final String PHONE = "+442079460999";
    private static final String URL = "https://canary-4wq.example.org/p";
    private static final String CODE = "CanaryCode4Wq";

    @TempDir
    Path dir;

    private static List<String> canaries() {
        return List.of(TEXT, OLD_TEXT, LONG, EMAIL, PHONE_TYPED, PHONE, PHONE.substring(1), URL, CODE);
    }

    private static List<String> controls() {
        return List.of("ControlText4Wq", "control-4wq@canary-mail.example.net", "ControlCode4Wq");
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

    private static List<Field> fields(boolean encrypted) {
        return List.of(Field.text("name").required(true),
                Field.text("note").encrypted(encrypted).searchable(true),
                Field.longText("bio").encrypted(encrypted),
                Field.email("email").encrypted(encrypted).unique(true).searchable(true),
                Field.phone("phone").encrypted(encrypted).searchable(true),
                Field.url("site").encrypted(encrypted),
                Field.text("code").encrypted(encrypted).indexed(true));
    }

    private void canary(JdbcStorage storage, String url, String prefix) throws Exception {
        Path index = dir.resolve("index");
        KeyProvider keys = KeyProviders.generated();
        List<String> keyMaterial = keyMaterial(keys);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(new TeeStream(err, captured), true, StandardCharsets.UTF_8));
        try {
            Workflow workflow = Workflow.builder().workers(0).build(); // its jobs wait in their table until run
            try (Crm crm = Crm.builder().storage(storage).keys(keys).search(LuceneSearch.builder().directory(index)
                    .commitInterval(Duration.ofMillis(50)).build()).defaultPhoneRegion("GB").workflow(workflow)
                    .build()) {
                crm.schema().addObjectType(ObjectType.custom("vault", "Vault", fields(true).toArray(Field[]::new)));
                crm.schema().addObjectType(ObjectType.custom("open_vault", "Open vault",
                        fields(false).toArray(Field[]::new)));
                // a rule that reads the prior value of an encrypted field: the job's payload must not hold it
                workflow.rules().save(Rule.builder("prior_note").on("vault", Trigger.updated())
                        .when("prior.note != null && prior.note.size() == " + OLD_TEXT.length()
                                + " && note != prior.note")
                        .then(Action.setFields(Map.of("name", Value.of("prior seen")))).build());
                CrmSession s = crm.as(Principal.SYSTEM);
                Record v = s.records("vault").create(Map.of("name", "Vault one", "note", OLD_TEXT, "bio", LONG,
                        "email", EMAIL, "phone", PHONE_TYPED, "site", URL, "code", CODE));
                v = s.records("vault").update(v.id(), v.version(), Map.of("note", TEXT));
                s.records("open_vault").create(Map.of("name", "Open one", "note", controls().get(0), "email",
                        controls().get(1), "code", controls().get(2)));
                assertThat(s.records("vault").get(v.id()).values()).containsEntry("note", TEXT)
                        .containsEntry("email", EMAIL).containsEntry("phone", PHONE);
                assertThat(s.records("vault").query(Filters.where("email").eq(EMAIL)).items()).hasSize(1);
                // error paths: their messages go to the captured output too
                List<String> messages = new ArrayList<>();
                try {
                    s.records("vault").query(Filters.where("note").contains(TEXT));
                } catch (RuntimeException e) {
                    messages.add(String.valueOf(e.getMessage()));
                }
                assertThatThrownBy(() -> s.records("vault").create(Map.of("name", "Two", "email", EMAIL)))
                        .satisfies(e -> messages.add(String.valueOf(e.getMessage())));
                System.err.println(String.join("\n", messages));
                assertThat(crm.admin().searchIndex().awaitUpToDate(Duration.ofSeconds(30))).isTrue();
                assertThat(s.search(EMAIL)).extracting(org.crmkit.search.Hit::id).containsExactly(v.id());
                assertThat(s.search("ControlText4Wq")).hasSize(1);
                crm.admin().encryption().rotate().result().toCompletableFuture().join();
                Path archive = dir.resolve("backup.zip");
                crm.admin().backup(archive);

                CanaryScan canary = new CanaryScan(canaries());
                CanaryScan control = new CanaryScan(controls());
                CanaryScan key = new CanaryScan(keyMaterial);
                assertThat(control.inTables(url, prefix)).as("control in tables").isNotEmpty();
                assertThat(control.inIndex(index)).as("control in index").isNotEmpty();
                assertThat(control.inArchive(archive)).as("control in archive").isNotEmpty();
                assertThat(canary.inTables(url, prefix)).as("canaries in tables").isEmpty();
                assertThat(canary.inIndex(index)).as("canaries in index files").isEmpty();
                assertThat(canary.inArchive(archive)).as("canaries in the backup").isEmpty();
                assertThat(key.inTables(url, prefix)).as("keys in tables").isEmpty();
                assertThat(key.inIndex(index)).as("keys in index files").isEmpty();
                assertThat(key.inArchive(archive)).as("keys in the backup").isEmpty();
                // the job, run now, read the prior value from the change log
                workflow.jobs().runDue();
                assertThat(s.records("vault").get(v.id()).values()).containsEntry("name", "prior seen");
            }
            assertThat(new CanaryScan(canaries()).inIndex(index)).as("canaries in index files after close")
                    .isEmpty();
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(new CanaryScan(canaries()).inText(log)).as("canaries in log and error output").isEmpty();
        assertThat(new CanaryScan(keyMaterial).inText(log)).as("keys in log and error output").isEmpty();
    }

    /** The base64 key values of every keyset, as Tink's JSON format writes them. */
    private static List<String> keyMaterial(KeyProvider keys) throws Exception {
        List<String> out = new ArrayList<>();
        Pattern value = Pattern.compile("\"value\"\\s*:\\s*\"([A-Za-z0-9+/=]{16,})\"");
        for (KeyPurpose p : KeyPurpose.values()) {
            String json = TinkJsonProtoKeysetFormat.serializeKeyset(keys.keyset(p), InsecureSecretKeyAccess.get());
            Matcher m = value.matcher(json);
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        assertThat(out).hasSizeGreaterThanOrEqualTo(KeyPurpose.values().length);
        return out;
    }

    /** Writes to two streams. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
