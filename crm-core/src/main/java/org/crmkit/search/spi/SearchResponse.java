package org.crmkit.search.spi;

import java.util.List;
import java.util.Objects;
import org.crmkit.search.Hit;

/**
 * A backend's answer: the page of hits, best first, and how many records match in all: exactly, or (when more
 * than {@link org.crmkit.search.SearchResult#EXACT_TOTAL_UP_TO} match) at least that many, {@code totalExact} false.
 */
public record SearchResponse(List<Hit> hits, long total, boolean totalExact) {
    public SearchResponse {
        Objects.requireNonNull(hits, "hits");
        hits = List.copyOf(hits);
    }
}
