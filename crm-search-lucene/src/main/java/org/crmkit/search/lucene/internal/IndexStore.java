package org.crmkit.search.lucene.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.LeafReaderContext;
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
 * storage, see {@link LogPosition}) and which type mappings the committed documents cover. Opening it verifies the
 * files' checksums and the storage's identity; an index that is missing, corrupt or of another database is emptied
 * and {@linkplain #needsRebuild() marked for a rebuild}. Writes come from the indexer thread only; searchers are
 * acquired from any thread.
 */
final class IndexStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IndexStore.class);
    private static final String SEQUENCE_KEY = "crmkit.sequence";
    /** The {@link Storage#identity()} of the storage the index was built from. */
    private static final String STORAGE_KEY = "crmkit.storage";
    /** The {@link LogPosition#fingerprint() fingerprint} of the change-log entry at the committed sequence. */
    private static final String FINGERPRINT_KEY = "crmkit.sequence.fingerprint";
    private static final String MAPPING_PREFIX = "crmkit.mapping.";

    private final Storage storage;
    private final IndexProgress progress;
    private @Nullable Directory directory;
    private @Nullable IndexWriter writer;
    private @Nullable SearcherManager searchers;
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

    private IndexStore(Storage storage, IndexProgress progress) {
        this.storage = storage;
        this.progress = progress;
    }

    /** Opens the index of {@code settings} for {@code storage}, telling {@code progress} how far it is searchable. */
    static IndexStore open(LuceneSettings settings, Storage storage, Analyzer analyzer, IndexProgress progress) {
        IndexStore store = new IndexStore(storage, progress);
        store.open(settings, analyzer);
        return store;
    }

    private void open(LuceneSettings settings, Analyzer analyzer) {
        Path path = settings.directory();
        try {
            if (path == null) {
                directory = new ByteBuffersDirectory();
            } else {
                Files.createDirectories(path);
                directory = FSDirectory.open(path);
                readCommit(directory, path).ifPresent(data -> adopt(data, path));
            }
            IndexWriterConfig config = new IndexWriterConfig(analyzer)
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setRAMBufferSizeMB(settings.ramBufferMb())
                    .setCommitOnClose(false)
                    // forceMergeDeletes rewrites every segment holding a deleted document, not only those past 10 %
                    .setMergePolicy(new TieredMergePolicy().setForceMergeDeletesPctAllowed(0));
            writer = new IndexWriter(directory, config);
            if (applied < 0) {
                // what the folder holds (if anything) is not of this database: search none of it until rebuilt
                writer.deleteAll();
            }
            searchers = new SearcherManager(writer, null);
            progress.searchable(applied);
        } catch (LockObtainFailedException e) {
            close();
            throw new ConfigurationException(List.of("the search index at " + path + " is in use by another Crm "
                    + "or process (" + e.getMessage() + ")"));
        } catch (IOException e) {
            close();
            throw new StorageException("cannot open the search index at " + path + ": " + e, e);
        } catch (NumberFormatException e) {
            close();
            throw new StorageException("the search index at " + path + " holds an unreadable position: " + e, e);
        }
        rebuildNeeded = applied < 0;
    }

    /** Takes the position and mappings of a readable commit, unless it is of another storage or of its past. */
    private void adopt(Map<String, String> data, Path path) {
        String seq = data.get(SEQUENCE_KEY);
        applied = seq == null ? -1 : Long.parseLong(seq);
        appliedFingerprint = data.getOrDefault(FINGERPRINT_KEY, "");
        data.forEach((k, v) -> {
            if (k.startsWith(MAPPING_PREFIX)) {
                mappings.put(k.substring(MAPPING_PREFIX.length()), v);
            }
        });
        Optional<String> foreign = applied < 0 ? Optional.empty()
                : LogPosition.mismatch(storage, data.get(STORAGE_KEY), applied, appliedFingerprint);
        if (foreign.isPresent()) {
            LOG.warn("search index at {} does not belong to this database ({}); rebuilding it from the storage",
                    path, foreign.get());
            applied = -1;
            mappings.clear();
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
                | FileSystemException | IllegalArgumentException | IllegalStateException e) {
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

    // ---- state of the indexer thread ----------------------------------------------------------------------

    IndexWriter writer() {
        IndexWriter w = writer;
        if (w == null) {
            throw new IllegalStateException("search engine not started");
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
        Map<String, String> data = new TreeMap<>();
        data.put(SEQUENCE_KEY, Long.toString(applied));
        data.put(FINGERPRINT_KEY, appliedFingerprint);
        data.put(STORAGE_KEY, storage.identity().toString());
        mappings.forEach((k, v) -> data.put(MAPPING_PREFIX + k, v));
        writer().setLiveCommitData(data.entrySet());
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
        searchers().maybeRefreshBlocking();
        progress.searchable(upTo);
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
}
