package org.crmkit.storage.memory.internal;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.crmkit.storage.spi.StorageTransaction;
import org.crmkit.storage.spi.SummaryStore;
import org.jspecify.annotations.Nullable;

/**
 * The summaries of the in-memory storage. Writes are staged in their transaction and applied at its commit;
 * {@link #lock} is a {@link RecordLocks} lock on a key derived from the summary's name, held until the transaction
 * ends, as {@code SELECT ... FOR UPDATE} on the summary's header row is on SQL. As on SQL, rows may be written to a
 * summary that has no header (the engine keeps roll-up totals so); {@link #read} gives only summaries with one.
 * Reads and commits touch only the rows they name, never a copy of the whole summary.
 */
public final class MemorySummaries implements SummaryStore {
    private final MemoryStore store;
    /** summary -> header (null until one is written), rows; guarded by {@code this}. */
    private final Map<String, Summary> summaries = new HashMap<>();

    private static final class Summary {
        @Nullable
        String header;
        final Map<String, String> rows = new TreeMap<>();
    }

    public MemorySummaries(MemoryStore store) {
        this.store = store;
    }

    /** A change of one summary staged in a transaction: a reset, a drop, a header or row writes. */
    private final class Staged implements MemoryTransaction.CommitPart {
        final String summary;
        final @Nullable String resetTo;
        final boolean drop;
        final @Nullable String header;
        final Map<String, @Nullable String> rows;

        Staged(String summary, @Nullable String resetTo, boolean drop, @Nullable String header,
                Map<String, @Nullable String> rows) {
            this.summary = summary;
            this.resetTo = resetTo;
            this.drop = drop;
            this.header = header;
            this.rows = new LinkedHashMap<>(rows);
        }

        /** Whether this change empties the summary's rows (a reset or a drop). */
        boolean clearsRows() {
            return drop || resetTo != null;
        }

        @Override
        public void check() {}

        @Override
        public void apply() {
            synchronized (MemorySummaries.this) {
                if (drop) {
                    summaries.remove(summary);
                    return;
                }
                Summary s = summaries.computeIfAbsent(summary, k -> new Summary());
                if (resetTo != null) {
                    s.rows.clear();
                    s.header = resetTo;
                }
                if (header != null && s.header != null) {
                    s.header = header; // as an UPDATE of the header row: nothing without one
                }
                rows.forEach((k, v) -> {
                    if (v == null) {
                        s.rows.remove(k);
                    } else {
                        s.rows.put(k, v);
                    }
                });
                if (s.header == null && s.rows.isEmpty()) {
                    summaries.remove(summary);
                }
            }
        }
    }

    private MemoryTransaction tx(StorageTransaction transaction) {
        store.checkOpen();
        if (!(transaction.unwrap() instanceof MemoryTransaction tx)) {
            throw new IllegalArgumentException("not a transaction of the in-memory storage");
        }
        return tx;
    }

    private List<Staged> staged(MemoryTransaction tx, String summary) {
        return tx.parts(Staged.class).stream().filter(s -> s.summary.equals(summary)).toList();
    }

    /** The header as {@code tx} sees it: committed, then its own staged changes. */
    private @Nullable String header(MemoryTransaction tx, String summary) {
        String header;
        synchronized (this) {
            Summary committed = summaries.get(summary);
            header = committed == null ? null : committed.header;
        }
        for (Staged s : staged(tx, summary)) {
            if (s.drop) {
                header = null;
            } else if (s.resetTo != null) {
                header = s.resetTo;
            } else if (s.header != null && header != null) {
                header = s.header;
            }
        }
        return header;
    }

    @Override
    public void reset(StorageTransaction transaction, String summary, String header) {
        tx(transaction).addCommitPart(new Staged(summary, header, false, null, Map.of()));
    }

    @Override
    public Optional<String> lock(StorageTransaction transaction, String summary) {
        MemoryTransaction tx = tx(transaction);
        UUID key = UUID.nameUUIDFromBytes(("summary:" + summary).getBytes(StandardCharsets.UTF_8));
        store.recordLocks.lock(tx, List.of(key));
        return Optional.ofNullable(header(tx, summary));
    }

    @Override
    public Map<String, String> rows(StorageTransaction transaction, String summary, Collection<String> keys) {
        MemoryTransaction tx = tx(transaction);
        Map<String, @Nullable String> seen = new HashMap<>();
        synchronized (this) {
            Summary committed = summaries.get(summary);
            if (committed != null) {
                for (String k : keys) {
                    seen.put(k, committed.rows.get(k));
                }
            }
        }
        for (Staged s : staged(tx, summary)) {
            if (s.clearsRows()) {
                seen.clear();
            }
            for (String k : keys) {
                if (s.rows.containsKey(k)) {
                    seen.put(k, s.rows.get(k));
                }
            }
        }
        Map<String, String> out = new HashMap<>();
        seen.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }

    @Override
    public void write(StorageTransaction transaction, String summary, Map<String, @Nullable String> rows) {
        tx(transaction).addCommitPart(new Staged(summary, null, false, null, rows));
    }

    @Override
    public void writeHeader(StorageTransaction transaction, String summary, String header) {
        tx(transaction).addCommitPart(new Staged(summary, null, false, header, Map.of()));
    }

    @Override
    public void drop(StorageTransaction transaction, String summary) {
        tx(transaction).addCommitPart(new Staged(summary, null, true, null, Map.of()));
    }

    @Override
    public synchronized Optional<Stored> read(String summary) {
        store.checkOpen();
        Summary s = summaries.get(summary);
        return s == null || s.header == null ? Optional.empty() : Optional.of(new Stored(s.header, s.rows));
    }
}
