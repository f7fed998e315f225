package org.crmkit.storage.memory.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;
import org.crmkit.storage.spi.DocumentStore;
import org.crmkit.storage.spi.StorageTransaction;
import org.jspecify.annotations.Nullable;

/** The versioned documents of the in-memory storage; saves apply with their transaction's commit. */
public final class MemoryDocuments implements DocumentStore {
    private final MemoryStore store;
    /** kind -> name -> every version, oldest first. */
    private final Map<String, Map<String, List<StoredDocument>>> documents = new HashMap<>();
    private final Map<String, Long> revisions = new HashMap<>();

    public MemoryDocuments(MemoryStore store) {
        this.store = store;
    }

    private synchronized long versionOf(String kind, String name) {
        List<StoredDocument> versions = documents.getOrDefault(kind, Map.of()).get(name);
        return versions == null ? 0 : versions.get(versions.size() - 1).version();
    }

    private static CrmException conflict(String kind, String name, long expected, long actual) {
        return new CrmException(ErrorCode.CONFLICT, kind + " " + name + " is at version " + actual
                + ", not the expected version " + expected);
    }

    /** A save staged in a transaction. */
    private final class Save implements MemoryTransaction.CommitPart {
        final String kind;
        final String name;
        final long expected;
        final StoredDocument doc;

        Save(String kind, String name, long expected, StoredDocument doc) {
            this.kind = kind;
            this.name = name;
            this.expected = expected;
            this.doc = doc;
        }

        @Override
        public void check() {
            long actual = versionOf(kind, name);
            if (actual != expected) {
                throw conflict(kind, name, expected, actual);
            }
        }

        @Override
        public void apply() {
            synchronized (MemoryDocuments.this) {
                long revision = revisions.merge(kind, 1L, Long::sum);
                documents.computeIfAbsent(kind, k -> new TreeMap<>()).computeIfAbsent(name, n -> new ArrayList<>())
                        .add(new StoredDocument(kind, name, doc.version(), revision, doc.body(), doc.principalId(),
                                doc.at()));
            }
        }
    }

    @Override
    public StoredDocument save(StorageTransaction transaction, String kind, String name, long expectedVersion,
            @Nullable String body, String principalId, Instant at) {
        store.checkOpen();
        if (!(transaction.unwrap() instanceof MemoryTransaction tx)) {
            throw new IllegalArgumentException("not a transaction of the in-memory storage");
        }
        long actual = tx.parts(Save.class).stream().filter(s -> s.kind.equals(kind) && s.name.equals(name))
                .mapToLong(s -> s.doc.version()).max().orElse(versionOf(kind, name));
        if (actual != expectedVersion) {
            throw conflict(kind, name, expectedVersion, actual);
        }
        StoredDocument doc = new StoredDocument(kind, name, expectedVersion + 1, 0, body, principalId, at);
        tx.addCommitPart(new Save(kind, name, expectedVersion, doc));
        return doc;
    }

    /** Every version of every document, by kind then revision (for a backup, under the store's read lock). */
    synchronized List<StoredDocument> allVersions() {
        List<StoredDocument> out = new ArrayList<>();
        for (Map<String, List<StoredDocument>> byName : new TreeMap<>(documents).values()) {
            byName.values().forEach(out::addAll);
        }
        out.sort(java.util.Comparator.comparing(StoredDocument::kind).thenComparingLong(StoredDocument::revision));
        return out;
    }

    /** Forgets every document except those of the kinds kept, and their revisions (a restore). */
    synchronized void wipe(java.util.Set<String> keepKinds) {
        documents.keySet().retainAll(keepKinds);
        revisions.keySet().retainAll(keepKinds);
    }

    /** Adds versions as they were saved, in revision order per kind (a restore); the revisions follow the last. */
    synchronized void restore(List<StoredDocument> versions) {
        for (StoredDocument d : versions) {
            documents.computeIfAbsent(d.kind(), k -> new TreeMap<>()).computeIfAbsent(d.name(), n -> new ArrayList<>())
                    .add(d);
            revisions.merge(d.kind(), d.revision(), Math::max);
        }
    }

    /** How many versions each kind holds. */
    synchronized Map<String, Long> counts() {
        Map<String, Long> out = new HashMap<>();
        documents.forEach((kind, byName) -> out.put(kind, byName.values().stream().mapToLong(List::size).sum()));
        return out;
    }

    @Override
    public synchronized List<StoredDocument> list(String kind) {
        store.checkOpen();
        List<StoredDocument> out = new ArrayList<>();
        for (List<StoredDocument> versions : documents.getOrDefault(kind, Map.of()).values()) {
            StoredDocument last = versions.get(versions.size() - 1);
            if (last.body() != null) {
                out.add(last);
            }
        }
        return out;
    }

    @Override
    public synchronized Optional<StoredDocument> find(String kind, String name) {
        store.checkOpen();
        List<StoredDocument> versions = documents.getOrDefault(kind, Map.of()).get(name);
        return versions == null ? Optional.empty()
                : Optional.of(versions.get(versions.size() - 1)).filter(d -> d.body() != null);
    }

    @Override
    public synchronized List<StoredDocument> history(String kind, String name) {
        store.checkOpen();
        return List.copyOf(documents.getOrDefault(kind, Map.of()).getOrDefault(name, List.of()));
    }

    @Override
    public synchronized long revision(String kind) {
        store.checkOpen();
        return revisions.getOrDefault(kind, 0L);
    }
}
