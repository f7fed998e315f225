package org.crmkit.internal.encryption;

import com.google.crypto.tink.KeysetHandle;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.crmkit.error.ConfigurationException;
import org.crmkit.error.ConflictException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.keys.EncryptionAdmin;
import org.crmkit.keys.KeyProvider;
import org.crmkit.keys.KeyPurpose;
import org.crmkit.keys.KeyUsage;
import org.crmkit.keys.RotationJob;
import org.crmkit.keys.RotationProgress;
import org.crmkit.query.Filter;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.Record;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.spi.PrivacyStore;
import org.crmkit.storage.spi.ResolvedPaths;
import org.crmkit.storage.spi.Storage;
import org.crmkit.storage.spi.StorageQuery;
import org.crmkit.storage.spi.StorageTransaction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Key rotation ({@link EncryptionAdmin}): walks every type with encrypted fields in id order, {@value #CHUNK} records
 * per storage transaction below the encryption seam, and rewrites each record holding a value not under the current
 * primary key with the same version (a conditional write: a record written meanwhile fails the page, which is done
 * again one record at a time, each read again first); then the change log, {@value #CHUNK} entries at a time,
 * through the storage's {@link PrivacyStore}. Runs one job at a time on a thread of its own.
 */
public final class KeyRotation implements EncryptionAdmin, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRotation.class);
    static final int CHUNK = 200;
    /** Tries of one record written concurrently over and over before it is counted as left. */
    private static final int ATTEMPTS = 10;

    private final Storage raw;
    private final RecordCipher cipher;
    private final KeyProvider keys;
    private final Supplier<SchemaSnapshot> schema;
    private final BooleanSupplier closing;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "crmkit-key-rotation");
        t.setDaemon(true);
        return t;
    });
    private final List<Job> jobs = new java.util.concurrent.CopyOnWriteArrayList<>();

    public KeyRotation(Storage raw, RecordCipher cipher, KeyProvider keys, Supplier<SchemaSnapshot> schema,
            BooleanSupplier closing) {
        this.raw = raw;
        this.cipher = cipher;
        this.keys = keys;
        this.schema = schema;
        this.closing = closing;
    }

    @Override
    public RotationJob rotate() {
        Job job = new Job();
        jobs.removeIf(j -> j.result.isDone());
        jobs.add(job);
        try {
            thread.execute(job::run);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            jobs.remove(job);
            throw new org.crmkit.error.CrmException(org.crmkit.error.ErrorCode.CLOSED, "this Crm is closed");
        }
        return job;
    }

    @Override
    public KeyUsage keyUsage() {
        Map<KeyPurpose, Map<Integer, Long>> counts = new EnumMap<>(KeyPurpose.class);
        long[] plaintext = {0};
        java.util.function.BiConsumer<String, Boolean> count = (s, det) -> {
            OptionalInt id = FieldCipher.keyId(s);
            if (id.isPresent()) {
                counts.computeIfAbsent(FieldCipher.purposeOf(s), p -> new HashMap<>()).merge(id.getAsInt(), 1L,
                        Long::sum);
            } else if (!org.crmkit.storage.support.EncryptedText.isCiphertext(s)) {
                plaintext[0]++;
            }
        };
        for (String type : encryptedTypes()) {
            UUID after = null;
            while (true) {
                List<Record> page = page(type, after);
                if (page.isEmpty()) {
                    break;
                }
                page.forEach(r -> cipher.storedValues(r, count));
                after = page.get(page.size() - 1).id();
            }
        }
        long seq = 0;
        while (true) {
            List<ChangeLogEntry> entries = raw.readChangeLog(seq, CHUNK);
            if (entries.isEmpty()) {
                break;
            }
            entries.forEach(e -> cipher.storedValues(e, count));
            seq = entries.get(entries.size() - 1).sequence();
        }
        return new KeyUsage(counts, plaintext[0]);
    }

    @Override
    public KeysetHandle retire(KeyPurpose purpose, int keyId) {
        Objects.requireNonNull(purpose, "purpose");
        if (purpose == KeyPurpose.CHANGE_LOG_MAC) {
            throw problem(purpose, keyId, "only field-encryption keys are retired here");
        }
        KeysetHandle current = keys.keyset(purpose);
        int index = -1;
        for (int i = 0; i < current.size(); i++) {
            if (current.getAt(i).getId() == keyId) {
                index = i;
            }
        }
        if (index < 0) {
            throw problem(purpose, keyId, "the keyset has no such key");
        }
        if (current.getAt(index).isPrimary()) {
            throw problem(purpose, keyId, "it is the primary key; make another key primary first");
        }
        long uses = keyUsage().uses(purpose, keyId);
        if (uses > 0) {
            throw problem(purpose, keyId, uses + " stored values still use it; run rotate() and retire it then");
        }
        try {
            return KeysetHandle.newBuilder(current).deleteAt(index).build();
        } catch (GeneralSecurityException e) {
            throw problem(purpose, keyId, "Tink refused the keyset without it (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static ConfigurationException problem(KeyPurpose purpose, int keyId, String why) {
        return new ConfigurationException(List.of("keys: cannot retire " + purpose + " key " + keyId + ": " + why));
    }

    private List<String> encryptedTypes() {
        List<String> out = new ArrayList<>();
        for (ObjectType t : schema.get().objectTypes().values()) {
            if (!cipher.encryptedFields(t.name()).isEmpty()) {
                out.add(t.name());
            }
        }
        java.util.Collections.sort(out);
        return out;
    }

    /** The next page of raw records of a type after an id, deleted ones included. */
    private List<Record> page(String type, @Nullable UUID after) {
        List<Sort> byId = List.of(Sort.asc("id"));
        StorageQuery q = new StorageQuery(Filter.ALL, byId, CHUNK, after == null ? null
                : new ArrayList<>(List.of(after)), Query.Deleted.INCLUDE,
                ResolvedPaths.resolve(schema.get(), type, Filter.ALL, byId));
        try (StorageTransaction tx = raw.begin()) {
            List<Record> out = tx.query(type, q);
            tx.commit();
            return out;
        }
    }

    @Override
    public void close() {
        jobs.forEach(Job::cancel);
        thread.shutdownNow();
    }

    /** One rotation. */
    private final class Job implements RotationJob {
        private volatile RotationProgress progress = new RotationProgress(0, 0, 0, 0, 0, false);
        private final CompletableFuture<RotationProgress> result = new CompletableFuture<>();
        private volatile boolean cancelled;
        private long records;
        private long recordsRewritten;
        private long entries;
        private long entriesRewritten;
        private long left;

        @Override
        public RotationProgress progress() {
            return progress;
        }

        @Override
        public CompletionStage<RotationProgress> result() {
            return result.minimalCompletionStage();
        }

        @Override
        public boolean cancel() {
            cancelled = true;
            return !result.isDone();
        }

        void run() {
            try {
                for (String type : encryptedTypes()) {
                    records(type);
                }
                entries();
                RotationProgress last = report(true);
                result.complete(last);
            } catch (RuntimeException e) {
                report(true);
                if (!(e instanceof CancellationException)) {
                    LOG.warn("key rotation failed: {}", e.getClass().getName());
                }
                result.completeExceptionally(e);
            }
        }

        private RotationProgress report(boolean done) {
            progress = new RotationProgress(records, recordsRewritten, entries, entriesRewritten, left, done);
            return progress;
        }

        private void checkGoing() {
            if (cancelled || closing.getAsBoolean()) {
                throw new CancellationException("cancelled");
            }
        }

        private void records(String type) {
            UUID after = null;
            while (true) {
                checkGoing();
                List<Record> page = page(type, after);
                if (page.isEmpty()) {
                    return;
                }
                List<Record> stale = page.stream().filter(cipher::stale).toList();
                if (!stale.isEmpty() && !rewriteAll(stale)) {
                    for (Record r : stale) {
                        rewriteOne(r.type(), r.id());
                    }
                } else {
                    recordsRewritten += stale.size();
                }
                records += page.size();
                after = page.get(page.size() - 1).id();
                report(false);
            }
        }

        /** Rewrites a page in one transaction; false when a record was written meanwhile (nothing written then). */
        private boolean rewriteAll(List<Record> stale) {
            try (StorageTransaction tx = raw.begin()) {
                for (Record r : stale) {
                    tx.update(cipher.encrypt(cipher.decrypt(r)), r.version());
                }
                tx.commit();
                return true;
            } catch (ConflictException e) {
                return false;
            }
        }

        /** Rewrites one record, read again first, until no concurrent write gets in between. */
        private void rewriteOne(String type, UUID id) {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                try (StorageTransaction tx = raw.begin()) {
                    Record r = tx.find(type, id).orElse(null);
                    if (r == null || !cipher.stale(r)) {
                        tx.commit();
                        return;
                    }
                    tx.update(cipher.encrypt(cipher.decrypt(r)), r.version());
                    tx.commit();
                    recordsRewritten++;
                    return;
                } catch (ConflictException | org.crmkit.error.NotFoundException e) {
                    // written or purged meanwhile: read it again
                }
            }
            left++;
        }

        private void entries() {
            PrivacyStore privacy = raw.extension(PrivacyStore.class).orElse(null);
            long seq = 0;
            while (true) {
                checkGoing();
                List<ChangeLogEntry> page = raw.readChangeLog(seq, CHUNK);
                if (page.isEmpty()) {
                    return;
                }
                Map<Long, List<FieldChange>> rewrites = new HashMap<>();
                for (ChangeLogEntry e : page) {
                    if (cipher.stale(e)) {
                        rewrites.put(e.sequence(), cipher.changes(e.objectType(), e.recordId(), cipher.changes(
                                e.objectType(), e.recordId(), e.changes(), false), true));
                    }
                }
                if (!rewrites.isEmpty() && privacy == null) {
                    left += rewrites.size();
                } else if (privacy != null && !rewrites.isEmpty()) {
                    try (StorageTransaction tx = raw.begin()) {
                        privacy.lock(tx);
                        privacy.rewriteChanges(tx, rewrites);
                        tx.commit();
                    }
                    entriesRewritten += rewrites.size();
                }
                entries += page.size();
                seq = page.get(page.size() - 1).sequence();
                report(false);
            }
        }
    }
}
