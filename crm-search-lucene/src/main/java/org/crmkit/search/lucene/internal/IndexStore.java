package org.crmkit.search.lucene.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.crmkit.error.ConfigurationException;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;
import org.crmkit.error.StorageException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.storage.spi.Storage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index on disk (or in memory) and what it knows of itself: the directory, its one {@link IndexWriter}, the
 * near-real-time {@link SearcherManager}, and the commit data that says which change-log position (and of which
 * storage, see {@link LogPosition}) and which type mappings the committed documents cover ({@link IndexCommits}).
 * Opening it verifies the files' checksums and the storage's identity; an index that is missing, corrupt or of
 * another database is emptied and {@linkplain #needsRebuild() marked for a rebuild}. After a failed write the writer
 * is rolled back and reopened from the last commit ({@link #discardUnsaved()}, {@link #ensureWriter()}). Writes come
 * from the indexer thread only; searchers are acquired from any thread.
 */
final class IndexStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IndexStore.class);

    private final Storage storage;
    /** {@link #refreshStats()}: refreshes run, and their nanoseconds added up. */
    private final java.util.concurrent.atomic.LongAdder refreshes = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder refreshNanos = new java.util.concurrent.atomic.LongAdder();
    private final IndexProgress progress;
    private final Analyzer analyzer;
    private final double ramBufferMb;
    /** A directory handed in ({@link LuceneEngine#LuceneEngine(LuceneSettings, Directory)}): its caller closes it. */
    private final @Nullable Directory borrowed;
    private @Nullable Directory directory;
    /** Null after a failed write rolled it back, until {@link #ensureWriter()} reopens it. */
    private @Nullable IndexWriter writer;
    private volatile @Nullable SearcherManager searchers;
    /** Change-log position every change up to which is in the writer (and searchable after the next refresh). */
    private long applied = -1;
    /** The fingerprint of the change-log entry at {@link #applied}, committed with it. */
    private String appliedFingerprint = "";
    /** Mapping fingerprints of the indexed types as the index holds them. */
    private Map<String, String> mappings = new TreeMap<>();
    private boolean rebuildNeeded;
    private boolean dirty;
    /** Documents were deleted for a purge since the last commit: the next commit merges them out of the files. */
    private boolean expungeDue;
    private long lastCommitNanos = System.nanoTime();
    private volatile boolean closing;

    private IndexStore(Storage storage, IndexProgress progress, Analyzer analyzer, LuceneSettings settings,
            @Nullable Directory borrowed) {
        this.storage = storage;
        this.progress = progress;
        this.analyzer = analyzer;
        this.ramBufferMb = settings.ramBufferMb();
        this.borrowed = borrowed;
    }

    /**
     * Opens the index of {@code settings} (or in {@code borrowed}, which the caller closes) for {@code storage},
     * telling {@code progress} how far it is searchable.
     */
    static IndexStore open(LuceneSettings settings, Storage storage, Analyzer analyzer, IndexProgress progress,
            @Nullable Directory borrowed) {
        IndexStore store = new IndexStore(storage, progress, analyzer, settings, borrowed);
        store.open(settings);
        return store;
    }

    private void open(LuceneSettings settings) {
        Path path = settings.directory();
        String where = borrowed != null ? borrowed.toString() : String.valueOf(path);
        try {
            if (borrowed != null) {
                directory = borrowed;
            } else if (path == null) {
                directory = new ByteBuffersDirectory();
            } else {
                Files.createDirectories(path);
                directory = FSDirectory.open(path);
            }
            Directory dir = directory;
            adopt(IndexCommits.verified(dir, storage, where));
            openWriter(dir);
        } catch (LockObtainFailedException e) {
            close();
            throw new ConfigurationException(List.of("the search index at " + where + " is in use by another Crm "
                    + "or process (" + e.getMessage() + ")"));
        } catch (IOException e) {
            close();
            throw new StorageException("cannot open the search index at " + where + ": " + e, e);
        } catch (NumberFormatException e) {
            close();
            throw new StorageException("the search index at " + where + " holds an unreadable position: " + e, e);
        }
        rebuildNeeded = applied < 0;
    }

    /**
     * Opens a writer on the last commit (emptied when it holds nothing of this storage, {@code applied < 0}) and
     * searchers on it, which replace the old ones; tells {@code progress} the commit's position.
     */
    private void openWriter(Directory dir) throws IOException {
        IndexWriterConfig config = new IndexWriterConfig(analyzer)
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setRAMBufferSizeMB(ramBufferMb)
                .setCommitOnClose(false)
                // forceMergeDeletes rewrites every segment holding a deleted document, not only those past 10 %
                .setMergePolicy(new TieredMergePolicy().setForceMergeDeletesPctAllowed(0));
        IndexWriter w = new IndexWriter(dir, config);
        SearcherManager fresh;
        try {
            if (applied < 0) {
                // what the folder holds (if anything) is not of this database: search none of it until rebuilt
                w.deleteAll();
            }
            fresh = new SearcherManager(w, null);
        } catch (IOException | RuntimeException e) {
            rollback(w);
            throw e;
        }
        writer = w;
        SearcherManager old = searchers;
        searchers = fresh;
        if (old != null) {
            old.close(); // searches holding one of its searchers keep it until they release it
        }
        progress.reset(applied);
    }

    /**
     * After a failed write: drops what the writer held since the last commit (Lucene may have closed it already, on
     * a tragic event). The next {@link #ensureWriter()} reopens it from the last commit, and the indexer goes on
     * from that commit's position, so nothing is skipped and nothing half-written is ever committed. Searches keep
     * the last searchers meanwhile.
     */
    void discardUnsaved() {
        IndexWriter w = writer;
        writer = null;
        if (w != null) {
            Throwable tragic = w.getTragicException();
            if (tragic != null) {
                LOG.warn("the search index writer was closed by a failure ({}); reopening it from the last commit",
                        tragic.toString());
            }
            rollback(w);
        }
    }

    private static void rollback(IndexWriter w) {
        try {
            w.rollback(); // closes it, also when it fails
        } catch (IOException | RuntimeException e) {
            LOG.debug("rolling back the search index writer failed", e);
        }
    }

    /** Reopens the writer from the last commit if a failure {@linkplain #discardUnsaved() dropped} it. */
    void ensureWriter() throws IOException {
        Directory dir = directory;
        if (writer != null || dir == null || closing) {
            return;
        }
        dirty = false;
        // the commit was verified against this storage when the index opened, or written for it since
        adopt(IndexCommits.last(dir));
        openWriter(dir);
        rebuildNeeded = applied < 0;
        LOG.info("search index reopened from its last commit (change-log position {})", applied);
    }

    private void adopt(IndexCommits.Position p) {
        applied = p.applied();
        appliedFingerprint = p.fingerprint();
        mappings = new TreeMap<>(p.mappings());
    }

    // ---- state of the indexer thread ----------------------------------------------------------------------

    IndexWriter writer() {
        IndexWriter w = writer;
        if (w == null) {
            throw new IllegalStateException("the search index writer is not open: call ensureWriter() first");
        }
        return w;
    }

    /** Whether the index holds nothing of this storage yet and must be rebuilt before it follows the log. */
    boolean needsRebuild() {
        return rebuildNeeded;
    }

    /** Change-log position every change up to which is in the writer. */
    long applied() {
        return applied;
    }

    /** The writer now holds every change up to {@code last}. */
    void applied(ChangeLogEntry last) {
        applied = last.sequence();
        appliedFingerprint = LogPosition.fingerprint(last);
        dirty = true;
    }

    /** The writer now holds the whole storage as of {@code sequence}, under {@code newMappings}. */
    void rebuilt(long sequence, String fingerprint, Map<String, String> newMappings) {
        applied = sequence;
        appliedFingerprint = fingerprint;
        mappings = new TreeMap<>(newMappings);
        rebuildNeeded = false;
        dirty = true;
    }

    /** Mapping fingerprints of the indexed types as the index holds them. */
    Map<String, String> mappings() {
        return Map.copyOf(mappings);
    }

    /** The writer's documents now follow {@code newMappings}; {@code changed} when documents were written. */
    void remapped(Map<String, String> newMappings, boolean changed) {
        mappings = new TreeMap<>(newMappings);
        dirty |= changed;
    }

    /**
     * Records that documents were deleted for purged records: the next {@link #commit()} rewrites the segments that
     * hold deleted documents, so that no index file keeps a purged record's terms or stored values.
     */
    void purged() {
        expungeDue = true;
        dirty = true;
    }

    /**
     * Makes what the writer holds durable, with the position and mappings it covers; after purges first merges the
     * deleted documents out of the segments, and once committed reopens the searchers and lets the writer delete
     * the files no commit and no searcher uses any more.
     */
    void commit() throws IOException {
        boolean expunging = expungeDue;
        if (expunging) {
            writer().forceMergeDeletes(true);
        }
        writer().setLiveCommitData(new IndexCommits.Position(applied, appliedFingerprint, mappings).data(storage)
                .entrySet());
        writer().commit();
        dirty = false;
        lastCommitNanos = System.nanoTime();
        if (expunging) {
            expungeDue = false;
            SearcherManager open = searchers;
            if (open != null && !closing) {
                open.maybeRefreshBlocking(); // the old reader held the merged-away segments' files
            }
            writer().deleteUnusedFiles();
        }
    }

    /** Commits when something changed and {@code interval} has passed since the last commit. */
    void commitIfDue(Duration interval) throws IOException {
        if (dirty && System.nanoTime() - lastCommitNanos >= interval.toNanos()) {
            commit();
        }
    }

    /** The last commit before closing: whatever changed, if the index covers a position of this storage. */
    void commitUnsaved() throws IOException {
        if (writer != null && writer.isOpen() && dirty && applied >= 0) {
            commit();
        }
    }

    /** Makes what the writer holds searchable, then tells waiters how far that is. */
    void refresh() throws IOException {
        long upTo = applied;
        long start = System.nanoTime();
        searchers().maybeRefreshBlocking();
        refreshNanos.add(System.nanoTime() - start);
        refreshes.increment();
        progress.searchable(upTo);
    }

    /** How many refreshes ran and how long they took in all. */
    org.crmkit.search.RefreshStats refreshStats() {
        return new org.crmkit.search.RefreshStats(refreshes.sum(), java.time.Duration.ofNanos(refreshNanos.sum()));
    }

    // ---- searching (any thread) ---------------------------------------------------------------------------

    IndexSearcher acquire() throws IOException {
        return searchers().acquire();
    }

    /** Gives back a searcher {@link #acquire()} gave, even while closing. */
    void release(IndexSearcher searcher) throws IOException {
        SearcherManager s = searchers;
        if (s != null) {
            s.release(searcher);
        }
    }

    private SearcherManager searchers() {
        SearcherManager s = searchers;
        if (s == null || closing) {
            throw new CrmException(ErrorCode.CLOSED, "the search engine is closed");
        }
        return s;
    }

    // ---- closing ------------------------------------------------------------------------------------------

    /** From now on no search starts and long indexing stops at its next step. */
    void closing() {
        closing = true;
    }

    boolean isClosing() {
        return closing;
    }

    /** Closes the searchers, the writer (without committing) and the directory, logging failures. */
    @Override
    public void close() {
        for (AutoCloseable c : new AutoCloseable[] {searchers, writer, directory == borrowed ? null : directory}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.debug("closing {} failed", c, e);
                }
            }
        }
    }
}
