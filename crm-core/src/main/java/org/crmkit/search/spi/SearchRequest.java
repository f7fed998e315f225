package org.crmkit.search.spi;

import java.util.List;
import java.util.Objects;
import org.crmkit.search.support.SearchTerms;

/**
 * A checked search: the terms of the typed text, the types to search with what the caller may see of each, and
 * the page.
 *
 * @param text   the text as typed
 * @param terms  the terms {@link SearchTerms#parse} made of it (never empty)
 * @param scopes the types to search (never empty)
 * @param limit  hits per page
 * @param offset hits to skip
 */
public record SearchRequest(String text, List<SearchTerms.Term> terms, List<TypeScope> scopes, int limit,
        int offset) {
    public SearchRequest {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(terms, "terms");
        Objects.requireNonNull(scopes, "scopes");
        terms = List.copyOf(terms);
        scopes = List.copyOf(scopes);
    }
}
