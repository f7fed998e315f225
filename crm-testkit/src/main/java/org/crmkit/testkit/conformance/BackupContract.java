package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.crmkit.Crm;
import org.crmkit.backup.BackupManifest;
import org.crmkit.backup.RestoreResult;
import org.crmkit.error.BackupException;
import org.crmkit.error.BackupException.Problem;
import org.crmkit.query.Query;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.storage.spi.BackupSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Backup and restore ({@code crm.admin().backup}, {@code restore}): a round trip into a fresh storage of the same
 * kind gives back every record (all fields, version, owner, time stamps, deletion), change-log entry, schema and
 * history, report version and merge link; a backup taken while writers go on is one consistent snapshot; a restored
 * {@code Crm} goes on writing; and hostile or broken archives are refused with a typed error, leaving the target as
 * empty as it was. (Restoring across storage kinds: the JDBC module's matrix test.)
 */
public abstract class BackupContract extends BackupFixtures {
    private boolean offersBackups() {
        return storageUnderTest().extension(BackupSupport.class).isPresent();
    }

    @BeforeEach
    void needsBackupSupport(org.junit.jupiter.api.TestInfo test) {
        if (!test.getTestMethod().map(m -> m.getName().equals("aStorageWithoutBackupsRefusesThem")).orElse(false)) {
            org.junit.jupiter.api.Assumptions.assumeTrue(offersBackups(), "the storage offers no backups");
        }
    }

    @Test
    void aStorageWithoutBackupsRefusesThem() {
        org.junit.jupiter.api.Assumptions.assumeFalse(offersBackups(), "the storage offers backups");
        assertThatThrownBy(() -> crm().admin().backup(file("a.zip"))).isInstanceOfSatisfying(BackupException.class,
                e -> assertThat(e.getMessage()).contains("BackupSupport"));
        assertThat(java.nio.file.Files.exists(file("a.zip"))).isFalse();
    }

    @Test
    void aRestoreGivesBackEverything() {
        fill();
        Path archive = file("a.zip");
        BackupManifest m = crm().admin().backup(archive);
        assertThat(m.snapshotSequence()).isEqualTo(crm().changeLog().lastSequence());
        assertThat(m.formatVersion()).isEqualTo(BackupManifest.FORMAT_VERSION);
        assertThat(m.records()).isEqualTo(everyRecord(crm()).size());
        assertThat(m.part("records/widget.jsonl")).isPresent();
        assertThat(crm().admin().verifyBackup(archive)).isEqualTo(m);

        Crm target = newTarget();
        RestoreResult r = target.admin().restore(archive);
        assertThat(r.restoredSequence()).isEqualTo(m.snapshotSequence());
        assertThat(r.records()).isEqualTo(m.records());
        assertThat(r.undoneEntries()).isZero();
        assertSameData(target, crm());
    }

    @Test
    void aRestoredCrmGoesOn() {
        fill();
        Path archive = file("a.zip");
        crm().admin().backup(archive);
        Crm target = newTarget();
        target.admin().restore(archive);
        long last = target.changeLog().lastSequence();
        Record w = target.as(org.crmkit.security.Principal.SYSTEM).records(WIDGET)
                .query(Query.all().limit(1)).items().get(0);
        Record updated = target.as(org.crmkit.security.Principal.SYSTEM).records(WIDGET).update(w,
                Map.of("notes", "after the restore"));
        assertThat(updated.version()).isEqualTo(w.version() + 1);
        Record created = target.as(org.crmkit.security.Principal.SYSTEM).records("company")
                .create(Map.of("name", "Umbrella"));
        assertThat(changeLog(target).subList((int) last, (int) last + 2))
                .extracting(e -> e.sequence() + " " + e.recordId())
                .containsExactly((last + 1) + " " + w.id(), (last + 2) + " " + created.id());
        assertThat(target.as(org.crmkit.security.Principal.SYSTEM).search("Acme")).isNotEmpty();
        assertThatThrownBy(() -> target.as(org.crmkit.security.Principal.SYSTEM).records(WIDGET)
                .create(values("name", "dup", "code", "W-1"))).as("unique values hold after a restore")
                .matches(error("code", org.crmkit.error.FieldErrorCode.NOT_UNIQUE));
    }

    @Test
    void aBackupWhileWritersGoOnIsOneSnapshot() throws Exception {
        defineWidget();
        for (int i = 0; i < 200; i++) {
            records(WIDGET).create(values("name", "w" + i, "qty", (long) i));
        }
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(20);
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < 5_000 && !done.get(); i++) {
                    Record r = records(WIDGET).create(values("name", "c" + i, "qty", (long) i));
                    records(WIDGET).update(r, Map.of("qty", (long) i + 1));
                    started.countDown();
                }
            } catch (Throwable t) {
                failed.set(t);
            } finally {
                while (started.getCount() > 0) {
                    started.countDown();
                }
            }
        });
        writer.start();
        started.await();
        Path archive = file("a.zip");
        BackupManifest m = crm().admin().backup(archive);
        done.set(true);
        writer.join();
        assertThat(failed.get()).isNull();

        Map<String, byte[]> parts = BackupArchives.read(archive);
        Map<String, Long> lastVersion = new HashMap<>();
        List<JsonNode> log = BackupArchives.lines(BackupArchives.part(parts, "changelog.jsonl"));
        assertThat(log).hasSize((int) m.snapshotSequence());
        for (int i = 0; i < log.size(); i++) {
            assertThat(log.get(i).get("seq").asLong()).isEqualTo(i + 1);
            lastVersion.put(log.get(i).get("id").asText(), log.get(i).get("version").asLong());
        }
        Map<String, Long> versions = new HashMap<>();
        for (JsonNode r : BackupArchives.lines(BackupArchives.part(parts, "records/widget.jsonl"))) {
            versions.put(r.get("id").asText(), r.get("version").asLong());
        }
        assertThat(versions).hasSizeGreaterThanOrEqualTo(220).isEqualTo(lastVersion);
    }

    // ---- refusals ----------------------------------------------------------------------------------------------

    private Path tampered(Path archive, String name, java.util.function.UnaryOperator<Map<String, byte[]>> change) {
        return BackupArchives.write(file(name), change.apply(new LinkedHashMap<>(BackupArchives.read(archive))));
    }

    private void assertRefused(Crm target, List<String> fresh, Path archive, Problem problem, String... words) {
        assertThatThrownBy(() -> target.admin().restore(archive)).isInstanceOfSatisfying(BackupException.class, e -> {
            assertThat(e.problem()).as(e.getMessage()).isEqualTo(problem);
            assertThat(e.getMessage()).contains(words);
        });
        assertEmpty(target, fresh);
    }

    @Test
    void hostileAndBrokenArchivesAreRefusedAndChangeNothing() throws IOException {
        fill();
        Path good = file("good.zip");
        crm().admin().backup(good);
        Crm target = newTarget();
        List<String> fresh = schemaText(target);

        assertRefused(target, fresh, tampered(good, "traversal.zip", e -> {
            e.put("../../evil.jsonl", "{}\n".getBytes(StandardCharsets.UTF_8));
            return e;
        }), Problem.UNSAFE_ENTRY, "../../evil.jsonl");
        assertRefused(target, fresh, tampered(good, "unknown.zip", e -> {
            e.put("records/Widget.jsonl", new byte[0]);
            return e;
        }), Problem.UNSAFE_ENTRY, "records/Widget.jsonl");
        assertRefused(target, fresh, tampered(good, "unlisted.zip", e -> {
            e.put("records/gadget.jsonl", new byte[0]);
            return e;
        }), Problem.UNSAFE_ENTRY, "does not list");
        Path duplicate = tampered(good, "duplicate.zip", e -> {
            e.put("imports.jsonX", BackupArchives.part(e, "imports.jsonl"));
            return e;
        });
        byte[] bytes = Files.readAllBytes(duplicate);
        String latin = new String(bytes, StandardCharsets.ISO_8859_1).replace("imports.jsonX", "imports.jsonl");
        Files.write(duplicate, latin.getBytes(StandardCharsets.ISO_8859_1));
        assertRefused(target, fresh, duplicate, Problem.UNSAFE_ENTRY, "twice");

        assertRefused(target, fresh, tampered(good, "bomb.zip", e -> {
            e.put("changelog.jsonl", " ".repeat(20_000_000).getBytes(StandardCharsets.US_ASCII));
            return e;
        }), Problem.TOO_LARGE, "changelog.jsonl");
        assertRefused(target, fresh, tampered(good, "bomb2.zip", e -> BackupArchives.resealed(putting(e,
                "changelog.jsonl", " ".repeat(20_000_000).getBytes(StandardCharsets.US_ASCII)))),
                Problem.TOO_LARGE, "expand");

        Path truncated = file("truncated.zip");
        byte[] all = Files.readAllBytes(good);
        Files.write(truncated, java.util.Arrays.copyOf(all, all.length / 2));
        assertRefused(target, fresh, truncated, Problem.NOT_AN_ARCHIVE, "zip");

        assertRefused(target, fresh, tampered(good, "flipped.zip", e -> {
            byte[] part = BackupArchives.part(e, "records/widget.jsonl").clone();
            part[part.length / 2] ^= 0x01;
            return putting(e, "records/widget.jsonl", part);
        }), Problem.CORRUPT, "records/widget.jsonl");
        Path flipped = file("flipped-raw.zip");
        byte[] raw = Files.readAllBytes(good);
        raw[raw.length / 3] ^= 0x10;
        Files.write(flipped, raw);
        assertThatThrownBy(() -> target.admin().restore(flipped)).isInstanceOf(BackupException.class);
        assertEmpty(target, fresh);

        assertRefused(target, fresh, tampered(good, "newer.zip", e -> {
            ObjectNode m = (ObjectNode) BackupArchives.tree(BackupArchives.part(e, "manifest.json"));
            m.put("formatVersion", BackupManifest.FORMAT_VERSION + 1);
            return putting(e, "manifest.json", BackupArchives.bytes(m));
        }), Problem.UNSUPPORTED_VERSION, "newer CRMKit");
        assertRefused(target, fresh, tampered(good, "no-manifest.zip", e -> {
            e.remove("manifest.json");
            return e;
        }), Problem.UNSAFE_ENTRY, "manifest.json");

        String longName = "n" + "o".repeat(60) + "tes";
        assertRefused(target, fresh, tampered(good, "cannot-hold.zip", e -> {
            ObjectNode schema = (ObjectNode) BackupArchives.tree(BackupArchives.part(e, "schema/current.json"));
            for (JsonNode t : schema.get("objectTypes")) {
                if (t.get("name").asText().equals(WIDGET)) {
                    for (JsonNode f : t.get("fields")) {
                        if (f.get("name").asText().equals("notes")) {
                            ((ObjectNode) f).put("name", longName);
                        }
                    }
                }
            }
            byte[] line = (schema + "\n").getBytes(StandardCharsets.UTF_8);
            return BackupArchives.resealed(putting(e, "schema/current.json", line));
        }), Problem.TARGET_CANNOT_HOLD, "widget." + longName);

        assertThatThrownBy(() -> crm().admin().restore(good)).isInstanceOfSatisfying(BackupException.class,
                e -> assertThat(e.problem()).isEqualTo(Problem.TARGET_NOT_EMPTY));
        assertThatThrownBy(() -> crm().admin().backup(good)).isInstanceOfSatisfying(BackupException.class,
                e -> assertThat(e.problem()).isEqualTo(Problem.IO));

        target.admin().restore(good);
        assertSameData(target, crm());
    }

    @Test
    void aRestoreThatFailsWhileWritingEmptiesTheTargetAgain() {
        fill();
        Path good = file("good.zip");
        crm().admin().backup(good);
        Crm target = newTarget();
        List<String> fresh = schemaText(target);
        // the same company twice: the archive checks out, the target refuses the second insert half-way
        Path twice = tampered(good, "twice.zip", e -> {
            byte[] companies = BackupArchives.part(e, "records/company.jsonl");
            String first = new String(companies, StandardCharsets.UTF_8).split("\n")[0] + "\n";
            byte[] doubled = (new String(companies, StandardCharsets.UTF_8) + first).getBytes(StandardCharsets.UTF_8);
            return BackupArchives.resealed(putting(e, "records/company.jsonl", doubled));
        });
        assertThat(target.admin().verifyBackup(twice).records()).isEqualTo(everyRecord(crm()).size() + 1);
        assertRefused(target, fresh, twice, Problem.RESTORE_FAILED, "emptied again");
        target.admin().restore(good);
        assertSameData(target, crm());
    }

    /** Texts that a bulk load ({@code COPY} on PostgreSQL, batches elsewhere) must escape or pass exactly. */
    static final List<String> AWKWARD = List.of("tab\there", "back\\slash\\", "\\N", "\\.", "a\\tb\\n",
            "line\nbreak\r\nand a CR\rend", "a\n\n\tb", "\u00fcn\u00efc\u00f6d\u00e9 \u2713 \u65e5\u672c \ud83d\ude00",
            "in  side", "'quote\" ,comma;semi|pipe", "");

    @Test
    void awkwardTextSurvivesABulkImportABackupAndARestore() {
        crm().schema().addObjectType(ObjectType.custom("memo", "Memo", Field.text("title").required(true),
                Field.longText("body"), Field.text("tag")));
        // more rows than one multi-row INSERT of the change log takes, so that every table is bulk-loaded
        List<Map<String, ?>> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String text = AWKWARD.get(i % AWKWARD.size());
            rows.add(values("title", "m" + i + "\t\\" + i, "body", i % 5 == 4 ? null : text, "tag",
                    text.indexOf('\n') < 0 && text.indexOf('\r') < 0 ? text : "x"));
        }
        String importId = "imp\\\u00f6rt \u2713 \\N";
        var imported = records("memo").importRecords(importId, rows);
        assertThat(imported.errors()).isEmpty();
        assertThat(imported.created()).isEqualTo(40);
        for (int i = 0; i < 40; i++) {
            Record r = records("memo").get(java.util.Objects.requireNonNull(imported.createdIds().get(i + 1L)));
            String text = AWKWARD.get(i % AWKWARD.size());
            assertThat(r.getString("title")).isEqualTo("m" + i + "\t\\" + i);
            assertThat(r.getString("body")).isEqualTo(i % 5 == 4 || text.isEmpty() ? null : text);
        }
        // the ledger holds the awkward import id: a re-run skips every row
        assertThat(records("memo").importRecords(importId, rows).skipped()).isEqualTo(40);

        Path archive = file("awkward.zip");
        crm().admin().backup(archive);
        Crm target = newTarget();
        target.admin().restore(archive);
        assertSameData(target, crm());
        assertThat(target.as(org.crmkit.security.Principal.SYSTEM).records("memo").importRecords(importId, rows)
                .skipped()).isEqualTo(40);
    }

    @Test
    void anArchiveWithAControlCharacterInATextIsRefusedOnEveryStorage() {
        fill();
        Path good = file("good.zip");
        crm().admin().backup(good);
        Crm target = newTarget();
        List<String> fresh = schemaText(target);
        Path nul = tampered(good, "nul.zip", e -> {
            List<JsonNode> lines = BackupArchives.lines(BackupArchives.part(e, "records/widget.jsonl"));
            StringBuilder part = new StringBuilder();
            for (int i = 0; i < lines.size(); i++) {
                ObjectNode n = (ObjectNode) lines.get(i);
                if (i == 0) {
                    for (JsonNode change : n.get("values")) {
                        if (change.get("f").asText().equals("name")) {
                            ((ObjectNode) change).put("n", "w\u0000nul");
                        }
                    }
                }
                part.append(new String(BackupArchives.bytes(n), StandardCharsets.UTF_8)).append('\n');
            }
            return BackupArchives.resealed(putting(e, "records/widget.jsonl",
                    part.toString().getBytes(StandardCharsets.UTF_8)));
        });
        assertRefused(target, fresh, nul, Problem.CORRUPT, "records/widget.jsonl", "line 1", "U+0000");
        target.admin().restore(good);
        assertSameData(target, crm());
    }

    /**
     * A records part is checked (not decoded) beside the change log's decoding; a fault in it is still found before
     * anything is written, and reported before a fault of a later part, as when the parts are read one after another.
     */
    @Test
    void aRecordsPartWithAnUnendedLineIsRefusedBeforeALaterPartsFault() {
        fill();
        Path good = file("good.zip");
        crm().admin().backup(good);
        Crm target = newTarget();
        List<String> fresh = schemaText(target);
        java.util.function.Function<Map<String, byte[]>, Map<String, byte[]>> unended = e -> {
            byte[] part = BackupArchives.part(e, "records/widget.jsonl");
            return putting(e, "records/widget.jsonl", java.util.Arrays.copyOf(part, part.length - 1));
        };
        assertRefused(target, fresh, tampered(good, "unended.zip", e -> BackupArchives.resealed(unended.apply(e))),
                Problem.CORRUPT, "records/widget.jsonl", "no end");
        assertRefused(target, fresh, tampered(good, "unended-and-bad-log.zip", e -> BackupArchives.resealed(
                putting(unended.apply(e), "changelog.jsonl", "{\"seq\":1}\n".getBytes(StandardCharsets.UTF_8)))),
                Problem.CORRUPT, "records/widget.jsonl", "no end");
        target.admin().restore(good);
        assertSameData(target, crm());
    }

    private static Map<String, byte[]> putting(Map<String, byte[]> entries, String name, byte[] bytes) {
        entries.put(name, bytes);
        return entries;
    }
}
