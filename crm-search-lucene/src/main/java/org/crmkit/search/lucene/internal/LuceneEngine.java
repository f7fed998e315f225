package org.crmkit.search.lucene.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.lucene.store.Directory;
import org.crmkit.search.RebuildProgress;
import org.crmkit.search.SearchIndexHealth;
import org.crmkit.search.spi.SearchContext;
import java.util.List;
import java.util.UUID;
import org.crmkit.search.spi.CandidateRequest;
import org.crmkit.search.spi.SearchRequest;
import org.crmkit.search.spi.SearchResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lucene index of one {@code Crm}, kept in step with the change log in the manner of Hibernate Search's outbox,
 * as a facade over its parts: the {@link IndexStore} (directory, writer, searchers, commit data), the one
 * {@link IndexingWorker} thread that writes it, rounds of which apply the change log ({@link ChangeLogIndexer}) and
 * re-index whole types ({@link Reindexer}), the {@link Searcher} that answers requests, and the
 * {@link IndexProgress} callers wait on.
 *
 * <p>A change is searchable at once (near-real-time reader) and durable every {@code commitInterval} in a Lucene
 * commit that records the position it covers. After a crash the next start goes on from the last commit's
 * position, so no change is missed; re-applying a change is harmless, since documents are replaced by record id.
 * A missing or corrupt index, or one of another database, is rebuilt from the storage.
 */
public final class LuceneEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LuceneEngine.class);

    private final LuceneSettings settings;
    private final @Nullable Directory directory;
    private final Analysis analysis = new Analysis();
    private final IndexProgress progress = new IndexProgress();

    private @Nullable SearchContext context;
    private @Nullable IndexHealth health;
    private volatile @Nullable IndexStore store;
    private @Nullable Searcher searcher;
    private @Nullable Reindexer reindexer;
    private @Nullable IndexingWorker worker;
    private @Nullable AutoCloseable subscription;

    public LuceneEngine(LuceneSettings settings) {
        this(settings, null);
    }

    /**
     * An engine whose index lives in {@code directory} rather than where {@code settings} say (tests hand in a
     * fault-injecting one); the caller closes it after the engine.
     */
    public LuceneEngine(LuceneSettings settings, @Nullable Directory directory) {
        this.settings = settings;
        this.directory = directory;
    }

    /** Opens the index (rebuilding it if missing or corrupt happens on the indexer thread) and starts indexing. */
    public void start(SearchContext ctx) {
        this.context = ctx;
        IndexStore s = IndexStore.open(settings, ctx.storage(), analysis.indexAnalyzer(), progress, directory);
        IndexHealth h = new IndexHealth(ctx.clock());
        DocumentMapper mapper = new DocumentMapper(ctx::exactToken);
        ChangeLogIndexer indexer = new ChangeLogIndexer(ctx, s, mapper, settings);
        Reindexer r = new Reindexer(ctx, s, progress, mapper, settings);
        IndexingWorker w = new IndexingWorker(settings.pollInterval(), guarded(s, h, () -> {
            if (s.needsRebuild()) {
                r.rebuild(p -> {});
            }
            r.remapChangedTypes();
            indexer.catchUp();
            s.commitIfDue(settings.commitInterval());
        }));
        health = h;
        store = s;
        searcher = new Searcher(s, ctx::schema, analysis, ctx::exactToken);
        reindexer = r;
        worker = w;
        subscription = ctx.changeLog().subscribe(changes -> w.wakeUp());
        w.wakeUp();
    }

    public SearchResponse search(SearchRequest request) {
        return started(searcher).search(request);
    }

    /** The ids of a duplicate check's candidates, best first. */
    public List<UUID> candidates(CandidateRequest request) {
        return started(searcher).candidates(request);
    }

    /**
     * Writes to the index: first reopens the writer if a failure dropped it; a success makes the index healthy, a
     * failure unhealthy, and drops what the writer held since its last commit (see {@link IndexStore#discardUnsaved}),
     * so that the next round goes on from that commit's position. While closing, nothing is written.
     */
    private static IndexingWorker.Work guarded(IndexStore s, IndexHealth h, IndexingWorker.Work work) {
        return () -> {
            if (s.isClosing()) {
                return;
            }
            try {
                s.ensureWriter();
                work.run();
            } catch (IOException | RuntimeException e) {
                if (!s.isClosing()) {
                    h.failed(e);
                    s.discardUnsaved();
                }
                throw e;
            }
            h.succeeded();
        };
    }

    /** Whether the index follows the change log, {@code lastSequence} being the storage's last sequence. */
    public SearchIndexHealth health(long lastSequence) {
        long applied = appliedSequence();
        return started(health).report(applied, lastSequence - applied);
    }

    /** How many refreshes ran and how long they took (none before the index started). */
    public org.crmkit.search.RefreshStats refreshStats() {
        IndexStore s = store;
        return s == null ? org.crmkit.search.RefreshStats.NONE : s.refreshStats();
    }

    /** The change-log sequence up to which every change is searchable. */
    public long appliedSequence() {
        return Math.max(0, progress.searchable());
    }

    /** Waits until every change up to {@code sequence}, and the current schema, are searchable. */
    public boolean awaitSequence(long sequence, Duration timeout) {
        long schemaVersion = started(context).schema().version();
        started(worker).wakeUp();
        return progress.await(sequence, schemaVersion, timeout);
    }

    /**
     * Waits until the index has applied {@code sequence}, then, on the indexer thread, merges every deleted document
     * out of the segment files and commits (see {@link IndexStore#purged()}); false if {@code timeout} passed first.
     */
    public boolean expungeDeleted(long sequence, Duration timeout) {
        if (!awaitSequence(sequence, timeout)) {
            return false;
        }
        IndexStore s = started(store);
        started(worker).call(guarded(s, started(health), () -> {
            s.purged();
            s.commit();
        }), "expunging deleted documents from the search index failed");
        return true;
    }

    /** Rebuilds the whole index from the storage on the indexer thread; returns when done. */
    public void rebuild(Consumer<RebuildProgress> listener) {
        Reindexer r = started(reindexer);
        IndexingWorker w = started(worker);
        try {
            w.call(guarded(started(store), started(health), () -> r.rebuild(listener)),
                    "rebuilding the search index failed");
        } finally {
            w.wakeUp(); // after a failure too: the rounds go on from the last commit
        }
    }

    /**
     * Stops searching and indexing: releases waiters, lets the indexer finish its step, commits what it applied
     * since the last commit, and closes the index. The indexer thread has ended when this returns.
     */
    @Override
    public void close() {
        IndexStore s = store;
        if (s != null) {
            s.closing();
        }
        progress.close();
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                LOG.debug("unsubscribing failed", e);
            }
        }
        if (worker != null) {
            worker.stop(() -> commitUnsaved(s));
        }
        if (s != null) {
            s.close();
        }
    }

    private static void commitUnsaved(@Nullable IndexStore s) {
        try {
            if (s != null) {
                s.commitUnsaved();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("final commit of the search index failed; the next start catches up from the change log", e);
        }
    }

    private static <T> T started(@Nullable T part) {
        if (part == null) {
            throw new IllegalStateException("search engine not started");
        }
        return part;
    }
}
