package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.crmkit.duplicate.DuplicateRules;
import org.crmkit.duplicate.FieldMatch;
import org.crmkit.internal.duplicate.Keys;
import org.crmkit.internal.duplicate.Nicknames;
import org.crmkit.internal.duplicate.Scorer;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.crmkit.search.spi.CandidateRequest;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.jspecify.annotations.Nullable;

/**
 * The blocking keys of a duplicate check: what to ask the search engine, and the storage filter that fetches the
 * records sharing a key with the probe. Storage keys: an e-mail ignoring case (a case-insensitive prefix match on the
 * whole address), a phone or exact value by equality, a domain by its name, a company name by three-letter pieces of
 * its words as written and folded ({@link Keys#companyPieces}: "Café Crème" finds "CAFÉ CRÈME GmbH"), and personal
 * names by their first two letters (or those of a nickname's other forms), both names together when two are given
 * (either way round, for swapped names), or one name's third and fourth letters anywhere in it (the last two of a
 * shorter name) with the other's beginning, for a typo in the first letters of one of them.
 */
final class DuplicateKeys {
    /** Most records the storage path fetches per check. */
    static final int STORAGE_LIMIT = 500;
    /** Most ids taken from a search engine's candidate query. */
    static final int CANDIDATE_LIMIT = 20;
    /** Most hits taken from each search. */
    static final int SEARCH_LIMIT = 10;
    private static final int NAME_PREFIX = 2;
    /** How many three-letter pieces of a company name its storage filter looks for at most. */
    private static final int COMPANY_PIECES = 8;

    private final ObjectType type;
    private final DuplicateRules rules;
    private final Map<String, ?> probe;

    DuplicateKeys(ObjectType type, DuplicateRules rules, Map<String, ?> probe) {
        this.type = type;
        this.rules = rules;
        this.probe = probe;
    }

    /** The texts to search for: the names together, then each other rule value of the fields {@code indexed} takes. */
    List<String> searchTexts(Predicate<Field> indexed) {
        Set<String> out = new LinkedHashSet<>();
        List<String> names = new ArrayList<>();
        for (FieldMatch m : rules.fields()) {
            String v = value(m.field());
            if (v == null || !indexed.test(type.findField(m.field()).orElseThrow())) {
                continue;
            }
            switch (m.method()) {
                case FUZZY_NAME, PHONETIC -> names.add(Keys.name(v));
                case COMPANY_NAME -> out.add(Keys.company(v));
                case DOMAIN -> {
                    String d = Keys.domain(v);
                    if (d != null) {
                        out.add(d);
                    }
                }
                default -> out.add(v);
            }
        }
        List<String> all = new ArrayList<>();
        if (!names.isEmpty()) {
            all.add(String.join(" ", names));
            for (int i = 0; i < names.size(); i++) { // nicknames: Bill Gates finds William Gates
                for (String v : Nicknames.variants(names.get(i))) {
                    List<String> other = new ArrayList<>(names);
                    other.set(i, v);
                    all.add(String.join(" ", other));
                }
            }
        }
        all.addAll(out);
        return all.stream().filter(t -> !t.isBlank()).toList();
    }

    /**
     * What to ask the search engine for candidates by ({@link CandidateRequest}), on the rule fields {@code indexed}
     * takes, one probe each: a personal name on its field with typos and by sound, and as written on the other name
     * fields of the rules (swapped names), its nicknames' other forms as written on each; a company name (with
     * typos), e-mail, phone or other value on its own field; a domain as such. The weight needed is what a
     * duplicate must match on at least ({@code threshold x minimumWeight}: a score is a weighted mean of
     * similarities at most 1), less what the index cannot see (rule fields it does not index, values that make no
     * key). Empty when no key is left.
     */
    Optional<CandidateRequest> candidates(Predicate<Field> indexed, Filter scope, int limit) {
        List<String> nameFields = rules.fields().stream()
                .filter(m -> Scorer.isName(m.method()))
                .map(FieldMatch::field).filter(f -> indexed.test(type.findField(f).orElseThrow())).toList();
        List<CandidateRequest.Probe> probes = new ArrayList<>();
        double unseen = 0;
        for (FieldMatch m : rules.fields()) {
            String v = value(m.field());
            if (v == null) {
                continue;
            }
            Set<CandidateRequest.Key> keys = new LinkedHashSet<>();
            if (indexed.test(type.findField(m.field()).orElseThrow())) {
                switch (m.method()) {
                    case FUZZY_NAME, PHONETIC -> {
                        keys.add(new CandidateRequest.Key(m.field(), v, true));
                        List<String> forms = new ArrayList<>();
                        forms.add(v);
                        forms.addAll(Nicknames.variants(Keys.name(v)));
                        for (String name : nameFields) {
                            forms.stream().filter(form -> !(form.equals(v) && name.equals(m.field())))
                                    .forEach(form -> keys.add(new CandidateRequest.Key(name, form, false)));
                        }
                    }
                    case DOMAIN -> {
                        String d = Keys.domain(v);
                        if (d != null) {
                            keys.add(new CandidateRequest.Key(m.field(), d, false));
                        }
                    }
                    default -> keys.add(new CandidateRequest.Key(m.field(), v, true));
                }
            }
            if (keys.isEmpty() || !(m.weight() > 0)) {
                unseen += Math.max(0, m.weight());
            } else {
                probes.add(new CandidateRequest.Probe(m.weight(), List.copyOf(keys)));
            }
        }
        if (probes.isEmpty()) {
            return Optional.empty();
        }
        double needed = Math.max(0, (rules.threshold() - 1e-9) * rules.minimumWeight() - unseen - 1e-9);
        return Optional.of(new CandidateRequest(type, scope, probes, needed, limit));
    }

