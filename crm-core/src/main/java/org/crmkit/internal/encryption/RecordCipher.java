package org.crmkit.internal.encryption;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.support.EncryptedText;
import org.jspecify.annotations.Nullable;

/**
 * The field codec of the encryption seam: turns the values of encrypted fields in records and change-log entries
 * into ciphertext on their way to the storage and back into plaintext on their way up, by the current schema's
 * {@code encrypted} flags. A field that is also unique or indexed gets deterministic ciphertext.
 */
public final class RecordCipher {
    /** The field types that may be encrypted: values kept as text. */
    public static final java.util.Set<FieldType> ENCRYPTABLE = java.util.Collections.unmodifiableSet(
            java.util.EnumSet.of(FieldType.TEXT, FieldType.LONG_TEXT, FieldType.EMAIL, FieldType.PHONE,
                    FieldType.URL));

    private final FieldCipher cipher;
    private final Supplier<SchemaSnapshot> schema;

    public RecordCipher(FieldCipher cipher, Supplier<SchemaSnapshot> schema) {
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        this.schema = Objects.requireNonNull(schema, "schema");
    }

    public FieldCipher cipher() {
        return cipher;
    }

    /** Whether a field's values are encrypted deterministically. */
    public static boolean deterministic(Field f) {
        return f.unique() || f.indexed();
    }

    /** The encrypted fields of a type by name (empty for a type that has none or is unknown). */
    public Map<String, Field> encryptedFields(String type) {
        ObjectType t = schema.get().findObjectType(type).orElse(null);
        if (t == null) {
            return Map.of();
        }
        Map<String, Field> out = new HashMap<>();
        for (Field f : t.fields()) {
            if (f.encrypted() && ENCRYPTABLE.contains(f.type())) {
                out.put(f.name(), f);
            }
        }
        return out;
    }

    public Record encrypt(Record r) {
        return map(r, true);
    }

    public Record decrypt(Record r) {
        return map(r, false);
    }

    /**
     * {@code record} encrypted for an update from {@code before} (plaintext), whose stored form is
     * {@code storedBefore}: a value that did not change keeps its stored ciphertext when that is of the kind the
     * field asks for, and only the other values are encrypted. The storage compares the two and writes only the
     * changed columns (randomised ciphertexts of one value differ each time, so encrypting every value again made
     * every encrypted column look changed).
     */
    public Record encryptForUpdate(Record record, Record before, Record storedBefore) {
        Map<String, Field> fields = encryptedFields(record.type());
        if (fields.isEmpty()) {
            return record;
        }
        Map<String, Object> values = null;
        for (Map.Entry<String, Field> e : fields.entrySet()) {
            String name = e.getKey();
            if (!(record.values().get(name) instanceof String s)) {
                continue;
            }
            Object stored = storedBefore.values().get(name);
            boolean deterministic = deterministic(e.getValue());
            String mapped = s.equals(before.values().get(name)) && stored instanceof String kept
                    && kept.startsWith(deterministic ? EncryptedText.DETERMINISTIC : EncryptedText.RANDOMISED)
                            ? kept : encryptValue(record.type(), e.getValue(), record.id(), s);
            if (values == null) {
                values = new HashMap<>(record.values());
            }
            values.put(name, mapped);
        }
        return values == null ? record : withValues(record, values);
    }

    private static Record withValues(Record r, Map<String, Object> values) {
        return new Record(r.id(), r.type(), r.version(), r.owner(), r.team(), r.createdAt(), r.createdBy(),
                r.updatedAt(), r.updatedBy(), r.deletedAt(), values);
    }

    public List<Record> decrypt(List<Record> records) {
        List<Record> out = new ArrayList<>(records.size());
        for (Record r : records) {
            out.add(decrypt(r));
        }
        return out;
    }

    private Record map(Record r, boolean encrypt) {
        Map<String, Field> fields = encryptedFields(r.type());
        if (fields.isEmpty()) {
            return r;
        }
        Map<String, Object> values = null;
        for (Map.Entry<String, Field> e : fields.entrySet()) {
            Object v = r.values().get(e.getKey());
            if (v instanceof String s) {
                String mapped = encrypt ? encryptValue(r.type(), e.getValue(), r.id(), s)
                        : cipher.decrypt(r.type(), e.getKey(), r.id(), s);
                if (!mapped.equals(s)) {
                    if (values == null) {
                        values = new HashMap<>(r.values());
                    }
                    values.put(e.getKey(), mapped);
                }
            }
        }
        return values == null ? r : withValues(r, values);
    }

    String encryptValue(String type, Field f, UUID id, String plaintext) {
        return cipher.encrypt(type, f.name(), id, plaintext, deterministic(f));
    }

