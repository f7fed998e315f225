package org.crmkit.search.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.error.FieldError;
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
 * What a person types into search, on the Lucene engine: {@code session.search(SearchQuery.of(text))} turns the text
 * into terms ({@code SearchTerms}) and those into Lucene queries ({@code QueryFactory}: exact, prefix, typo,
 * phonetic, email and phone forms), over an index of a few records with folded names, an IDN email and phones: a
 * result within the page size whose highlights are in order and inside their text, or a {@link ValidationException}
 * on {@code text}; never a Lucene exception (too many clauses, an automaton too complex). Input: the text as UTF-8.
 */
class LuceneSearchTextFuzzTest {
    private static Crm crm;
    private static CrmSession rep;

    @BeforeAll
    static void start() {
        crm = Crm.builder().storage(InMemoryStorage.create()).defaultPhoneRegion("GB")
                .search(LuceneSearch.inMemory()).build();
        rep = crm.as(Principal.user("u-1", Role.SALES_REP));
        Record acme = rep.records("company").create(Map.of("name", "Acme Widgets Ltd", "domain", "acme.example",
                "phone", "+44 20 7946 0958"));
        rep.records("contact").create(Map.of("first_name", "Ada", "last_name", "Lovelace", "email",
                "ada.lovelace@acme.example", "phone", "020 7946 0000", "company", acme.id(), "title", "Analyst"));
        rep.records("contact").create(Map.of("first_name", "Jürgen", "last_name", "Müller-Straße", "email",
                "jürgen@bäckerei.de", "mobile", "+49 151 23456789"));
        rep.records("lead").create(Map.of("first_name", "Zoë", "last_name", "O'Brien", "company_name", "Ørsted",
                "email", "zoe@xn--mller-kva.example"));
        assertThat(crm.admin().searchIndex().awaitUpToDate(Duration.ofSeconds(30))).isTrue();
    }

    @AfterAll
    static void stop() {
        crm.close();
    }

    @FuzzTest
    void searchText(byte[] data) {
        SearchResult result;
        try {
            result = rep.search(SearchQuery.of(new String(data, StandardCharsets.UTF_8)).limit(5));
        } catch (ValidationException e) {
            assertThat(e.errors()).isNotEmpty().extracting(FieldError::field).contains("text");
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
            }
        }
    }
}
