package org.crmkit.search;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import org.crmkit.annotations.Incubating;
import org.crmkit.query.Filter;

/**
 * What to search for: the text a person typed, optionally within some object types, narrowed by a filter, one
 * page at a time. Immutable; each {@code with} method returns a changed copy.
 *
 * <pre>{@code
 * SearchResult r = session.search(SearchQuery.of("jon smiht acme").types("contact", "lead")
 *         .filter(where("owner").eq("u-42")).limit(20));
 * }</pre>
 *
 * @param text        what was typed: words in any order, typos allowed, the start of a word, an email address or
 *                    part of it, a phone number or its last digits (1 to {@value #MAX_TEXT_LENGTH} characters,
 *                    at most {@value #MAX_TERMS} words)
 * @param objectTypes the types to search; empty for every type the caller may read that has searchable fields
 * @param filter      narrows the hits; it may name the system properties {@code owner}, {@code team},
 *                    {@code created_by}, {@code updated_by}, {@code created_at}, {@code updated_at} and indexed
 *                    fields, with comparisons, {@code in}, {@code between}, {@code isNull}, {@code and}, {@code or}
 *                    and {@code not}. A type without a field the filter names is not searched.
 * @param limit       hits per page, 1 to {@value #MAX_LIMIT} (default {@value #DEFAULT_LIMIT})
 * @param offset      hits to skip, 0 to {@value #MAX_OFFSET}
 */
@Incubating
public record SearchQuery(String text, Set<String> objectTypes, Filter filter, int limit, int offset) {
    public static final int DEFAULT_LIMIT = 10;
    public static final int MAX_LIMIT = 100;
    public static final int MAX_OFFSET = 10_000;
    public static final int MAX_TEXT_LENGTH = 200;
    public static final int MAX_TERMS = 16;

    public SearchQuery {
        Objects.requireNonNull(objectTypes, "objectTypes");
        Objects.requireNonNull(text, "text");
        objectTypes = Set.copyOf(new LinkedHashSet<>(objectTypes));
        Objects.requireNonNull(filter, "filter");
    }

    /** The first {@value #DEFAULT_LIMIT} hits for {@code text} in every type. */
    public static SearchQuery of(String text) {
        return new SearchQuery(text, Set.of(), Filter.ALL, DEFAULT_LIMIT, 0);
    }

    public SearchQuery types(String... objectTypes) {
        return new SearchQuery(text, new LinkedHashSet<>(Arrays.asList(objectTypes)), filter, limit, offset);
    }

    public SearchQuery filter(Filter filter) {
        return new SearchQuery(text, objectTypes, filter, limit, offset);
    }

    public SearchQuery limit(int limit) {
        return new SearchQuery(text, objectTypes, filter, limit, offset);
    }

    public SearchQuery offset(int offset) {
        return new SearchQuery(text, objectTypes, filter, limit, offset);
    }

    /** The query for the page after {@code result}'s. */
    public SearchQuery next() {
        return offset(offset + limit);
    }
}
