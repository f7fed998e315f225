package org.crmkit.search;

import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.crmkit.annotations.Incubating;

/**
 * One record a search found. Hits come from the search index, not from the storage: read the record itself with
 * {@code records(objectType).get(id)}.
 *
 * @param objectType the record's type
 * @param id         the record
 * @param version    the record's version the index holds
 * @param title      what to show for it: its name fields the caller may see ("Ada Lovelace", "Acme Ltd", a deal's
 *                   or task's name); the record id when none of them is visible or set
 * @param score      relevance; only the order of hits within one result means anything
 * @param match      the strongest way any term matched
 * @param highlights what matched, field by field (fields hidden from the caller never appear; a searchable
 *                   reference's name only when the referenced record is inside the caller's record scope)
 */
@Incubating
public record Hit(String objectType, UUID id, long version, String title, double score, MatchKind match,
        List<Highlight> highlights) {
    public Hit {
        Objects.requireNonNull(objectType, "objectType");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(highlights, "highlights");
        highlights = List.copyOf(highlights);
    }
}
