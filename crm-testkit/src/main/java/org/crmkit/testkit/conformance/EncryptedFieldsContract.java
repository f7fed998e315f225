package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.KeysetHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.crmkit.Crm;
import org.crmkit.CrmBuilder;
import org.crmkit.error.ConfigurationException;
import org.crmkit.error.DecryptionException;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.SchemaException;
import org.crmkit.error.ValidationException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.keys.KeyProvider;
import org.crmkit.keys.KeyProviders;
import org.crmkit.keys.KeyPurpose;
import org.crmkit.keys.KeyUsage;
import org.crmkit.keys.RotationProgress;
import org.crmkit.query.Aggregation;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.storage.spi.StorageTransaction;
import org.crmkit.storage.support.EncryptedText;
import org.junit.jupiter.api.Test;

/**
 * Field encryption (issue 16, items 1 and 2): the values of encrypted fields are stored only as ciphertext (records
 * and change log), read back as plaintext, answer {@code eq}, {@code ne}, {@code in} and {@code isNull} when
 * deterministic and keep unique indexes working, refuse every other query with a typed error naming the field, fail
 * with a typed error when a ciphertext is copied to another record, and are re-encrypted online by
 * {@code rotate()} under concurrent writes with nothing lost. The same answers on every storage.
 */
public abstract class EncryptedFieldsContract extends ConformanceContract {
    protected static final String VAULT = "vault";

    /** A key provider whose keysets a test can rotate. */
    protected static final class RotatingKeys implements KeyProvider {
        private final Map<KeyPurpose, KeysetHandle> keys = new ConcurrentHashMap<>();

        RotatingKeys() {
            for (KeyPurpose p : KeyPurpose.values()) {
                keys.put(p, KeyProviders.generate(p));
            }
        }

        @Override
        public KeysetHandle keyset(KeyPurpose purpose) {
            return java.util.Objects.requireNonNull(keys.get(purpose), "purpose");
        }

        /** Adds a new primary key to a purpose's keyset; returns its id. */
        int addPrimary(KeyPurpose purpose) throws Exception {
            KeysetHandle next = KeysetHandle.newBuilder(keyset(purpose))
                    .addEntry(KeysetHandle.generateEntryFromParameters(KeyProviders.parameters(purpose))
                            .withRandomId().makePrimary())
                    .build();
            keys.put(purpose, next);
            return next.getPrimary().getId();
        }

        void set(KeyPurpose purpose, KeysetHandle handle) {
            keys.put(purpose, handle);
        }
    }

    protected final RotatingKeys keys = new RotatingKeys();

    @Override
    protected CrmBuilder configure(CrmBuilder builder) {
        return builder.keys(keys);
    }

    /** A type with an encrypted field of every encryptable type, randomised and deterministic. */
    protected final void defineVault() {
        crm().schema().addObjectType(ObjectType.custom(VAULT, "Vault", Field.text("name").required(true),
                Field.text("note").encrypted(true), Field.email("email").encrypted(true).unique(true),
                Field.phone("phone").encrypted(true), Field.url("site").encrypted(true),
                Field.longText("bio").encrypted(true), Field.text("code").encrypted(true).indexed(true)));
    }

    private Record vault(String name, String email, String code) {
        return records(VAULT).create(values("name", name, "note", "note of " + name, "email", email, "phone",
                "+44 20 7946 0" + (100 + Math.abs(name.hashCode() % 800)), "site", "https://" + name
                        + ".example.org/x",
                "bio", "long story of " + name, "code", code));
    }

    private Record raw(UUID id) {
        try (StorageTransaction tx = storageUnderTest().begin()) {
            Record r = tx.find(VAULT, id).orElseThrow();
            tx.commit();
            return r;
        }
    }