    /** The storage filter for the rule fields among {@code fields}, within {@code scope}; empty when no key is set. */
    Optional<Filter> storageFilter(List<Field> fields, @Nullable Filter scope) {
        Set<String> chosen = new java.util.HashSet<>();
        fields.forEach(f -> chosen.add(f.name()));
        List<Filter> any = new ArrayList<>();
        List<Map.Entry<String, Set<String>>> names = new ArrayList<>(); // field, prefixes of the name and nicknames
        List<String> middle = new ArrayList<>(); // of each name, two letters past its beginning
        for (FieldMatch m : rules.fields()) {
            String v = value(m.field());
            if (v == null || !chosen.contains(m.field())) {
                continue;
            }
            String f = m.field();
            switch (m.method()) {
                case EMAIL -> any.add(Filters.where(f).startsWith(Keys.email(v)));
                case PHONE, EXACT -> any.add(Filters.where(f).eq(probe.get(f)));
                case FOLDED -> any.add(Filters.where(f).startsWith(prefix(Keys.folded(v), 3)));
                case FUZZY_NAME, PHONETIC -> {
                    String n = Keys.name(v);
                    if (!n.isEmpty()) {
                        String first = n.split(" ")[0];
                        Set<String> prefixes = new java.util.TreeSet<>();
                        prefixes.add(prefix(first, NAME_PREFIX));
                        Nicknames.variants(n).forEach(x -> prefixes.add(prefix(x, NAME_PREFIX)));
                        names.add(Map.entry(f, prefixes));
                        middle.add(first.length() >= 4 ? first.substring(2, 4)
                                : first.substring(Math.max(0, first.length() - 2)));
                    }
                }
                case COMPANY_NAME -> Keys.companyPieces(v, COMPANY_PIECES)
                        .forEach(piece -> any.add(Filters.where(f).contains(piece)));
                case DOMAIN -> {
                    String d = Keys.domain(v);
                    if (d != null) {
                        any.add(Filters.where(f).contains(d));
                    }
                }
            }
        }
        if (names.size() >= 2) {
            var a = names.get(0);
            var b = names.get(1);
            any.add(Filters.and(startsWith(a.getKey(), a.getValue()), startsWith(b.getKey(), b.getValue())));
            any.add(Filters.and(startsWith(a.getKey(), b.getValue()), startsWith(b.getKey(), a.getValue())));
            // a typo in the first letters of one name: its middle letters and the other name's beginning
            any.add(Filters.and(Filters.where(a.getKey()).contains(middle.get(0)), startsWith(b.getKey(),
                    b.getValue())));
            any.add(Filters.and(startsWith(a.getKey(), a.getValue()), Filters.where(b.getKey()).contains(
                    middle.get(1))));
        } else if (names.size() == 1) {
            for (FieldMatch m : rules.fields()) {
                if (Scorer.isName(m.method()) && chosen.contains(m.field())) {
                    any.add(startsWith(m.field(), names.get(0).getValue()));
                }
            }
        }
        if (any.isEmpty()) {
            return Optional.empty();
        }
        Filter keys = any.size() == 1 ? any.get(0) : new Filter.Or(any);
        return Optional.of(scope == null ? keys : Filters.and(scope, keys));
    }

    private static Filter startsWith(String field, Set<String> prefixes) {
        List<Filter> any = prefixes.stream().map(p -> Filters.where(field).startsWith(p)).toList();
        return any.size() == 1 ? any.get(0) : new Filter.Or(any);
    }

    private @Nullable String value(String field) {
        Object v = probe.get(field);
        if (v == null) {
            return null;
        }
        String s = v.toString();
        return s.isBlank() ? null : s;
    }

    private static String prefix(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n);
    }
}
