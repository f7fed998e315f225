package org.crmkit.search.lucene;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.crmkit.CrmSearch;
import org.crmkit.error.ConfigurationException;
import org.crmkit.plugin.spi.PluginRegistry;
import org.crmkit.search.lucene.internal.LuceneBackend;
import org.crmkit.search.lucene.internal.LuceneSettings;
import org.jspecify.annotations.Nullable;

/**
 * Search on an embedded Lucene index: names folded and matched by sound, emails by address, local part and
 * domain, phones by any national form or their last digits, company names without their legal form, free text;
 * typo tolerance (one error in words of 4 to 7 letters, two from 8), type-ahead on every word, ranking exact
 * over prefix over typo over sound, with the caller's access applied inside the query.
 *
 * <pre>{@code
 * Crm crm = Crm.builder().storage(JdbcStorage.h2File(Path.of("data/crm")))
 *         .search(LuceneSearch.at(Path.of("data/index")))
 *         .build();
 * }</pre>
 *
 * <p>The index follows the change log: a change committed on this node is searchable within milliseconds, one of
 * another node when this node next reads the log ({@link Builder#pollInterval}). It is made durable every
 * {@link Builder#commitInterval} together with the change-log position it covers, so after a crash the next start
 * catches up from there; a missing or corrupt index is rebuilt from the storage in the background (searches see
 * what is indexed so far; {@code crm.admin().searchIndex().awaitUpToDate(...)} waits for it). One index serves one
 * {@code Crm}: two cannot open the same directory.
 *
 * <p>When the index cannot be written (a full disk, I/O errors, or Lucene closing its writer after such an error),
 * writes through the {@code Crm} still succeed: the storage is the source of truth. The index reports itself
 * unhealthy ({@code crm.admin().searchIndex().health()}), drops what it had not committed, and retries with a
 * back-off from its last commit's change-log position, so nothing is skipped; once it can write again it catches up
 * and reports healthy. <b>While it is unhealthy, searches and duplicate checks fall back to the storage search</b>
 * (the one a {@code Crm} without a search engine uses: up to date, with the caller's access applied alike, but
 * without typo tolerance; {@code SearchResult.engine()} then says {@code storage}) rather than failing. See
 * {@code docs/search.md}.
 */
public final class LuceneSearch implements CrmSearch {
    private final LuceneBackend backend;

    private LuceneSearch(LuceneSettings settings) {
        this(new LuceneBackend(settings));
    }

    /** A handle on a backend built elsewhere: tests give it an index in a fault-injecting directory. */
    LuceneSearch(LuceneBackend backend) {
        this.backend = backend;
    }

    /** An index in the directory {@code path} (created when missing). */
    public static LuceneSearch at(Path path) {
        Objects.requireNonNull(path, "path");
        return builder().directory(path).build();
    }

    /** An index in memory, rebuilt from the storage at every start: for tests and demos. */
    public static LuceneSearch inMemory() {
        return builder().inMemory().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return backend.name();
    }

    /** Registers the search SPI implementation; called by the {@code Crm} builder. */
    @Override
    public void install(PluginRegistry registry) {
        registry.search(backend);
    }

    /** Stops indexing and closes the index; the {@code Crm} calls it on close. */
    @Override
    public void close() {
        backend.close();
    }

    /** Settings of a {@link LuceneSearch}; {@link #build()} reports every problem at once, a null setting included. */
    public static final class Builder {
        private @Nullable Path directory;
        private boolean inMemory;
        // null is accepted by the setters and reported by build() as a ConfigurationException
        private @Nullable Duration pollInterval = Duration.ofMillis(50);
        private @Nullable Duration commitInterval = Duration.ofSeconds(1);
        private int batchSize = 1_000;
        private double ramBufferMb = 64;

        private Builder() {}

        /** Where the index lives. */
        public Builder directory(@Nullable Path path) {
            this.directory = path;
            this.inMemory = false;
            return this;
        }

        /** Keeps the index in memory. */
        public Builder inMemory() {
            this.directory = null;
            this.inMemory = true;
            return this;
        }

        /**
         * How often the change log is read for changes of other nodes (this node's own commits wake the indexer at
         * once). Default 50 ms.
         */
        public Builder pollInterval(@Nullable Duration interval) {
            this.pollInterval = interval;
            return this;
        }

        /** How often indexing is made durable. Default 1 s. */
        public Builder commitInterval(@Nullable Duration interval) {
            this.commitInterval = interval;
            return this;
        }

        /** Change-log entries and records read per round. Default 1,000. */
        public Builder batchSize(int entries) {
            this.batchSize = entries;
            return this;
        }

        /** The index writer's memory buffer. Default 64 MB. */
        public Builder ramBufferMb(double megabytes) {
            this.ramBufferMb = megabytes;
            return this;
        }

        public LuceneSearch build() {
            List<String> problems = new ArrayList<>();
            if (directory == null && !inMemory) {
                problems.add("no index location: call directory(path) or inMemory()");
            }
            check(problems, "poll interval", pollInterval, Duration.ofMillis(1), Duration.ofMinutes(10));
            check(problems, "commit interval", commitInterval, Duration.ofMillis(1), Duration.ofHours(1));
            if (batchSize < 1 || batchSize > 100_000) {
                problems.add("batch size must be 1 to 100,000, not " + batchSize);
            }
            if (!(ramBufferMb >= 1 && ramBufferMb <= 2_048)) {
                problems.add("RAM buffer must be 1 to 2,048 MB, not " + ramBufferMb);
            }
            if (!problems.isEmpty()) {
                throw new ConfigurationException(problems);
            }
            return new LuceneSearch(new LuceneSettings(directory == null ? null : directory.toAbsolutePath(),
                    Objects.requireNonNull(pollInterval), Objects.requireNonNull(commitInterval), batchSize,
                    ramBufferMb)); // check(...) above reported null intervals
        }

        private static void check(List<String> problems, String what, @Nullable Duration d, Duration min,
                Duration max) {
            if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                problems.add(what + " must be " + min + " to " + max + ", not " + d);
            }
        }
    }

    @Override
    public String toString() {
        return "LuceneSearch[" + backend + "]";
    }
}