    @Test
    void storedValuesAreCiphertextAndReadBackAsPlaintext() {
        defineVault();
        Record a = vault("alpha", "alpha@example.org", "A-1");
        Record read = records(VAULT).get(a.id());
        assertThat(read.values()).containsEntry("note", "note of alpha").containsEntry("email", "alpha@example.org")
                .containsEntry("site", "https://alpha.example.org/x").containsEntry("bio", "long story of alpha")
                .containsEntry("code", "A-1");
        Record raw = raw(a.id());
        assertThat(raw.getString("name")).isEqualTo("alpha");
        for (String f : List.of("note", "email", "phone", "site", "bio", "code")) {
            String stored = raw.getString(f);
            assertThat(stored).as(f).isNotNull().isNotEqualTo(read.get(f));
            assertThat(EncryptedText.isCiphertext(stored)).as(f).isTrue();
            assertThat(stored).as(f).doesNotContain("alpha");
        }
        assertThat(raw.getString("note")).startsWith(EncryptedText.RANDOMISED);
        assertThat(raw.getString("email")).startsWith(EncryptedText.DETERMINISTIC);
        assertThat(raw.getString("code")).startsWith(EncryptedText.DETERMINISTIC);

        records(VAULT).update(a.id(), 1, values("note", "second note"));
        List<ChangeLogEntry> stored = storageUnderTest().changesOf(VAULT, a.id());
        assertThat(stored).hasSize(2);
        for (ChangeLogEntry e : stored) {
            for (FieldChange c : e.changes()) {
                if (List.of("note", "email", "phone", "site", "bio", "code").contains(c.field())) {
                    for (Object v : java.util.Arrays.asList(c.oldValue(), c.newValue())) {
                        assertThat(v == null || EncryptedText.isCiphertext((String) v)).as(c.field() + " " + v)
                                .isTrue();
                    }
                }
            }
        }
        List<ChangeLogEntry> seen = crm().changeLog().read(0, 100).stream()
                .filter(e -> e.recordId().equals(a.id())).toList();
        assertThat(seen.get(1).change("note").orElseThrow()).isEqualTo(new FieldChange("note", "note of alpha",
                "second note"));
    }

    @Test
    void anUpdateKeepsTheStoredCiphertextsOfUnchangedValuesAndItsEntryReadsAsPlaintext() throws Exception {
        defineVault();
        Record a = vault("alpha", "alpha@example.org", "A-1");
        Record before = raw(a.id());
        List<ChangeLogEntry> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        AutoCloseable subscription = crm().changeLog().subscribe(told::addAll);
        try {
            records(VAULT).update(a.id(), 1, values("note", "second note", "name", "alpha two"));
        } finally {
            subscription.close();
        }
        Record after = raw(a.id());
        for (String f : List.of("email", "phone", "site", "bio", "code")) {
            assertThat(EncryptedText.isCiphertext(String.valueOf(after.getString(f)))).as(f).isTrue();
        }
        // a deterministic value that did not change keeps its ciphertext, or the unique index would see a new one
        assertThat(after.getString("email")).isEqualTo(before.getString("email"));
        assertThat(after.getString("note")).startsWith(EncryptedText.RANDOMISED)
                .isNotEqualTo(before.getString("note"));
        assertThat(records(VAULT).get(a.id()).values()).containsEntry("note", "second note")
                .containsEntry("phone", a.get("phone")).containsEntry("code", "A-1");

        FieldChange plain = new FieldChange("note", "note of alpha", "second note");
        assertThat(told).singleElement().satisfies(e -> assertThat(e.change("note")).contains(plain));
        ChangeLogEntry stored = storageUnderTest().changesOf(VAULT, a.id()).get(1);
        FieldChange storedNote = stored.change("note").orElseThrow();
        assertThat((String) storedNote.oldValue()).startsWith(EncryptedText.RANDOMISED);
        // the entry's new value is the ciphertext the row got, not a second encryption of it
        assertThat(storedNote.newValue()).isEqualTo(after.getString("note"));
        assertThat(crm().changeLog().read(0, 100)).filteredOn(e -> e.recordId().equals(a.id())).last()
                .satisfies(e -> assertThat(e.change("note")).contains(plain));

        // a second update in one transaction starts from what the first wrote
        system().inTransactionDo(s -> {
            s.records(VAULT).update(a.id(), 2, values("note", "third note"));
            s.records(VAULT).update(a.id(), 3, values("bio", "new story"));
        });
        Record third = raw(a.id());
        assertThat(third.getString("email")).isEqualTo(before.getString("email"));
        assertThat(records(VAULT).get(a.id()).values()).containsEntry("note", "third note")
                .containsEntry("bio", "new story").containsEntry("site", "https://alpha.example.org/x");
        List<ChangeLogEntry> entries = crm().changeLog().read(0, 100).stream()
                .filter(e -> e.recordId().equals(a.id())).toList();
        assertThat(entries.get(2).change("note")).contains(new FieldChange("note", "second note", "third note"));
        assertThat(entries.get(3).change("bio")).contains(new FieldChange("bio", "long story of alpha",
                "new story"));
    }

