package org.crmkit.search.spi;

import java.util.List;
import org.crmkit.search.Hit;

/** A backend's answer: the page of hits, best first, and how many records match in all. */
public record SearchResponse(List<Hit> hits, long total) {
    public SearchResponse {
        hits = List.copyOf(hits);
    }
}