    public ChangeLogEntry encrypt(ChangeLogEntry e) {
        return map(e, true);
    }

    /**
     * {@code e} encrypted, a randomised value taking the ciphertext of one of {@code known} (forms of the entry's
     * record) that holds the same plaintext in the same field rather than being encrypted again.
     */
    ChangeLogEntry encrypt(ChangeLogEntry e, List<StoredForm> known) {
        if (known.isEmpty()) {
            return encrypt(e);
        }
        List<FieldChange> changes = changes(e.objectType(), e.recordId(), e.changes(), true, known);
        return changes == e.changes() ? e : new ChangeLogEntry(e.sequence(), e.at(), e.principalId(),
                e.objectType(), e.recordId(), e.operation(), e.version(), changes, e.transactionId());
    }

    public ChangeLogEntry decrypt(ChangeLogEntry e) {
        return map(e, false);
    }

    public List<ChangeLogEntry> decryptEntries(List<ChangeLogEntry> entries) {
        List<ChangeLogEntry> out = new ArrayList<>(entries.size());
        for (ChangeLogEntry e : entries) {
            out.add(decrypt(e));
        }
        return out;
    }

    private ChangeLogEntry map(ChangeLogEntry e, boolean encrypt) {
        List<FieldChange> changes = changes(e.objectType(), e.recordId(), e.changes(), encrypt);
        return changes == e.changes() ? e : new ChangeLogEntry(e.sequence(), e.at(), e.principalId(),
                e.objectType(), e.recordId(), e.operation(), e.version(), changes, e.transactionId());
    }

    /** The field changes of an entry of a record with encrypted fields encrypted or decrypted; the same list if none. */
    public List<FieldChange> changes(String type, UUID recordId, List<FieldChange> changes, boolean encrypt) {
        return changes(type, recordId, changes, encrypt, List.of());
    }

    private List<FieldChange> changes(String type, UUID recordId, List<FieldChange> changes, boolean encrypt,
            List<StoredForm> known) {
        Map<String, Field> fields = encryptedFields(type);
        if (fields.isEmpty()) {
            return changes;
        }
        List<FieldChange> out = null;
        for (int i = 0; i < changes.size(); i++) {
            FieldChange c = changes.get(i);
            Field f = fields.get(c.field());
            if (f == null) {
                continue;
            }
            FieldChange mapped = new FieldChange(c.field(), value(type, f, recordId, c.oldValue(), encrypt, known),
                    value(type, f, recordId, c.newValue(), encrypt, known));
            if (out == null) {
                out = new ArrayList<>(changes);
            }
            out.set(i, mapped);
        }
        return out == null ? changes : out;
    }

    private @Nullable Object value(String type, Field f, UUID id, @Nullable Object v, boolean encrypt,
            List<StoredForm> known) {
        if (!(v instanceof String s)) {
            return v;
        }
        if (encrypt) {
            for (StoredForm form : known) {
                String c = form.randomisedCiphertext(f.name(), s);
                if (c != null) {
                    return c;
                }
            }
        }
        // change-log values never need equality: always randomised, bound to their record
        return encrypt ? cipher.encrypt(type, f.name(), id, s, false) : cipher.decrypt(type, f.name(), id, s);
    }

    /** Calls {@code each} with every stored value of an encrypted field of a raw record and whether it is deterministic. */
    public void storedValues(Record raw, java.util.function.BiConsumer<String, Boolean> each) {
        encryptedFields(raw.type()).forEach((name, f) -> {
            if (raw.values().get(name) instanceof String s) {
                each.accept(s, deterministic(f));
            }
        });
    }

    /** Calls {@code each} with every stored value of an encrypted field in a raw change-log entry. */
    public void storedValues(ChangeLogEntry raw, java.util.function.BiConsumer<String, Boolean> each) {
        Map<String, Field> fields = encryptedFields(raw.objectType());
        for (FieldChange c : raw.changes()) {
            if (fields.containsKey(c.field())) {
                for (Object v : java.util.Arrays.asList(c.oldValue(), c.newValue())) {
                    if (v instanceof String s) {
                        each.accept(s, false);
                    }
                }
            }
        }
    }

    /** Whether a raw record or entry holds a value of an encrypted field not under the current primary key. */
    public boolean stale(Record raw) {
        boolean[] out = {false};
        storedValues(raw, (s, det) -> out[0] |= !cipher.current(s, det));
        return out[0];
    }

    public boolean stale(ChangeLogEntry raw) {
        boolean[] out = {false};
        storedValues(raw, (s, det) -> out[0] |= !cipher.current(s, det));
        return out[0];
    }
}