    @Test
    void deterministicFieldsAnswerEqualityAndKeepUniqueIndexes() {
        defineVault();
        Record a = vault("alpha", "alpha@example.org", "A");
        Record b = vault("beta", "beta@example.org", "B");
        Record c = records(VAULT).create(values("name", "gamma", "code", "A"));
        assertThat(ids(records(VAULT), Filters.where("email").eq("beta@example.org"))).containsExactly(b.id());
        assertThat(ids(records(VAULT), Filters.where("code").eq("A"))).containsExactlyInAnyOrder(a.id(), c.id());
        assertThat(ids(records(VAULT), Filters.where("code").ne("A"))).containsExactly(b.id());
        assertThat(ids(records(VAULT), Filters.where("email").in("alpha@example.org", "nobody@example.org")))
                .containsExactly(a.id());
        assertThat(ids(records(VAULT), Filters.where("email").isNull())).containsExactly(c.id());
        assertThat(ids(records(VAULT), Filters.where("note").isNotNull())).containsExactlyInAnyOrder(a.id(), b.id());
        assertThat(records(VAULT).count(Filters.where("code").eq("A"))).isEqualTo(2);
        assertThatThrownBy(() -> vault("delta", "alpha@example.org", "D")).isInstanceOfSatisfying(
                ValidationException.class, e -> assertThat(hasError(e, "email", FieldErrorCode.NOT_UNIQUE)).isTrue());
        assertThat(records(VAULT).count(Filter.ALL)).isEqualTo(3);
    }

