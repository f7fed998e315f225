package org.crmkit.search.lucene.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.crmkit.error.ConfigurationException;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;
import org.crmkit.error.StorageException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.event.Operation;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.crmkit.query.Query.Deleted;
import org.crmkit.query.Sort;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.search.Highlight;
import org.crmkit.search.Hit;
import org.crmkit.search.MatchKind;
import org.crmkit.search.RebuildProgress;
import org.crmkit.search.spi.SearchContext;
import org.crmkit.search.spi.SearchRequest;
import org.crmkit.search.spi.SearchResponse;
import org.crmkit.search.spi.TypeScope;
import org.crmkit.search.support.MatchHighlighter;
import org.crmkit.search.support.SearchFields;
import org.crmkit.storage.spi.Storage;
import org.crmkit.storage.spi.StorageQuery;
import org.crmkit.storage.spi.StorageTransaction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lucene index of one {@code Crm}, kept in step with the change log in the manner of Hibernate Search's outbox:
 * an indexer thread reads the log after the position the index has applied, reloads each changed record from the
 * storage and writes its document (or deletes it), makes the changes searchable at once (near-real-time reader)
 * and durable every {@code commitInterval} in a Lucene commit that records the position it covers. After a crash
 * the next start goes on from the last commit's position, so no change is missed; re-applying a change is
 * harmless, since documents are replaced by record id. A missing or corrupt index is rebuilt from the storage.
 */
