package org.crmkit.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.error.ValidationException;
import org.crmkit.record.Record;
import org.crmkit.search.Highlight;
import org.crmkit.search.Hit;
import org.crmkit.search.SearchQuery;
import org.crmkit.search.SearchResult;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * What a person types into search, {@code session.search(SearchQuery.of(text))}, on the search every storage
 * answers without an engine ({@code search.support.SearchTerms} splits and folds the text, the storage matches,
 * {@code MatchHighlighter} marks the hits): a result within the page size, each hit with a title, or a
 * {@link ValidationException} on {@code text} (empty, over 200 characters or 16 words). Input: the text as UTF-8.
 * crm-search-lucene's {@code LuceneSearchTextFuzzTest} does the same on the Lucene engine.
 */
class SearchTextFuzzTest {
    private static Crm crm;
    private static CrmSession rep;

    @BeforeAll
    static void start() {
        crm = Crm.builder().storage(InMemoryStorage.create()).defaultPhoneRegion("GB").build();
        rep = crm.as(Principal.user("u-1", Role.SALES_REP));
        Record acme = rep.records("company").create(Map.of("name", "Acme Widgets Ltd", "domain", "acme.example",
                "phone", "+44 20 7946 0958"));
        rep.records("contact").create(Map.of("first_name", "Ada", "last_name", "Lovelace", "email",
                "ada.lovelace@acme.example", "phone", "020 7946 0000", "company", acme.id(), "title", "Analyst"));
        rep.records("contact").create(Map.of("first_name", "Jürgen", "last_name", "Müller-Straße", "email",
                "jürgen@bäckerei.de", "mobile", "+49 151 23456789"));
        rep.records("lead").create(Map.of("first_name", "Zoë", "last_name", "O'Brien", "company_name", "Ørsted",
                "email", "zoe@xn--mller-kva.example"));
    }

    @AfterAll
    static void stop() {
        crm.close();
    }

    @FuzzTest
    void searchText(byte[] data) {
        SearchQuery query = SearchQuery.of(FuzzInput.text(data)).limit(5);
        SearchResult result;
        try {
            result = rep.search(query);
        } catch (ValidationException e) {
            FuzzInput.refused(e);
            assertThat(e.hasErrorOn("text")).as("%s", e).isTrue();
            return;
        }
        assertThat(result.hits()).hasSizeLessThanOrEqualTo(5);
        assertThat(result.total()).isGreaterThanOrEqualTo(result.hits().size());
        for (Hit hit : result.hits()) {
            assertThat(hit.title()).isNotNull();
            for (Highlight h : hit.highlights()) {
                int at = 0;
                for (Highlight.Span span : h.spans()) {
                    assertThat(span.start()).as("spans of %s in order, not overlapping", h).isGreaterThanOrEqualTo(at);
                    at = span.end();
                }
                assertThat(h.marked("[", "]")).hasSize(h.text().length() + 2 * h.spans().size());
            }
        }
    }
}