    @Test
    void everyOtherQueryOnAnEncryptedFieldIsRefusedNamingIt() {
        defineVault();
        vault("alpha", "alpha@example.org", "A");
        assertRefused(Filters.where("note").eq("note of alpha"), "note");
        assertRefused(Filters.where("email").contains("alpha"), "email");
        assertRefused(Filters.where("code").gt("A"), "code");
        assertRefused(Filters.where("site").startsWith("https"), "site");
        assertThatThrownBy(() -> records(VAULT).query(Query.all().orderBy(Sort.asc("code"))))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(hasError(e, "code",
                        FieldErrorCode.UNSUPPORTED_OPERATION)).isTrue());
        if (supports(org.crmkit.storage.spi.StorageFeature.AGGREGATES)) {
            assertThatThrownBy(() -> records(VAULT).aggregate(Aggregation.groupBy("code"), Filter.ALL))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(hasError(e, "code",
                            FieldErrorCode.UNSUPPORTED_OPERATION)).isTrue());
        }
    }

    private void assertRefused(Filter filter, String field) {
        assertThatThrownBy(() -> ids(records(VAULT), filter)).isInstanceOfSatisfying(ValidationException.class,
                e -> {
                    assertThat(hasError(e, field, FieldErrorCode.UNSUPPORTED_OPERATION)).isTrue();
                    assertThat(e.getMessage()).contains(field).contains("encrypted").doesNotContain("alpha");
                });
    }

    @Test
    void aCiphertextCopiedToAnotherRecordFailsWithATypedError() {
        defineVault();
        Record a = vault("alpha", "alpha@example.org", "A");
        Record b = vault("beta", "beta@example.org", "B");
        Record rawA = raw(a.id());
        Record rawB = raw(b.id());
        Map<String, Object> forged = new java.util.HashMap<>(rawB.values());
        forged.put("note", rawA.getString("note"));
        try (StorageTransaction tx = storageUnderTest().begin()) {
            tx.update(new Record(b.id(), VAULT, rawB.version(), rawB.owner(), rawB.team(), rawB.createdAt(),
                    rawB.createdBy(), rawB.updatedAt(), rawB.updatedBy(), rawB.deletedAt(), forged), rawB.version());
            tx.commit();
        }
        assertThatThrownBy(() -> records(VAULT).get(b.id())).isInstanceOfSatisfying(DecryptionException.class, e -> {
            assertThat(e.objectType()).isEqualTo(VAULT);
            assertThat(e.field()).isEqualTo("note");
            assertThat(e.recordId()).isEqualTo(b.id());
            assertThat(e.getMessage()).contains("vault.note").contains(b.id().toString())
                    .doesNotContain("alpha").doesNotContain(rawA.getString("note"));
        });
        assertThat(records(VAULT).get(a.id()).getString("note")).isEqualTo("note of alpha");
    }

    @Test
    void definitionsEncryptionCannotServeAreRefused() {
        crm().schema().addObjectType(ObjectType.custom(VAULT, "Vault", Field.text("name")));
        assertThatThrownBy(() -> crm().schema().addField(VAULT, Field.integer("pin").encrypted(true)))
                .isInstanceOfSatisfying(SchemaException.class, e -> {
                    assertThat(e.field()).contains("pin");
                    assertThat(e.getMessage()).contains("INTEGER").contains("encrypted");
                });
        crm().schema().addField(VAULT, Field.text("secret").encrypted(true));
        assertThatThrownBy(() -> crm().schema().addField(VAULT, Field.formula("shout",
                org.crmkit.schema.FieldType.TEXT, "secret + '!'"))).isInstanceOfSatisfying(SchemaException.class,
                        e -> assertThat(e.getMessage()).contains("secret").contains("encrypted"));
        assertThat(crm().schema().objectType(VAULT).findField("shout")).isEmpty();
    }

    @Test
    void withoutAKeyProviderEncryptedFieldsAreRefused() {
        try (Crm plain = Crm.builder().storage(newStorage()).build()) {
            plain.schema().addObjectType(ObjectType.custom(VAULT, "Vault",
                    Field.text("name")));
            assertThatThrownBy(() -> plain.schema().addField(VAULT,
                    Field.email("email").encrypted(true))).isInstanceOfSatisfying(SchemaException.class, e -> {
                        assertThat(e.field()).contains("email");
                        assertThat(e.getMessage()).contains("key provider");
                    });
            assertThatThrownBy(() -> plain.admin().encryption()).isInstanceOf(ConfigurationException.class);
        }
    }

    @Test
    void aFieldEncryptedLaterIsEncryptedByRotate() {
        crm().schema().addObjectType(ObjectType.custom(VAULT, "Vault", Field.text("name"),
                Field.text("code").indexed(true)));
        Record a = records(VAULT).create(values("name", "alpha", "code", "A-1"));
        crm().schema().encryptField(VAULT, "code");
        Record b = records(VAULT).create(values("name", "beta", "code", "B-1"));
        assertThat(raw(a.id()).getString("code")).isEqualTo("A-1");
        assertThat(raw(b.id()).getString("code")).startsWith(EncryptedText.DETERMINISTIC);
        assertThat(records(VAULT).get(a.id()).getString("code")).isEqualTo("A-1");
        assertThat(crm().admin().encryption().keyUsage().plaintext()).isEqualTo(2); // the row and its log entry
        RotationProgress done = crm().admin().encryption().rotate().result().toCompletableFuture().join();
        assertThat(done.done()).isTrue();
        assertThat(done.recordsRewritten()).isEqualTo(1);
        assertThat(done.left()).isZero();
        assertThat(raw(a.id()).getString("code")).startsWith(EncryptedText.DETERMINISTIC);
        assertThat(records(VAULT).get(a.id()).version()).isEqualTo(1);
        assertThat(ids(records(VAULT), Filters.where("code").eq("A-1"))).containsExactly(a.id());
        boolean rewritesLog = storageUnderTest().extension(org.crmkit.storage.spi.PrivacyStore.class).isPresent();
        assertThat(done.entriesRewritten()).isEqualTo(rewritesLog ? 1 : 0);
        assertThat(crm().admin().encryption().keyUsage().plaintext()).isEqualTo(rewritesLog ? 0 : 1);
    }

    @Test
    void rotatingTwiceUnderConcurrentWritesLosesNothing() throws Exception {
        defineVault();
        int n = 40;
        Map<UUID, String> last = new ConcurrentHashMap<>();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Record r = vault("v" + i, "v" + i + "@example.org", "C" + i);
            ids.add(r.id());
            last.put(r.id(), "note of v" + i);
        }
        int oldAead = keys.keyset(KeyPurpose.FIELD_AEAD).getPrimary().getId();
        int oldDet = keys.keyset(KeyPurpose.FIELD_DETERMINISTIC).getPrimary().getId();
        for (int round = 1; round <= 2; round++) {
            int previous = keys.keyset(KeyPurpose.FIELD_AEAD).getPrimary().getId();
            int aead = keys.addPrimary(KeyPurpose.FIELD_AEAD);
            int det = keys.addPrimary(KeyPurpose.FIELD_DETERMINISTIC);
            assertThatThrownBy(() -> crm().admin().encryption().retire(KeyPurpose.FIELD_AEAD, previous))
                    .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.getMessage())
                            .contains(String.valueOf(previous)).contains("rotate"));
            AtomicBoolean stop = new AtomicBoolean();
            int r0 = round;
            Thread writer = new Thread(() -> {
                int k = 0;
                while (!stop.get()) {
                    UUID id = ids.get(k++ % n);
                    try {
                        Record cur = records(VAULT).get(id);
                        String note = "round " + r0 + " write " + k;
                        records(VAULT).update(id, cur.version(), values("note", note));
                        last.put(id, note);
                    } catch (org.crmkit.error.ConflictException e) {
                        // the rotation's page got in between: a conflict is fine, a lost update is not
                    }
                }
            });
            writer.start();
            RotationProgress p = crm().admin().encryption().rotate().result().toCompletableFuture().join();
            stop.set(true);
            writer.join();
            assertThat(p.done()).isTrue();
            assertThat(p.recordsScanned()).isGreaterThanOrEqualTo(n);
            assertThat(p.left()).isZero();
            for (UUID id : ids) {
                assertThat(records(VAULT).get(id).getString("note")).isEqualTo(last.get(id));
                Record raw = raw(id);
                assertThat(org.crmkit.internal.encryption.FieldCipher.keyId(String.valueOf(raw.getString("note")))
                        .getAsInt())
                        .isEqualTo(aead);
                assertThat(org.crmkit.internal.encryption.FieldCipher.keyId(String.valueOf(raw.getString("email")))
                        .getAsInt())
                        .isEqualTo(det);
            }
            KeyUsage usage = crm().admin().encryption().keyUsage();
            assertThat(usage.uses(KeyPurpose.FIELD_DETERMINISTIC, oldDet)).isZero();
            if (storageUnderTest().extension(org.crmkit.storage.spi.PrivacyStore.class).isPresent()) {
                assertThat(usage.uses(KeyPurpose.FIELD_AEAD, oldAead)).isZero();
                assertThat(usage.values().getOrDefault(KeyPurpose.FIELD_AEAD, Map.of()).keySet()).containsExactly(aead);
            }
            assertThat(ids(records(VAULT), Filters.where("email").eq("v7@example.org"))).containsExactly(ids.get(7));
        }
        if (storageUnderTest().extension(org.crmkit.storage.spi.PrivacyStore.class).isPresent()) {
            KeysetHandle without = crm().admin().encryption().retire(KeyPurpose.FIELD_AEAD, oldAead);
            assertThat(without.size()).isEqualTo(2);
            assertThat(crm().admin().encryption().keyUsage().uses(KeyPurpose.FIELD_AEAD, oldAead)).isZero();
            keys.set(KeyPurpose.FIELD_AEAD, without);
            assertThat(records(VAULT).get(ids.get(3)).getString("note")).isEqualTo(last.get(ids.get(3)));
        }
        int primary = keys.keyset(KeyPurpose.FIELD_AEAD).getPrimary().getId();
        assertThatThrownBy(() -> crm().admin().encryption().retire(KeyPurpose.FIELD_AEAD, primary))
                .isInstanceOf(ConfigurationException.class);
    }
}
