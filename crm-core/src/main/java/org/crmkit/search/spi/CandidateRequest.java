package org.crmkit.search.spi;

import java.util.List;
import java.util.Objects;
import org.crmkit.query.Filter;
import org.crmkit.schema.ObjectType;

/**
 * The blocking step of a duplicate check, asked of a search engine: the ids of at most {@code limit} live records of
 * {@code type} matching {@code filter} that come near the probe, best first. A record comes near through any key whose
 * field holds a value near the key's, as the field's search role reads it: a name or other short text word by word
 * (each exactly, or with a typo or by sound when the key is {@linkplain Key#fuzzy() fuzzy}), a company name by its words without the legal form, an e-mail address
 * whole (or a domain by the address's domain), a phone number by its digits. The more keys a record comes near, and
 * the closer, the better it ranks.
 *
 * <p>The ids are only candidates: the engine reads each from the storage within the caller's scope and scores it
 * itself, so a backend may name records that are no duplicate; what it leaves out is not found.
 *
 * @param type   the object type
 * @param filter records must match it: the caller's record scope ({@link Filter#ALL} when they see every record)
 * @param keys   the probe's values, each on a searchable field of the type the caller may see (never empty)
 * @param limit  the most ids to return
 */
public record CandidateRequest(ObjectType type, Filter filter, List<Key> keys, int limit) {
    /**
     * One value of the probe to come near.
     *
     * @param field a searchable field of the type
     * @param value the value as the storage holds it (an e-mail address, an E.164 phone number), or the part of it
     *              a rule compares (a domain, a nickname's other form)
     * @param fuzzy whether a word of a name or company may also come near with a typo or by sound; false: only the
     *              same words count (a nickname's other form, a name looked for on the other name field)
     */
    public record Key(String field, String value, boolean fuzzy) {
        public Key {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(value, "value");
        }
    }

    public CandidateRequest {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(filter, "filter");
        keys = List.copyOf(keys);
        if (keys.isEmpty() || limit < 1) {
            throw new IllegalArgumentException("a candidate request needs a key and a limit of at least 1");
        }
    }
}
