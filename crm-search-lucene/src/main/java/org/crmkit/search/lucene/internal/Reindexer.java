package org.crmkit.search.lucene.internal;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.lucene.index.Term;
import org.crmkit.query.Filter;
import org.crmkit.query.Query.Deleted;
import org.crmkit.query.Sort;
import org.crmkit.record.Record;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.search.RebuildProgress;
import org.crmkit.search.spi.SearchContext;
import org.crmkit.search.support.SearchFields;
import org.crmkit.storage.spi.ResolvedFilter;
import org.crmkit.storage.spi.StorageQuery;
import org.crmkit.storage.spi.StorageTransaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes whole types from the storage rather than from the change log: every searched type when the index is
 * rebuilt (reporting progress), and the types whose mapping a schema change altered. Runs on the indexer thread.
 */
final class Reindexer {
    private static final Logger LOG = LoggerFactory.getLogger(Reindexer.class);

    private final SearchContext context;
    private final IndexStore store;
    private final IndexProgress progress;
    private final DocumentMapper mapper;
    private final RecordLoader loader;
    private final int batchSize;

    Reindexer(SearchContext context, IndexStore store, IndexProgress progress, DocumentMapper mapper,
            LuceneSettings settings) {
        this.context = context;
        this.store = store;
        this.progress = progress;
        this.mapper = mapper;
        this.loader = new RecordLoader(settings.batchSize());
        this.batchSize = settings.batchSize();
    }

    /**
     * Deletes every document, indexes each searched type in id order, commits with the change-log position read
     * before the scan (the indexer goes on from there) and makes the result searchable.
     */
    void rebuild(Consumer<RebuildProgress> listener) throws IOException {
        long from = context.storage().lastSequence();
        String fromFingerprint = LogPosition.fingerprintAt(context.storage(), from);
        SchemaSnapshot schema = context.schema();
        store.writer().deleteAll();
        List<ObjectType> types = schema.types().stream().filter(t -> SearchFields.isSearched(schema, t)).toList();
        for (ObjectType t : types) {
            indexType(schema, t, listener, true);
        }
        store.rebuilt(from, fromFingerprint, IndexMappings.fingerprints(schema));
        store.commit();
        store.refresh();
        progress.mapped(schema.version());
        listener.accept(new RebuildProgress(types.isEmpty() ? "" : types.get(types.size() - 1).name(), 0, 0, true));
    }

    /** Indexes anew the types whose mapping (searchable or indexed fields, names) changed since they were indexed. */
    void remapChangedTypes() throws IOException {
        SchemaSnapshot schema = context.schema();
        if (schema.version() == progress.mappedSchemaVersion()) {
            return;
        }
        Map<String, String> now = IndexMappings.fingerprints(schema);
        Map<String, String> held = store.mappings();
        Set<String> changed = new LinkedHashSet<>();
        for (String type : held.keySet()) {
            if (!now.containsKey(type)) {
                store.writer().deleteDocuments(new Term(IndexFields.TYPE, type));
                changed.add(type);
            }
        }
        for (Map.Entry<String, String> e : now.entrySet()) {
            if (!e.getValue().equals(held.get(e.getKey()))) {
                changed.add(e.getKey());
                indexType(schema, schema.findObjectType(e.getKey()).orElseThrow(), p -> {}, false);
            }
        }
        store.remapped(now, !changed.isEmpty());
        if (!changed.isEmpty()) {
            LOG.info("search index: indexed anew after a schema change: {}", changed);
            store.refresh();
        }
        progress.mapped(schema.version());
    }

    /** A page of records read for (re-)indexing, with the records they reference. */
    private record Page(List<Record> records, Map<UUID, Record> referenced) {}

    private static final Page END = new Page(List.of(), Map.of());

    /**
     * Writes the documents of every live record of one type (after deleting its old ones unless {@code fresh}).
     * A reader thread fetches the next pages from the storage while this thread analyses and writes the current
     * one, so the database's time and Lucene's overlap. The reader never outlives this call: if writing fails,
     * it is told to stop after its current page, its last pages are taken and dropped, and it is waited for.
     */
    private void indexType(SchemaSnapshot schema, ObjectType type, Consumer<RebuildProgress> listener, boolean fresh)
            throws IOException {
        if (!fresh) {
            store.writer().deleteDocuments(new Term(IndexFields.TYPE, type.name()));
        }
        BlockingQueue<Page> pages = new ArrayBlockingQueue<>(4);
        AtomicLong total = new AtomicLong();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        AtomicBoolean abandoned = new AtomicBoolean();
        Thread reader = Thread.ofPlatform().daemon().name("crmkit-search-reader").start(
                () -> readPages(schema, type, pages, total, failure, abandoned));
        long done = 0;
        boolean finished = false;
        try {
            while (true) {
                Page page = pages.take();
                if (page == END) {
                    break;
                }
                for (Record r : page.records()) {
                    // after deleteAll or the type's delete, nothing to replace: add
                    store.writer().addDocument(mapper.document(schema, type, r, page.referenced()));
                }
                done += page.records().size();
                listener.accept(new RebuildProgress(type.name(), done, Math.max(total.get(), done), false));
            }
            finished = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while indexing " + type.name(), e);
        } finally {
            if (!finished) {
                abandoned.set(true);
                drainUntilEnd(pages, reader);
            }
            joinUninterruptibly(reader);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /** The reader thread's loop: pages of live records in id order, then {@link #END}. */
    private void readPages(SchemaSnapshot schema, ObjectType type, BlockingQueue<Page> pages, AtomicLong total,
            AtomicReference<RuntimeException> failure, AtomicBoolean abandoned) {
        try (StorageTransaction tx = context.storage().begin()) {
            total.set(tx.count(type.name(), ResolvedFilter.ALL, Deleted.EXCLUDE));
            List<Object> after = null;
            while (!store.isClosing() && !abandoned.get()) {
                List<Record> page = tx.query(type.name(), StorageQuery.resolve(schema, type.name(), Filter.ALL,
                        List.of(Sort.asc("id")), batchSize, after, Deleted.EXCLUDE));
                if (page.isEmpty()) {
                    break;
                }
                pages.put(new Page(page, loader.referenced(schema, tx, type, page)));
                if (page.size() < batchSize) {
                    break;
                }
                after = List.of(page.get(page.size() - 1).id());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure.set(e);
        } finally {
            try {
                pages.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Takes the pages an abandoned reader still hands over, so that it reaches its end instead of blocking. */
    private static void drainUntilEnd(BlockingQueue<Page> pages, Thread reader) {
        try {
            while (pages.take() != END) {
                // dropped: indexing this type failed
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reader.interrupt();
        }
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