public final class LuceneEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LuceneEngine.class);
    /** Bump when the analysis or the layout changes: every type is indexed anew. */
    static final String LAYOUT_VERSION = "5";
    private static final String SEQUENCE_KEY = "crmkit.sequence";
    /** The {@link Storage#identity()} of the storage the index was built from. */
    private static final String STORAGE_KEY = "crmkit.storage";
    /** The {@link LogPosition#fingerprint() fingerprint} of the change-log entry at the committed sequence. */
    private static final String FINGERPRINT_KEY = "crmkit.sequence.fingerprint";
    private static final String MAPPING_PREFIX = "crmkit.mapping.";
    private static final int MAX_REFERRERS = 10_000;

    private final LuceneSettings settings;
    private final Analysis analysis = new Analysis();
    private final DocumentMapper mapper = new DocumentMapper();
    private final QueryFactory queries = new QueryFactory(analysis, new Typos());
    private final MatchHighlighter highlighter = MatchHighlighter.words(analysis::primaryCode);
    private final ReentrantLock indexing = new ReentrantLock();
    private final Object progress = new Object();

    private @Nullable SearchContext context;
    private @Nullable Directory directory;
    private @Nullable IndexWriter writer;
    private @Nullable SearcherManager searchers;
    private @Nullable Thread indexer;
    private @Nullable AutoCloseable subscription;
    /** Change-log position every change up to which is in the writer (and searchable after the next refresh). */
    private volatile long applied = -1;
    /** The fingerprint of the change-log entry at {@link #applied}, committed with it. */
    private String appliedFingerprint = "";
    /** Change-log position every change up to which searches see (applied, then the searcher refreshed). */
    private volatile long searchable = -1;
    /** Mapping fingerprints of the indexed types as the index holds them. */
    private Map<String, String> mappings = new TreeMap<>();
    /** The schema version whose mapping the searchable documents follow. */
    private volatile long mappedSchemaVersion = -1;
    private boolean dirty;
    private long lastCommitNanos = System.nanoTime();
    private volatile boolean wakeUp;
    private volatile boolean rebuildRequested;
    private volatile boolean closed;

    public LuceneEngine(LuceneSettings settings) {
        this.settings = settings;
    }

    // ---- lifecycle ----------------------------------------------------------------------------------------

    /** Opens the index (rebuilding it if missing or corrupt happens on the indexer thread) and starts indexing. */
    public void start(SearchContext ctx) {
        this.context = ctx;
        open();
        subscription = ctx.changeLog().subscribe(changes -> signal());
        Thread t = new Thread(this::run, "crmkit-search-indexer");
        t.setDaemon(true);
        indexer = t;
        t.start();
    }

    private void open() {
        Path path = settings.directory();
        try {
            if (path == null) {
                directory = new ByteBuffersDirectory();
            } else {
                Files.createDirectories(path);
                directory = FSDirectory.open(path);
                Optional<Map<String, String>> committed = readCommit(directory, path);
                if (committed.isPresent()) {
                    Map<String, String> data = committed.get();
                    String seq = data.get(SEQUENCE_KEY);
                    applied = seq == null ? -1 : Long.parseLong(seq);
                    appliedFingerprint = data.getOrDefault(FINGERPRINT_KEY, "");
                    data.forEach((k, v) -> {
                        if (k.startsWith(MAPPING_PREFIX)) {
                            mappings.put(k.substring(MAPPING_PREFIX.length()), v);
                        }
                    });
                    Optional<String> foreign = applied < 0 ? Optional.empty()
                            : LogPosition.mismatch(context().storage(), data.get(STORAGE_KEY), applied,
                                    appliedFingerprint);
                    if (foreign.isPresent()) {
                        LOG.warn("search index at {} does not belong to this database ({}); rebuilding it from the "
                                + "storage", path, foreign.get());
                        applied = -1;
                        mappings.clear();
                    }
                }
            }
            IndexWriterConfig config = new IndexWriterConfig(analysis.indexAnalyzer())
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setRAMBufferSizeMB(settings.ramBufferMb())
                    .setCommitOnClose(false);
            writer = new IndexWriter(directory, config);
            if (applied < 0) {
                // what the folder holds (if anything) is not of this database: search none of it until rebuilt
                writer.deleteAll();
            }
            searchers = new SearcherManager(writer, null);
            searchable = applied;
        } catch (LockObtainFailedException e) {
            closeQuietly();
            throw new ConfigurationException(List.of("the search index at " + path + " is in use by another Crm "
                    + "or process (" + e.getMessage() + ")"));
        } catch (IOException e) {
            closeQuietly();
            throw new StorageException("cannot open the search index at " + path + ": " + e, e);
        } catch (NumberFormatException e) {
            closeQuietly();
            throw new StorageException("the search index at " + path + " holds an unreadable position: " + e, e);
        }
        if (applied < 0) {
            rebuildRequested = true;
        }
    }

    /**
     * The last commit's data of an existing index whose files all pass their checksums; empty when there is no
     * index, or when it is unreadable or corrupt, in which case its files are deleted so that it is rebuilt.
     */
    private static Optional<Map<String, String>> readCommit(Directory dir, Path path) throws IOException {
        try {
            if (!DirectoryReader.indexExists(dir)) {
                return Optional.empty();
            }
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                for (LeafReaderContext leaf : reader.leaves()) {
                    leaf.reader().checkIntegrity();
                }
                return Optional.of(new HashMap<>(reader.getIndexCommit().getUserData()));
            }
        } catch (CorruptIndexException | IndexFormatTooOldException | IndexFormatTooNewException | EOFException
                | java.nio.file.FileSystemException | IllegalArgumentException
                | IllegalStateException e) {
            LOG.warn("search index at {} is unreadable ({}); rebuilding it from the storage", path, e.toString());
            wipe(dir);
            return Optional.empty();
        }
    }

    private static void wipe(Directory dir) throws IOException {
        for (String file : dir.listAll()) {
            if (!file.equals(IndexWriter.WRITE_LOCK_NAME)) {
                dir.deleteFile(file);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        signal();
        Thread t = indexer;
        if (t != null) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                LOG.debug("unsubscribing failed", e);
            }
        }
        indexing.lock();
        try {
            if (writer != null && writer.isOpen() && dirty && applied >= 0) {
                commit();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("final commit of the search index failed; the next start catches up from the change log", e);
        } finally {
            indexing.unlock();
            closeQuietly();
        }
    }

    private void closeQuietly() {
        for (AutoCloseable c : new AutoCloseable[] {searchers, writer, directory}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.debug("closing {} failed", c, e);
                }
            }
        }
    }

    // ---- following the change log -------------------------------------------------------------------------

    private void signal() {
        wakeUp = true;
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    private void run() {
        long backoffMillis = 0;
        while (!closed) {
            try {
                indexing.lock();
                try {
                    if (closed) {
                        break;
                    }
                    if (rebuildRequested) {
                        rebuildLocked(p -> {});
                    }
                    remapChangedTypes();
                    catchUp();
                    if (dirty && System.nanoTime() - lastCommitNanos >= settings.commitInterval().toNanos()) {
                        commit();
                    }
                } finally {
                    indexing.unlock();
                }
                backoffMillis = 0;
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    break;
                }
                backoffMillis = Math.min(5_000, Math.max(100, backoffMillis * 2));
                LOG.warn("search indexing failed; retrying in {} ms: {}", backoffMillis, e.toString());
                sleep(backoffMillis);
            }
            waitForWork();
        }
    }

    private void waitForWork() {
        synchronized (progress) {
            if (!wakeUp && !closed) {
                try {
                    progress.wait(Math.max(1, settings.pollInterval().toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    closed = true;
                }
            }
            wakeUp = false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Applies every committed change after {@link #applied}, batch by batch, refreshing the searcher after each. */
    private void catchUp() throws IOException {
        Storage storage = context().storage();
        while (!closed) {
            List<ChangeLogEntry> entries = storage.readChangeLog(applied, settings.batchSize());
            if (entries.isEmpty()) {
                return;
            }
            apply(entries);
            ChangeLogEntry last = entries.get(entries.size() - 1);
            applied = last.sequence();
            appliedFingerprint = LogPosition.fingerprint(last);
            dirty = true;
            refreshed();
        }
    }

    /** Re-indexes each record the entries touched (once, in its current state) and the records naming it. */
    private void apply(List<ChangeLogEntry> entries) throws IOException {
        SchemaSnapshot schema = context().schema();
        Map<String, Set<UUID>> byType = new LinkedHashMap<>();
        Map<String, Set<UUID>> referrersOf = new LinkedHashMap<>();
        for (ChangeLogEntry e : entries) {
            byType.computeIfAbsent(e.objectType(), k -> new LinkedHashSet<>()).add(e.recordId());
            ObjectType type = schema.findObjectType(e.objectType()).orElse(null);
            if (type != null && namesChanged(type, e)) {
                referrersOf.computeIfAbsent(e.objectType(), k -> new LinkedHashSet<>()).add(e.recordId());
            }
        }
        try (StorageTransaction tx = context().storage().begin()) {
            for (Map.Entry<String, Set<UUID>> target : referrersOf.entrySet()) {
                for (Map.Entry<String, Set<UUID>> r : referrers(schema, tx, target.getKey(), target.getValue())
                        .entrySet()) {
                    byType.computeIfAbsent(r.getKey(), k -> new LinkedHashSet<>()).addAll(r.getValue());
                }
            }
            for (Map.Entry<String, Set<UUID>> e : byType.entrySet()) {
                ObjectType type = schema.findObjectType(e.getKey()).orElse(null);
                if (type == null || !SearchFields.isSearched(schema, type)) {
                    for (UUID id : e.getValue()) {
                        writer().deleteDocuments(new Term(IndexFields.ID, id.toString()));
                    }
                    continue;
                }
                Map<UUID, Record> found = load(tx, type.name(), e.getValue(), Deleted.INCLUDE);
                List<Record> live = found.values().stream().filter(r -> !r.isDeleted()).toList();
                Map<UUID, Record> referenced = referenced(schema, tx, type, live);
                for (UUID id : e.getValue()) {
                    Record r = found.get(id);
                    if (r == null || r.isDeleted()) {
                        writer().deleteDocuments(new Term(IndexFields.ID, id.toString()));
                    } else {
                        writer().updateDocument(new Term(IndexFields.ID, id.toString()),
                                mapper.document(schema, type, r, referenced));
                    }
                }
            }
        }
    }

    /**
     * Whether a change alters what records referencing this one index: its name, whether it is live, or its owner
     * or team (which decide whose scope it is in).
     */
    private static boolean namesChanged(ObjectType type, ChangeLogEntry e) {
        if (e.operation() != Operation.UPDATE) {
            return e.operation() != Operation.CREATE;
        }
        for (FieldChange c : e.changes()) {
            if (c.field().equals("owner") || c.field().equals("team")) {
                return true;
            }
            for (Field f : SearchFields.nameFields(type)) {
                if (c.field().equals(f.name())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The records of searched types whose searchable references point at these records, by type. */
    private static Map<String, Set<UUID>> referrers(SchemaSnapshot schema, StorageTransaction tx, String targetType,
            Set<UUID> targets) {
        Map<String, Set<UUID>> out = new LinkedHashMap<>();
        for (ObjectType type : schema.types()) {
            for (Field ref : SearchFields.searchableReferences(schema, type)) {
                if (!targetType.equals(ref.target())) {
                    continue;
                }
                List<Record> rows = tx.query(type.name(), new StorageQuery(Filters.where(ref.name())
                        .in(List.copyOf(targets)), List.of(Sort.asc("id")), MAX_REFERRERS, null, Deleted.EXCLUDE));
                if (rows.size() == MAX_REFERRERS) {
                    LOG.warn("more than {} {} records reference a renamed or reassigned {}; the rest keep its old "
                            + "name, owner and team until they change or the index is rebuilt", MAX_REFERRERS,
                            type.name(), targetType);
                }
                rows.forEach(r -> out.computeIfAbsent(type.name(), k -> new LinkedHashSet<>()).add(r.id()));
            }
        }
        return out;
    }

    /** Records of one type by id, in pages of the batch size. */
    private Map<UUID, Record> load(StorageTransaction tx, String type, Collection<UUID> ids, Deleted deleted) {
        Map<UUID, Record> out = new HashMap<>();
        List<UUID> all = List.copyOf(ids);
        for (int i = 0; i < all.size(); i += settings.batchSize()) {
            List<UUID> page = all.subList(i, Math.min(all.size(), i + settings.batchSize()));
            for (Record r : tx.query(type, new StorageQuery(Filters.where("id").in(page), List.of(Sort.asc("id")),
                    page.size(), null, deleted))) {
                out.put(r.id(), r);
            }
        }
        return out;
    }

    /** The live records the searchable references of these records point at. */
    private Map<UUID, Record> referenced(SchemaSnapshot schema, StorageTransaction tx, ObjectType type,
            List<Record> records) {
        Map<UUID, Record> titles = new HashMap<>();
        for (Field ref : SearchFields.searchableReferences(schema, type)) {
            ObjectType target = schema.findObjectType(ref.target()).orElseThrow();
            Set<UUID> ids = new LinkedHashSet<>();
            for (Record r : records) {
                if (r.get(ref.name()) instanceof UUID id && !titles.containsKey(id)) {
                    ids.add(id);
                }
            }
            if (!ids.isEmpty()) {
                titles.putAll(load(tx, target.name(), ids, Deleted.EXCLUDE));
            }
        }
        return titles;
    }

    /** Indexes anew the types whose mapping (searchable or indexed fields, names) changed since they were indexed. */
    private void remapChangedTypes() throws IOException {
        SchemaSnapshot schema = context().schema();
        if (schema.version() == mappedSchemaVersion) {
            return;
        }
        Map<String, String> now = fingerprints(schema);
        Set<String> changed = new LinkedHashSet<>();
        for (String type : mappings.keySet()) {
            if (!now.containsKey(type)) {
                writer().deleteDocuments(new Term(IndexFields.TYPE, type));
                changed.add(type);
            }
        }
        for (Map.Entry<String, String> e : now.entrySet()) {
            if (!e.getValue().equals(mappings.get(e.getKey()))) {
                changed.add(e.getKey());
                indexType(schema, schema.findObjectType(e.getKey()).orElseThrow(), p -> {}, false);
            }
        }
        mappings = new TreeMap<>(now);
        if (!changed.isEmpty()) {
            LOG.info("search index: indexed anew after a schema change: {}", changed);
            dirty = true;
            refreshed();
        }
        synchronized (progress) {
            mappedSchemaVersion = schema.version();
            progress.notifyAll();
        }
    }

    /**
     * The fingerprint of each searched type's mapping, kept in the commit data: the SHA-256 of its
     * {@linkplain #canonicalMappings canonical text}, so that two mappings are told apart unless that text is the
     * same. A fingerprint in any other form (an older index's) differs from every one of these: the type is
     * indexed anew.
     */
    static Map<String, String> fingerprints(SchemaSnapshot schema) {
        Map<String, String> out = new TreeMap<>();
        canonicalMappings(schema).forEach((type, text) -> out.put(type, sha256(text)));
        return out;
    }

    static String sha256(String text) {
        try {
            return "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e); // required by the JCA spec
        }
    }

    /** What decides each searched type's documents, as text; a change means its documents must be rebuilt. */
    static Map<String, String> canonicalMappings(SchemaSnapshot schema) {
        Map<String, String> out = new TreeMap<>();
        for (ObjectType t : schema.types()) {
            if (!SearchFields.isSearched(schema, t)) {
                continue;
            }
            StringBuilder sb = new StringBuilder(LAYOUT_VERSION);
            for (Field f : SearchFields.searchable(t)) {
                sb.append("|s:").append(f.name()).append(':').append(f.type()).append(':')
                        .append(SearchFields.role(t, f));
            }
            for (Field f : SearchFields.searchableReferences(schema, t)) {
                ObjectType target = schema.findObjectType(f.target()).orElseThrow();
                sb.append("|r:").append(f.name()).append(':').append(f.target()).append(':')
                        .append(SearchFields.nameFields(target).stream().map(Field::name).toList());
            }
            for (Field f : t.fields()) {
                if (f.indexed()) {
                    sb.append("|i:").append(f.name()).append(':').append(f.type()).append(':').append(f.scale());
                }
            }
            sb.append("|n:").append(SearchFields.nameFields(t).stream().map(Field::name).toList());
            out.put(t.name(), sb.toString());
        }
        return out;
    }

    private void commit() throws IOException {
        Map<String, String> data = new TreeMap<>();
        data.put(SEQUENCE_KEY, Long.toString(applied));
        data.put(FINGERPRINT_KEY, appliedFingerprint);
        data.put(STORAGE_KEY, context().storage().identity().toString());
        mappings.forEach((k, v) -> data.put(MAPPING_PREFIX + k, v));
        writer().setLiveCommitData(data.entrySet());
        writer().commit();
        dirty = false;
        lastCommitNanos = System.nanoTime();
    }

    // ---- rebuilding ---------------------------------------------------------------------------------------

    /** Rebuilds the whole index from the storage in the calling thread. */
    public void rebuild(Consumer<RebuildProgress> listener) {
        indexing.lock();
        try {
            rebuildLocked(listener);
        } catch (IOException e) {
            throw new UncheckedIOException("rebuilding the search index failed", e);
        } finally {
            indexing.unlock();
        }
        signal();
    }

    private void rebuildLocked(Consumer<RebuildProgress> listener) throws IOException {
        long from = context().storage().lastSequence();
        String fromFingerprint = LogPosition.fingerprintAt(context().storage(), from);
        SchemaSnapshot schema = context().schema();
        writer().deleteAll();
        List<ObjectType> types = schema.types().stream().filter(t -> SearchFields.isSearched(schema, t)).toList();
        for (ObjectType t : types) {
            indexType(schema, t, listener, true);
        }
        mappings = new TreeMap<>(fingerprints(schema));
        mappedSchemaVersion = schema.version();
        applied = from;
        appliedFingerprint = fromFingerprint;
        rebuildRequested = false;
        commit();
        refreshed();
        listener.accept(new RebuildProgress(types.isEmpty() ? "" : types.get(types.size() - 1).name(), 0, 0, true));
    }

    /** Makes what the writer holds searchable, then tells waiters how far that is. */
    private void refreshed() throws IOException {
        long upTo = applied;
        searchers().maybeRefreshBlocking();
        synchronized (progress) {
            searchable = upTo;
            progress.notifyAll();
        }
    }

    /** A page of records read for (re-)indexing, with the records they reference. */
    private record Page(List<Record> records, Map<UUID, Record> referenced) {}

    private static final Page END = new Page(List.of(), Map.of());

    /**
     * Writes the documents of every live record of one type (after deleting its old ones unless {@code fresh}).
     * A reader thread fetches the next pages from the storage while this thread analyses and writes the current
     * one, so the database's time and Lucene's overlap.
     */
    private void indexType(SchemaSnapshot schema, ObjectType type, Consumer<RebuildProgress> listener, boolean fresh)
            throws IOException {
        if (!fresh) {
            writer().deleteDocuments(new Term(IndexFields.TYPE, type.name()));
        }
        java.util.concurrent.BlockingQueue<Page> pages = new java.util.concurrent.ArrayBlockingQueue<>(4);
        java.util.concurrent.atomic.AtomicLong total = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicReference<RuntimeException> failure =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread reader = Thread.ofPlatform().daemon().name("crmkit-search-reader").start(() -> {
            try (StorageTransaction tx = context().storage().begin()) {
                total.set(tx.count(type.name(), Filter.ALL, Deleted.EXCLUDE));
                List<Object> after = null;
                while (!closed) {
                    List<Record> page = tx.query(type.name(), new StorageQuery(Filter.ALL, List.of(Sort.asc("id")),
                            settings.batchSize(), after, Deleted.EXCLUDE));
                    if (page.isEmpty()) {
                        break;
                    }
                    pages.put(new Page(page, referenced(schema, tx, type, page)));
                    if (page.size() < settings.batchSize()) {
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
        });
        long done = 0;
        try {
            while (true) {
                Page page = pages.take();
                if (page == END) {
                    break;
                }
                for (Record r : page.records()) {
                    // after deleteAll or the type's delete, nothing to replace: add
                    writer().addDocument(mapper.document(schema, type, r, page.referenced()));
                }
                done += page.records().size();
                listener.accept(new RebuildProgress(type.name(), done, Math.max(total.get(), done), false));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reader.interrupt();
            throw new IllegalStateException("interrupted while indexing " + type.name(), e);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    // ---- state --------------------------------------------------------------------------------------------

    public long appliedSequence() {
        return Math.max(0, searchable);
    }

    /** Waits until every change up to {@code sequence}, and the current schema, are searchable. */
    public boolean awaitSequence(long sequence, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long schemaVersion = context().schema().version();
        signal();
        synchronized (progress) {
            while ((searchable < sequence || mappedSchemaVersion < schemaVersion) && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    progress.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return searchable >= sequence && mappedSchemaVersion >= schemaVersion;
    }

    private SearchContext context() {
        SearchContext c = context;
        if (c == null) {
            throw new IllegalStateException("search engine not started");
        }
        return c;
    }

    private IndexWriter writer() {
        IndexWriter w = writer;
        if (w == null) {
            throw new IllegalStateException("search engine not started");
        }
        return w;
    }

    private SearcherManager searchers() {
        SearcherManager s = searchers;
        if (s == null || closed) {
            throw new CrmException(ErrorCode.CLOSED, "the search engine is closed");
        }
        return s;
    }

    // ---- searching ----------------------------------------------------------------------------------------

    public SearchResponse search(SearchRequest request) {
        SchemaSnapshot schema = context().schema();
        List<QueryFactory.Group> groups = queries.groups(schema, request);
        IndexSearcher searcher;
        try {
            searcher = searchers().acquire();
        } catch (IOException e) {
            throw new StorageException("cannot open the search index: " + e, e);
        }
        try {
            TopDocs top = run(searcher, groups, request, 0);
            if (top.totalHits.value() == 0 && request.terms().size() > 1) {
                top = run(searcher, groups, request, 1);
            }
            return new SearchResponse(hits(searcher, top, request), top.totalHits.value(),
                    top.totalHits.relation() == org.apache.lucene.search.TotalHits.Relation.EQUAL_TO);
        } catch (IOException e) {
            throw new StorageException("search in the Lucene index failed: " + e, e);
        } finally {
            try {
                searchers().release(searcher);
            } catch (IOException e) {
                LOG.debug("releasing a searcher failed", e);
            }
        }
    }

    private TopDocs run(IndexSearcher searcher, List<QueryFactory.Group> groups, SearchRequest request, int slack)
            throws IOException {
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        for (QueryFactory.Group g : groups) {
            BooleanQuery.Builder scopes = new BooleanQuery.Builder();
            for (TypeScope s : g.scopes()) {
                scopes.add(new BooleanQuery.Builder()
                        .add(new TermQuery(new Term(IndexFields.TYPE, s.type().name())), Occur.FILTER)
                        .add(new FilterQueries(s.type()).query(s.filter()), Occur.FILTER).build(), Occur.SHOULD);
            }
            any.add(new BooleanQuery.Builder().add(queries.text(g, request.terms(), slack), Occur.MUST)
                    .add(scopes.setMinimumNumberShouldMatch(1).build(), Occur.FILTER).build(), Occur.SHOULD);
        }
        Query query = new BooleanQuery.Builder().add(any.setMinimumNumberShouldMatch(1).build(), Occur.MUST)
                .add(Recency.query(), Occur.SHOULD).build();
        int wanted = request.offset() + request.limit();
        return searcher.search(query, new TopScoreDocCollectorManager(wanted, null,
                Math.max(org.crmkit.search.SearchResult.EXACT_TOTAL_UP_TO, wanted)));
    }

    /**
     * The page of hits, each made only of what the caller may see: the title of their visible name fields, the
     * highlights of their visible fields and of referenced records inside their scope, the match kind of those.
     */
    private List<Hit> hits(IndexSearcher searcher, TopDocs top, SearchRequest request) throws IOException {
        Map<String, TypeScope> scopes = new HashMap<>();
        request.scopes().forEach(s -> scopes.put(s.type().name(), s));
        StoredFields stored = searcher.storedFields();
        ScoreDoc[] docs = top.scoreDocs;
        List<Document> page = new ArrayList<>();
        for (int i = request.offset(); i < docs.length; i++) {
            page.add(stored.document(docs[i].doc));
        }
        Set<String> inScope = referencesInScope(searcher, scopes, page);
        List<Hit> out = new ArrayList<>();
        for (int i = 0; i < page.size(); i++) {
            Document d = page.get(i);
            TypeScope scope = scopes.get(d.get(IndexFields.TYPE));
            if (scope == null) {
                continue;
            }
            UUID id = UUID.fromString(d.get(IndexFields.ID));
            List<Highlight> highlights = highlights(scope, d, request, inScope);
            MatchKind kind = MatchHighlighter.strongest(highlights);
            out.add(new Hit(scope.type().name(), id, d.getField(IndexFields.VERSION).numericValue().longValue(),
                    scope.title(name -> d.get(IndexFields.name(name)), id), docs[request.offset() + i].score,
                    kind == null ? MatchKind.PHONETIC : kind, highlights));
        }
        return out;
    }

    /**
     * Of the page's documents, which scoped references point at a record inside the caller's scope, as
     * {@code id/reference}: one query per type and scoped reference, the same scope query the search ran.
     */
    private static Set<String> referencesInScope(IndexSearcher searcher, Map<String, TypeScope> scopes,
            List<Document> page) throws IOException {
        Set<String> out = new java.util.HashSet<>();
        for (TypeScope scope : scopes.values()) {
            List<org.apache.lucene.util.BytesRef> ids = page.stream()
                    .filter(d -> scope.type().name().equals(d.get(IndexFields.TYPE)))
                    .map(d -> new org.apache.lucene.util.BytesRef(d.get(IndexFields.ID))).toList();
            if (ids.isEmpty()) {
                continue;
            }
            for (TypeScope.Reference ref : scope.references()) {
                if (ref.unrestricted()) {
                    continue;
                }
                Query q = new BooleanQuery.Builder()
                        .add(new org.apache.lucene.search.TermInSetQuery(IndexFields.ID, ids), Occur.FILTER)
                        .add(FilterQueries.ofReference(ref.field()).query(ref.scope()), Occur.FILTER).build();
                StoredFields stored = searcher.storedFields();
                for (ScoreDoc sd : searcher.search(q, ids.size()).scoreDocs) {
                    out.add(stored.document(sd.doc, Set.of(IndexFields.ID)).get(IndexFields.ID) + "/" + ref.field());
                }
            }
        }
        return out;
    }

    private List<Highlight> highlights(TypeScope scope, Document d, SearchRequest request, Set<String> inScope) {
        ObjectType type = scope.type();
        List<Highlight> out = new ArrayList<>();
        for (String n : scope.fields()) {
            highlight(out, n, SearchFields.role(type, type.findField(n).orElseThrow()), d, request);
        }
        for (TypeScope.Reference ref : scope.references()) {
            if (ref.unrestricted() || inScope.contains(d.get(IndexFields.ID) + "/" + ref.field())) {
                highlight(out, ref.field(), SearchFields.referenceRole(type.findField(ref.field()).orElseThrow()), d,
                        request);
            }
        }
        return out;
    }

    private void highlight(List<Highlight> out, String field, SearchFields.Role role, Document d,
            SearchRequest request) {
        String text = d.get(IndexFields.stored(field));
        if (text != null) {
            highlighter.highlight(field, text, role, request.terms()).ifPresent(out::add);
        }
    }
}
