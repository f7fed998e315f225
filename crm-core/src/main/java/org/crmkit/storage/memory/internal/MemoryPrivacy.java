package org.crmkit.storage.memory.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.storage.spi.PrivacyStore;
import org.crmkit.storage.spi.StorageTransaction;
import org.crmkit.storage.support.StorageJson;

/**
 * The privacy extension of the in-memory storage. Searches compare the texts with the entries' and jobs' stored JSON
 * (the encoding SQL storages keep), lower-cased; rewrites and deletions are staged in the transaction and applied at
 * its commit; the lock is a {@link RecordLocks} lock on a fixed key, held until the transaction ends.
 */
public final class MemoryPrivacy implements PrivacyStore {
    private static final UUID LOCK = UUID.nameUUIDFromBytes("crmkit:privacy".getBytes(StandardCharsets.UTF_8));

    private final MemoryStore store;
    private final MemoryJobQueue jobs;
    private final StorageJson json = new StorageJson();

    public MemoryPrivacy(MemoryStore store, MemoryJobQueue jobs) {
        this.store = store;
        this.jobs = jobs;
    }

    private static MemoryTransaction memory(StorageTransaction tx) {
        if (tx.unwrap() instanceof MemoryTransaction m) {
            return m;
        }
        throw new IllegalArgumentException("not a transaction of the in-memory storage: " + tx.getClass().getName());
    }

    /** Work applied with the transaction's commit, under the store's write lock. */
    private static void atCommit(StorageTransaction transaction, Runnable apply) {
        memory(transaction).addCommitPart(new MemoryTransaction.CommitPart() {
            @Override
            public void check() {}

            @Override
            public void apply() {
                apply.run();
            }
        });
    }

    private static Predicate<String> holdsOneOf(Collection<String> texts) {
        List<String> lower = texts.stream().map(t -> t.toLowerCase(Locale.ROOT)).toList();
        return s -> {
            String l = s.toLowerCase(Locale.ROOT);
            return lower.stream().anyMatch(l::contains);
        };
    }

    @Override
    public void lock(StorageTransaction transaction) {
        MemoryTransaction tx = memory(transaction);
        store.recordLocks.lock(tx, List.of(LOCK));
    }

    @Override
    public List<ChangeLogEntry> changesMentioning(Collection<String> texts, long afterSequence, int limit) {
        Predicate<String> holds = holdsOneOf(texts);
        List<ChangeLogEntry> out = new ArrayList<>();
        store.lock.readLock().lock();
        try {
            for (ChangeLogEntry e : store.logAfter(afterSequence)) {
                if (holds.test(json.writeChanges(e.changes()))) {
                    out.add(e);
                    if (out.size() == limit) {
                        break;
                    }
                }
            }
        } finally {
            store.lock.readLock().unlock();
        }
        return out;
    }

    @Override
    public void rewriteChanges(StorageTransaction transaction, Map<Long, List<FieldChange>> changes) {
        Map<Long, List<FieldChange>> copy = Map.copyOf(changes);
        atCommit(transaction, () -> copy.forEach(store::rewriteEntry));
    }

    @Override
    public List<Long> pruneChanges(StorageTransaction transaction, String objectType, Instant before,
            long afterSequence,
            long throughSequence) {
        List<Long> doomed = new ArrayList<>();
        store.lock.readLock().lock();
        try {
            for (ChangeLogEntry e : store.logAfter(afterSequence)) {
                if (e.sequence() > throughSequence) {
                    break;
                }
                if (e.objectType().equals(objectType) && e.at().isBefore(before)) {
                    doomed.add(e.sequence());
                }
            }
        } finally {
            store.lock.readLock().unlock();
        }
        atCommit(transaction, () -> doomed.forEach(store::deleteEntry));
        return List.copyOf(doomed);
    }

    @Override
    public List<JobText> jobsMentioning(Collection<String> texts) {
        return jobs.mentioning(holdsOneOf(texts));
    }

    @Override
    public void rewriteJobs(StorageTransaction transaction, List<JobText> texts) {
        jobs.rewrite(transaction, texts);
    }
}
