package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.crmkit.Crm;
import org.crmkit.CrmBuilder;
import org.crmkit.backup.RestorePoint;
import org.crmkit.error.ConfigurationException;
import org.crmkit.event.ChainVerification;
import org.crmkit.event.ChainVerification.Tampering;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.event.Operation;
import org.crmkit.keys.KeyPurpose;
import org.crmkit.privacy.Subject;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.storage.spi.ChangeLogSeals;
import org.crmkit.storage.spi.ChangeSealing;
import org.crmkit.storage.spi.PrivacyStore;
import org.crmkit.storage.spi.StorageTransaction;
import org.crmkit.testkit.SettableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tamper-evident change log (issue 16, item 3): with a {@code CHANGE_LOG_MAC} key every entry is sealed at
 * commit (a keyed digest and a hash chain), {@code changeLog().verify()} finds an untouched log intact whatever was
 * written, tells an erasure's and retention's work from tampering, and names the first entry changed, inserted or
 * deleted behind the engine's back (here through the storage SPI; {@code ChangeLogTamperTest} of
 * {@code crm-storage-jdbc} edits the tables with SQL). Seals travel in backups. The same answers on every storage.
 */
public abstract class ChangeLogChainContract extends BackupFixtures {
    private static final Instant T0 = Instant.parse("2026-01-05T09:00:00Z");

    private final EncryptedFieldsContract.RotatingKeys keys = new EncryptedFieldsContract.RotatingKeys();
    private final SettableClock clock = SettableClock.at(T0);

    @Override
    protected CrmBuilder configure(CrmBuilder builder) {
        return builder.keys(keys).clock(clock);
    }

    @BeforeEach
    void needsSeals() {
        org.junit.jupiter.api.Assumptions.assumeTrue(storageUnderTest().extension(ChangeLogSeals.class).isPresent(),
                "the storage keeps no seals");
    }

    private ChainVerification verify() {
        return crm().changeLog().verify();
    }

    private void assertIntact(ChainVerification v) {
        assertThat(v.problem()).as("first problem").isEmpty();
        assertThat(v.intact()).isTrue();
    }

    private void assertProblem(ChainVerification v, long sequence, Tampering kind) {
        assertThat(v.intact()).isFalse();
        assertThat(v.problem()).hasValueSatisfying(p -> {
            assertThat(p.sequence()).as("sequence named").isEqualTo(sequence);
            assertThat(p.kind()).isEqualTo(kind);
        });
    }

    private PrivacyStore privacyStore() {
        return storageUnderTest().extension(PrivacyStore.class).orElseThrow();
    }

    /** An entry for the SPI, as something that bypasses the engine would write it. */
    private static ChangeLogEntry foreignEntry(UUID recordId, String value) {
        return new ChangeLogEntry(0, T0, "intruder", "contact", recordId, Operation.UPDATE, 9,
                List.of(new FieldChange("last_name", null, value)), UUID.randomUUID());
    }

    private long appendBehindTheEngine(ChangeLogEntry entry, @org.jspecify.annotations.Nullable ChangeSealing sealing) {
        try (StorageTransaction tx = storageUnderTest().begin()) {
            if (sealing == null) {
                tx.appendChange(entry);
            } else {
                tx.appendChange(entry, sealing);
            }
            return tx.commit().get(0).sequence();
        }
    }

    private long appendBehindTheEngine(ChangeLogEntry entry) {
        return appendBehindTheEngine(entry, null);
    }

    // ---- an untouched log ---------------------------------------------------------------------------------

    @Test
    void anUntouchedLogVerifiesAfterEveryKindOfWrite() {
        fill(); // creates, updates, lists, money, a soft delete, a purge, a merge, an import, a saved report
        ChainVerification v = verify();
        assertIntact(v);
        long last = crm().changeLog().lastSequence();
        assertThat(v.checked()).isEqualTo(last);
        assertThat(v.lastSequence()).isEqualTo(last);
        assertThat(v.unsealed()).isZero();
        assertThat(v.head()).isNotBlank();
        records("contact").create(Map.of("last_name", "Later"));
        ChainVerification again = verify();
        assertIntact(again);
        assertThat(again.head()).isNotEqualTo(v.head());
    }

