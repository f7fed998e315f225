package org.crmkit.search.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.crmkit.query.Filter;
import org.crmkit.schema.ObjectType;
import org.jspecify.annotations.Nullable;

/**
 * The blocking step of a duplicate check, asked of a search engine: the ids of at most {@code limit} live records of
 * {@code type} matching {@code filter} that come near enough to the probe, best first.
 *
 * <p>The probe is one {@link Probe} per rule field it has a value for. A record comes near a probe when it comes near
 * any of the probe's keys: a field of the record holds a value near the key's, as the field's search role reads it
 * (a name or other short text word by word, each exactly, or with a typo or by sound when the key is
 * {@linkplain Key#fuzzy() fuzzy}; a company name by its words without the legal form; an e-mail address whole, or a
 * domain by the address's domain; a phone number by its digits). A record is a candidate when the weights of the
 * probes it comes near add up to {@code weightNeeded} at least: the rules' scores are weighted means, so a record
 * near on less can be no duplicate (a first name alone, say), and a backend can run the request as a few
 * conjunctions rather than one wide disjunction. The more weight a record comes near on, and the closer, the better
 * it ranks.
 *
 * <p>The ids are only candidates: the engine reads each from the storage within the caller's scope and scores it
 * itself, so a backend may name records that are no duplicate; what it leaves out is not found. A backend that holds
 * the values of the {@link Prescreen}'s fields may leave out the candidates its test refuses, so that the engine
 * does not read them.
 *
 * @param type         the object type
 * @param filter       records must match it: the caller's record scope ({@link Filter#ALL} when they see every record)
 * @param probes       the probe's values by rule field (never empty), on searchable fields the caller may see
 * @param weightNeeded the least sum of the weights of the probes a candidate comes near (0: one probe is enough)
 * @param limit        the most ids to return
 * @param prescreen    a test of a candidate by the values the index holds, or null: none
 */
public record CandidateRequest(ObjectType type, Filter filter, List<Probe> probes, double weightNeeded, int limit,
        @Nullable Prescreen prescreen) {
    /**
     * A test the engine would run on a candidate anyway, asked before its id is returned: a backend that holds the
     * value of each of {@code fields} as written ({@code toString()} of a stored single value, as
     * {@link org.crmkit.search.support.SearchFields#text} gives it) may pass them, by field name, to {@code test}
     * (a field without a value left out) and leave out the candidates it refuses. The engine offers one only when
     * its scoring reads nothing else of a record; a backend that does not hold all the fields ignores it.
     *
     * @param fields the fields whose values the test reads (never empty)
     * @param test   whether a candidate with these values may be a duplicate
     */
    public record Prescreen(Set<String> fields, Predicate<Map<String, String>> test) {
        public Prescreen {
            fields = Set.copyOf(fields);
            Objects.requireNonNull(test, "test");
            if (fields.isEmpty()) {
                throw new IllegalArgumentException("a prescreen reads at least one field");
            }
        }
    }

    /** A request without a {@link Prescreen}. */
    public CandidateRequest(ObjectType type, Filter filter, List<Probe> probes, double weightNeeded, int limit) {
        this(type, filter, probes, weightNeeded, limit, null);
    }

    /** This request with {@code prescreen} (null: none). */
    public CandidateRequest withPrescreen(@Nullable Prescreen prescreen) {
        return new CandidateRequest(type, filter, probes, weightNeeded, limit, prescreen);
    }

    /**
     * The values of one rule field to come near, any one of them enough.
     *
     * @param weight the rule field's weight (more than 0)
     * @param keys   the values and the fields to look for them on (never empty)
     */
    public record Probe(double weight, List<Key> keys) {
        public Probe {
            keys = List.copyOf(keys);
            if (keys.isEmpty() || !(weight > 0)) {
                throw new IllegalArgumentException("a probe needs a key and a weight above 0");
            }
        }
    }

    /**
     * One value to come near, on one field.
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
        probes = List.copyOf(probes);
        if (probes.isEmpty() || limit < 1 || !(weightNeeded >= 0)) {
            throw new IllegalArgumentException("a candidate request needs a probe, a limit of at least 1 and a"
                    + " needed weight of at least 0");
        }
    }
}
