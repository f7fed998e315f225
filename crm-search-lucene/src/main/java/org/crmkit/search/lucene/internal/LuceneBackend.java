package org.crmkit.search.lucene.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.lucene.store.Directory;
import org.crmkit.search.RebuildProgress;
import org.crmkit.search.SearchIndexHealth;
import org.crmkit.search.spi.CandidateRequest;
import org.crmkit.search.spi.SearchBackend;
import org.crmkit.search.spi.SearchContext;
import org.crmkit.search.spi.SearchRequest;
import org.crmkit.search.spi.SearchResponse;

/** The search SPI on a {@link LuceneEngine}: what the public {@code LuceneSearch} handle installs into a {@code Crm}. */
public final class LuceneBackend implements SearchBackend {
    private final LuceneEngine engine;

    public LuceneBackend(LuceneSettings settings) {
        this.engine = new LuceneEngine(settings);
    }

    /** A backend whose index lives in {@code directory}, which the caller closes after the backend: for tests. */
    public LuceneBackend(LuceneSettings settings, Directory directory) {
        this.engine = new LuceneEngine(settings, Objects.requireNonNull(directory, "directory"));
    }

    @Override
    public String name() {
        return "lucene";
    }

    @Override
    public void start(SearchContext context) {
        Objects.requireNonNull(context, "context");
        engine.start(context);
    }

    @Override
    public SearchResponse search(SearchRequest request) {
        Objects.requireNonNull(request, "request");
        return engine.search(request);
    }

    @Override
    public Optional<List<UUID>> candidates(CandidateRequest request) {
        Objects.requireNonNull(request, "request");
        return Optional.of(engine.candidates(request));
    }

    @Override
    public long appliedSequence() {
        return engine.appliedSequence();
    }

    /** Unhealthy from a failed write of the index until the next one that succeeds; the lag is to {@code lastSequence}. */
    @Override
    public SearchIndexHealth health(Instant started, long lastSequence) {
        Objects.requireNonNull(started, "started");
        return engine.health(lastSequence);
    }

    @Override
    public org.crmkit.search.RefreshStats refreshStats() {
        return engine.refreshStats();
    }

    @Override
    public boolean awaitSequence(long sequence, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return engine.awaitSequence(sequence, timeout);
    }

    @Override
    public boolean expungeDeleted(long sequence, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return engine.expungeDeleted(sequence, timeout);
    }

    @Override
    public void rebuild(Consumer<RebuildProgress> progress) {
        Objects.requireNonNull(progress, "progress");
        engine.rebuild(progress);
    }

    @Override
    public void close() {
        engine.close();
    }

    @Override
    public String toString() {
        return Objects.toString(engine);
    }
}
