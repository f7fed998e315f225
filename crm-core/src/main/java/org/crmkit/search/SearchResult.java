package org.crmkit.search;

import java.util.List;
import java.util.Objects;
import org.crmkit.annotations.Incubating;

/**
 * One page of search hits.
 *
 * @param hits       the hits of the page, best first
 * @param total      how many records match and are visible to the caller: exact up to {@value #EXACT_TOTAL_UP_TO}
 *                   (and always without a search engine), beyond that at least this many ({@link #totalExact()})
 * @param totalExact whether {@code total} is the exact count rather than a lower bound
 * @param query      the query
 * @param engine     what answered ({@code lucene}, or {@code storage} without a search engine)
 */
@Incubating
public record SearchResult(List<Hit> hits, long total, boolean totalExact, SearchQuery query, String engine) {
    /** Up to this many matches a search engine counts exactly ("1,000+ results" beyond: counting all is slow). */
    public static final int EXACT_TOTAL_UP_TO = 1_000;

    public SearchResult {
        Objects.requireNonNull(hits, "hits");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(engine, "engine");
        hits = List.copyOf(hits);
    }

    /** Whether more hits follow this page (with an inexact total: whether this page was full). */
    public boolean hasMore() {
        return query.offset() + hits.size() < total;
    }
}
