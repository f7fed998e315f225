package org.crmkit.search;

import java.util.List;

/**
 * One page of search hits.
 *
 * @param hits   the hits of the page, best first
 * @param total  how many records in all match and are visible to the caller
 * @param query  the query
 * @param engine what answered ({@code lucene}, or {@code storage} without a search engine)
 */
public record SearchResult(List<Hit> hits, long total, SearchQuery query, String engine) {
    public SearchResult {
        hits = List.copyOf(hits);
    }

    /** Whether more hits follow this page. */
    public boolean hasMore() {
        return query.offset() + hits.size() < total;
    }
}
