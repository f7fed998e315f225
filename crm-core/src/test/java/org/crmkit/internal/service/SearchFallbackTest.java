package org.crmkit.internal.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.crmkit.Crm;
import org.crmkit.CrmSearch;
import org.crmkit.plugin.spi.PluginRegistry;
import org.crmkit.search.RebuildProgress;
import org.crmkit.search.SearchIndexHealth;
import org.crmkit.search.SearchQuery;
import org.crmkit.search.SearchResult;
import org.crmkit.search.spi.SearchBackend;
import org.crmkit.search.spi.SearchContext;
import org.crmkit.search.spi.SearchRequest;
import org.crmkit.search.spi.SearchResponse;
import org.crmkit.security.Principal;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.Test;

/**
 * The engine's side of search health: {@code searchIndex().health()} reports the backend's health with the lag to
 * the storage's change log, and while the backend reports unhealthy, searches go to the storage search (which always
 * reports healthy) instead of the backend.
 */
class SearchFallbackTest {
    @Test
    void withoutAnEngineTheIndexIsAlwaysHealthyAndNeverLags() {
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).build()) {
            crm.as(Principal.SYSTEM).records("contact").create(Map.of("first_name", "Ada", "last_name", "Byron"));
            SearchIndexHealth h = crm.admin().searchIndex().health();
            assertThat(h.healthy()).isTrue();
            assertThat(h.lag()).isZero();
            assertThat(h.failure()).isEmpty();
        }
    }

    @Test
    void whileTheBackendIsUnhealthySearchesRunThroughTheStorage() {
        Switchable backend = new Switchable();
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).search(backend.handle()).build()) {
            crm.as(Principal.SYSTEM).records("contact").create(Map.of("first_name", "Ada", "last_name", "Byron"));

            SearchResult healthy = crm.as(Principal.SYSTEM).search(SearchQuery.of("byron"));
            assertThat(healthy.engine()).isEqualTo("switchable");
            assertThat(backend.searches.get()).isEqualTo(1);
            assertThat(crm.admin().searchIndex().health().healthy()).isTrue();

            backend.healthy = false;
            SearchIndexHealth sick = crm.admin().searchIndex().health();
            assertThat(sick.healthy()).isFalse();
            assertThat(sick.lag()).as("the backend applied nothing of the log").isEqualTo(crm.changeLog()
                    .lastSequence());
            SearchResult fallback = crm.as(Principal.SYSTEM).search(SearchQuery.of("byron"));
            assertThat(fallback.engine()).isEqualTo("storage");
            assertThat(fallback.total()).isEqualTo(1);
            assertThat(backend.searches.get()).as("the unhealthy backend is not asked").isEqualTo(1);

            backend.healthy = true;
            assertThat(crm.as(Principal.SYSTEM).search(SearchQuery.of("byron")).engine()).isEqualTo("switchable");
        }
    }

    /** A backend that answers through a storage search of its own and reports the health a test sets. */
    private static final class Switchable implements SearchBackend {
        private final StorageSearch answers = new StorageSearch();
        private final AtomicInteger searches = new AtomicInteger();
        private volatile boolean healthy = true;

        CrmSearch handle() {
            SearchBackend self = this;
            return new CrmSearch() {
                @Override
                public String name() {
                    return "switchable";
                }

                @Override
                public void install(PluginRegistry registry) {
                    registry.search(self);
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public String name() {
            return "switchable";
        }

        @Override
        public void start(SearchContext context) {
            answers.start(context);
        }

        @Override
        public SearchResponse search(SearchRequest request) {
            searches.incrementAndGet();
            return answers.search(request);
        }

        @Override
        public long appliedSequence() {
            return 0;
        }

        @Override
        public boolean awaitSequence(long sequence, Duration timeout) {
            return true;
        }

        @Override
        public SearchIndexHealth health(Instant started, long lastSequence) {
            return new SearchIndexHealth(healthy, started, 0, lastSequence, healthy ? null
                    : new SearchIndexHealth.Failure(started, "java.io.IOException", "the disk is full"));
        }

        @Override
        public void rebuild(Consumer<RebuildProgress> progress) {}

        @Override
        public void close() {}
    }
}
