package org.crmkit.storage.memory.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.storage.spi.ChangeLogSeals;
import org.crmkit.storage.spi.ChangeSeal;
import org.crmkit.storage.spi.ChangeSealing;
import org.crmkit.storage.spi.StorageTransaction;
import org.jspecify.annotations.Nullable;

/**
 * The change-log seals of the in-memory storage, guarded by its store's lock: written with their entries at commit,
 * kept when retention prunes an entry, marked with the transaction that asks.
 */
final class MemorySeals implements ChangeLogSeals {
    private final MemoryStore store;
    private final NavigableMap<Long, ChangeSeal> seals = new TreeMap<>();

    MemorySeals(MemoryStore store) {
        this.store = store;
    }

    @Override
    public List<ChangeSeal> read(long afterSequence, int limit) {
        store.lock.readLock().lock();
        try {
            return seals.tailMap(afterSequence, false).values().stream().limit(limit).toList();
        } finally {
            store.lock.readLock().unlock();
        }
    }

    @Override
    public void mark(StorageTransaction transaction, Map<Long, String> marks) {
        Map<Long, String> copy = Map.copyOf(marks);
        if (!(transaction.unwrap() instanceof MemoryTransaction tx)) {
            throw new IllegalArgumentException("not a transaction of the in-memory storage");
        }
        tx.addCommitPart(new MemoryTransaction.CommitPart() {
            @Override
            public void check() {}

            @Override
            public void apply() {
                copy.forEach((seq, mark) -> seals.computeIfPresent(seq,
                        (k, s) -> new ChangeSeal(k, s.digest(), s.link(), mark)));
            }
        });
    }

    /**
     * Seals committed entries (their sequences just assigned) whose sealing is not null, each linked to the seal of
     * the sequence before; caller holds the write lock.
     */
    void seal(List<ChangeLogEntry> committed, List<@Nullable ChangeSealing> sealings) {
        for (int i = 0; i < committed.size(); i++) {
            ChangeSealing sealing = sealings.get(i);
            if (sealing != null) {
                long seq = committed.get(i).sequence();
                ChangeSeal previous = seals.get(seq - 1);
                seals.put(seq, new ChangeSeal(seq, sealing.digest(),
                        sealing.link(previous == null ? "" : previous.link(), seq), null));
            }
        }
    }

    /** Every seal, in order, for a backup; caller holds the read lock. */
    List<ChangeSeal> all() {
        return new ArrayList<>(seals.values());
    }

    /** Adds seals as given (a restore); caller holds the write lock. */
    void restore(List<ChangeSeal> given) {
        given.forEach(s -> seals.put(s.sequence(), s));
    }

    /** Forgets every seal (a restore's start); caller holds the write lock. */
    void clear() {
        seals.clear();
    }
}
