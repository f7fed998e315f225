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
 * The report summaries of the in-memory storage. Writes are staged in their transaction and applied at its commit;
 * {@link #lock} is a {@link RecordLocks} lock on a key derived from the summary's name, held until the transaction
 * ends, as {@code SELECT ... FOR UPDATE} on the summary's header row is on SQL.
 */
public final class MemorySummaries implements SummaryStore {
    private final MemoryStore store;
    /** summary -> header, rows. */
    private final Map<String, Summary> summaries = new HashMap<>();

    private record Summary(String header, Map<String, String> rows) {}

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

        @Override
        public void check() {}

        @Override
        public void apply() {
            synchronized (MemorySummaries.this) {
                applyTo(summaries);
            }
        }

        void applyTo(Map<String, Summary> target) {
            if (drop) {
                target.remove(summary);
                return;
            }
            if (resetTo != null) {
                target.put(summary, new Summary(resetTo, new TreeMap<>()));
            }
            Summary s = target.get(summary);
            if (s == null) {
                return;
            }
            Map<String, String> next = new TreeMap<>(s.rows());
            rows.forEach((k, v) -> {
                if (v == null) {
                    next.remove(k);
                } else {
                    next.put(k, v);
                }
            });
            target.put(summary, new Summary(header == null ? s.header() : header, next));
        }
    }

    private MemoryTransaction tx(StorageTransaction transaction) {
        store.checkOpen();
        if (!(transaction instanceof MemoryTransaction tx)) {
            throw new IllegalArgumentException("not a transaction of the in-memory storage");
        }
        return tx;
    }

    /** The summary as {@code tx} sees it: committed, then its own staged changes. */
    private @Nullable Summary seen(MemoryTransaction tx, String summary) {
        Map<String, Summary> view = new HashMap<>();
        synchronized (this) {
            Summary committed = summaries.get(summary);
            if (committed != null) {
                view.put(summary, committed);
            }
        }
        for (Staged s : tx.parts(Staged.class)) {
            if (s.summary.equals(summary)) {
                s.applyTo(view);
            }
        }
        return view.get(summary);
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
        Summary s = seen(tx, summary);
        return s == null ? Optional.empty() : Optional.of(s.header());
    }

    @Override
    public Map<String, String> rows(StorageTransaction transaction, String summary, Collection<String> keys) {
        Summary s = seen(tx(transaction), summary);
        Map<String, String> out = new HashMap<>();
        if (s != null) {
            for (String k : keys) {
                String v = s.rows().get(k);
                if (v != null) {
                    out.put(k, v);
                }
            }
        }
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
        return s == null ? Optional.empty() : Optional.of(new Stored(s.header(), s.rows()));
    }
}