    @Test
    void concurrentWritersBuildOneChain() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 15; i++) {
                        Record c = records("contact").create(Map.of("last_name", "T" + thread + "-" + i));
                        records("contact").update(c, Map.of("first_name", "F" + i));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        ChainVerification v = verify();
        assertIntact(v);
        assertThat(v.checked()).isEqualTo(8 * 15 * 2);
    }

    @Test
    void encryptedFieldsAndTheirRotationKeepTheChain() throws Exception {
        crm().schema().addObjectType(ObjectType.custom("vault", "Vault", Field.text("name").required(true),
                Field.text("note").encrypted(true), Field.email("email").encrypted(true).unique(true)));
        Record r = records("vault").create(Map.of("name", "a", "note", "secret one", "email", "a@example.com"));
        records("vault").update(r, Map.of("note", "secret two"));
        keys.addPrimary(KeyPurpose.FIELD_AEAD);
        keys.addPrimary(KeyPurpose.FIELD_DETERMINISTIC);
        crm().admin().encryption().rotate().result().toCompletableFuture().join(); // rewrites the log's ciphertext
        assertIntact(verify());
        keys.addPrimary(KeyPurpose.CHANGE_LOG_MAC); // a new MAC key: new seals use it, old ones still verify
        records("vault").create(Map.of("name", "b", "note", "secret three"));
        assertIntact(verify());
    }

    @Test
    void withoutAChangeLogKeyVerifyRefusesWithATypedError() {
        try (Crm plain = Crm.builder().storage(newStorage()).build()) {
            plain.as(org.crmkit.security.Principal.SYSTEM).records("contact").create(Map.of("last_name", "A"));
            assertThatThrownBy(() -> plain.changeLog().verify()).isInstanceOfSatisfying(ConfigurationException.class,
                    e -> assertThat(e.getMessage()).contains("keys"));
        }
    }

    @Test
    void entriesFromBeforeSealingAreCountedAndTheChainStartsAfterThem() {
        appendBehindTheEngine(foreignEntry(UUID.randomUUID(), "before sealing 1"));
        appendBehindTheEngine(foreignEntry(UUID.randomUUID(), "before sealing 2"));
        records("contact").create(Map.of("last_name", "Sealed"));
        ChainVerification v = verify();
        assertIntact(v);
        assertThat(v.unsealed()).isEqualTo(2);
        assertThat(v.checked()).isEqualTo(3);
    }

    // ---- the engine's own changes ------------------------------------------------------------------------

    @Test
    void anErasureIsToldFromTampering() {
        Record c = records("contact").create(Map.of("last_name", "Lovelace", "email", "ada@example.com"));
        records("contact").update(c, Map.of("first_name", "Ada"));
        records("contact").create(Map.of("last_name", "Babbage", "description", "knows ada@example.com"));
        system().privacy().erase(Subject.email("ada@example.com"));
        ChainVerification v = verify();
        assertIntact(v);
        assertThat(v.redacted()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void retentionIsToldFromTampering() {
        records("contact").create(Map.of("last_name", "Old"));
        records("deal").create(Map.of("name", "Old deal"));
        records("contact").create(Map.of("last_name", "Last"));
        clock.advance(Duration.ofDays(40));
        system().privacy().retain("contact", Duration.ofDays(30));
        assertThat(system().privacy().prune().total()).isEqualTo(1);
        records("contact").create(Map.of("last_name", "Young"));
        ChainVerification v = verify();
        assertIntact(v);
        assertThat(v.pruned()).isEqualTo(1);
    }

    // ---- tampering through the SPI -----------------------------------------------------------------------

    @Test
    void anEntryRewrittenBehindTheEnginesBackIsNamedChanged() {
        records("contact").create(Map.of("last_name", "A"));
        Record b = records("contact").create(Map.of("last_name", "B"));
        records("contact").create(Map.of("last_name", "C"));
        long seq = crm().changeLog().read(0, 10).stream().filter(e -> e.recordId().equals(b.id())).findFirst()
                .orElseThrow().sequence();
        try (StorageTransaction tx = storageUnderTest().begin()) {
            privacyStore().rewriteChanges(tx, Map.of(seq, List.of(new FieldChange("last_name", null, "Forged"))));
            tx.commit();
        }
        assertProblem(verify(), seq, Tampering.CHANGED);
    }

    @Test
    void anEntryDeletedBehindTheEnginesBackIsNamedDeleted() {
        records("contact").create(Map.of("last_name", "A"));
        records("deal").create(Map.of("name", "B"));
        records("contact").create(Map.of("last_name", "C"));
        long seq;
        try (StorageTransaction tx = storageUnderTest().begin()) {
            List<Long> gone = privacyStore().pruneChanges(tx, "deal", T0.plusSeconds(1), 0, 3);
            tx.commit();
            seq = gone.get(0);
        }
        assertThat(seq).isEqualTo(2);
        assertProblem(verify(), 2, Tampering.DELETED);
    }

    @Test
    void anEntryAppendedWithoutASealIsNamedInserted() {
        records("contact").create(Map.of("last_name", "A"));
        long seq = appendBehindTheEngine(foreignEntry(UUID.randomUUID(), "no seal"));
        records("contact").create(Map.of("last_name", "C"));
        assertProblem(verify(), seq, Tampering.INSERTED);
    }

    @Test
    void anEntryWithAForgedSealIsNamedInserted() {
        records("contact").create(Map.of("last_name", "A"));
        long seq = appendBehindTheEngine(foreignEntry(UUID.randomUUID(), "forged"), new ChangeSealing() {
            @Override
            public String digest() {
                return "AQAAAAA" + "x".repeat(45);
            }

            @Override
            public String link(String previousLink, long sequence) {
                return previousLink.isEmpty() ? "AQAAAAA" : previousLink.substring(1) + "A";
            }
        });
        assertProblem(verify(), seq, Tampering.INSERTED);
    }

    // ---- backups -----------------------------------------------------------------------------------------

    @Test
    void aBackupCarriesTheSealsAndTheRestoredLogVerifiesAndGoesOn() {
        fill();
        records("contact").create(Map.of("last_name", "Lovelace", "email", "ada@example.com"));
        system().privacy().erase(Subject.email("ada@example.com"));
        clock.advance(Duration.ofDays(40));
        system().privacy().retain("deal", Duration.ofDays(30));
        system().privacy().prune();
        records("contact").create(Map.of("last_name", "Newest"));
        ChainVerification source = verify();
        assertIntact(source);
        java.nio.file.Path archive = file("sealed.zip");
        crm().admin().backup(archive);
        try (Crm target = Crm.builder().keys(keys).storage(newStorage()).build()) {
            target.admin().restore(archive);
            ChainVerification restored = target.changeLog().verify();
            assertIntact(restored);
            assertThat(restored.head()).isEqualTo(source.head());
            assertThat(restored.pruned()).isEqualTo(source.pruned()).isPositive();
            assertThat(restored.redacted()).isEqualTo(source.redacted()).isPositive();
            target.as(org.crmkit.security.Principal.SYSTEM).records("contact").create(Map.of("last_name", "After"));
            assertIntact(target.changeLog().verify());
        }
    }

    @Test
    void aPointInTimeRestoreKeepsTheSealsUpToItsPoint() {
        records("contact").create(Map.of("last_name", "A"));
        records("contact").create(Map.of("last_name", "B"));
        long point = crm().changeLog().lastSequence();
        records("contact").create(Map.of("last_name", "C"));
        java.nio.file.Path archive = file("pit.zip");
        crm().admin().backup(archive);
        try (Crm target = Crm.builder().keys(keys).storage(newStorage()).build()) {
            target.admin().restore(archive, RestorePoint.sequence(point));
            ChainVerification v = target.changeLog().verify();
            assertIntact(v);
            assertThat(v.lastSequence()).isEqualTo(point);
            target.as(org.crmkit.security.Principal.SYSTEM).records("contact").create(Map.of("last_name", "D"));
            assertIntact(target.changeLog().verify());
        }
    }

    @Test
    void anArchiveFromBeforeSealsRestoresWithItsEntriesUnsealed() {
        records("contact").create(Map.of("last_name", "A"));
        records("contact").create(Map.of("last_name", "B"));
        java.nio.file.Path archive = file("format2.zip");
        crm().admin().backup(archive);
        java.util.Map<String, byte[]> entries = new java.util.LinkedHashMap<>(BackupArchives.read(archive));
        assertThat(entries).containsKey("changelog-seals.jsonl");
        entries.remove("changelog-seals.jsonl");
        com.fasterxml.jackson.databind.node.ObjectNode m = (com.fasterxml.jackson.databind.node.ObjectNode) BackupArchives
                .tree(BackupArchives.part(entries, "manifest.json"));
        m.put("formatVersion", 1);
        entries.put("manifest.json", BackupArchives.bytes(m));
        java.nio.file.Path old = BackupArchives.write(file("format1.zip"), BackupArchives.resealed(entries));
        try (Crm target = Crm.builder().keys(keys).storage(newStorage()).build()) {
            target.admin().restore(old);
            target.as(org.crmkit.security.Principal.SYSTEM).records("contact").create(Map.of("last_name", "C"));
            ChainVerification v = target.changeLog().verify();
            assertIntact(v);
            assertThat(v.unsealed()).isEqualTo(2);
            assertThat(v.checked()).isEqualTo(3);
        }
    }
}
