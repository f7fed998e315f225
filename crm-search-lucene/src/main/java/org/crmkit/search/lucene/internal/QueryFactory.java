package org.crmkit.search.lucene.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.search.spi.SearchRequest;
import org.crmkit.search.spi.TypeScope;
import org.crmkit.search.support.SearchFields;
import org.crmkit.search.support.SearchTerms;
import org.jspecify.annotations.Nullable;

/**
 * Builds the Lucene query of a search. Each term scores the best way it matches (a disjunction-max of constant
 * scores): exact 8, prefix 4, typo 2 (1.5 for two edits; 1.5 in a three-letter word, whose first letter must be right
 * unless a letter was dropped from a four-letter name), sound 1, times the field's weight (name 1.0, email 0.9, company 0.8, other
 * text 0.7, free text 0.5), so a weaker kind of match never outranks a stronger one. Every term must match (words
 * in any order); when that finds nothing, all but one must. Typo and sound matching run on the combined fields
 * ({@code all.*}) for types whose searchable fields and referenced records the caller sees in full, else field by
 * field. A clause on a searchable reference holds only where the referenced record is inside the caller's scope
 * (its owner and team are on the referrer's document), so an out-of-scope name neither matches nor scores.
 */
final class QueryFactory {
    static final float EXACT = 8, PREFIX = 4, FUZZY = 2, SHORT_FUZZY = 1.5f, PHONETIC = 1, TRIGRAMS = 0.9f;
    private static final float NAME = 1.0f, EMAIL = 0.9f, COMPANY = 0.8f, TEXT = 0.7f, LONG_TEXT = 0.5f;
    private static final int MIN_LONG_TEXT_PREFIX = 3;
    /** Shortest typed beginning of an email address matched as such (shorter ones match its words' prefixes). */
    private static final int MIN_EMAIL_PREFIX = 3;

    private final Analysis analysis;
    private final Typos typos;

    QueryFactory(Analysis analysis, Typos typos) {
        this.analysis = analysis;
        this.typos = typos;
    }

    /**
     * A searched field as a query sees it: its name, its role, whether it is the record's own name, and for a
     * searchable reference the caller's scope on the referenced record (null: none), which every clause on the
     * field must satisfy.
     */
    record Target(String name, SearchFields.Role role, boolean ownName, @Nullable Query scope) {
        /** {@code q} on this field, only where the referenced record is inside the caller's scope. */
        Query scoped(Query q) {
            return scope == null ? q : new BooleanQuery.Builder().add(q, Occur.MUST).add(scope, Occur.FILTER).build();
        }
    }

    /**
     * Types searched alike, and their fields: those whose searchable fields and referenced records the caller all
     * sees use the combined fields (one typo and sound expansion per word), each other type its own fields.
     */
    record Group(List<TypeScope> scopes, List<Target> targets, boolean combined) {}

    /** The text part of the query (without type and access filters), strict or relaxed. */
    List<Group> groups(SchemaSnapshot schema, SearchRequest request) {
        List<Group> groups = new ArrayList<>();
        List<TypeScope> full = new ArrayList<>();
        Map<String, Target> fullTargets = new LinkedHashMap<>();
        for (TypeScope scope : request.scopes()) {
            List<Target> targets = targets(schema, scope);
            // the combined fields hold every searchable field and every referenced name: only for a caller who
            // sees them all (a hidden field or a referenced record outside their scope would match there)
            boolean sees = scope.fields().size() == SearchFields.searchable(scope.type()).size()
                    && scope.references().size() == SearchFields.searchableReferences(schema, scope.type()).size()
                    && scope.references().stream().allMatch(TypeScope.Reference::unrestricted);
            if (sees) {
                full.add(scope);
                targets.forEach(t -> fullTargets.merge(t.name() + "/" + t.role(), t,
                        (a, b) -> a.ownName() ? a : b));
            } else {
                groups.add(new Group(List.of(scope), targets, false));
            }
        }
        if (!full.isEmpty()) {
            groups.add(0, new Group(full, List.copyOf(fullTargets.values()), true));
        }
        return groups;
    }

    private static List<Target> targets(SchemaSnapshot schema, TypeScope scope) {
        ObjectType type = scope.type();
        List<Target> out = new ArrayList<>();
        for (String name : scope.fields()) {
            Field f = type.findField(name).orElseThrow();
            out.add(new Target(name, SearchFields.role(type, f), SearchFields.nameFields(type).contains(f), null));
        }
        for (TypeScope.Reference ref : scope.references()) {
            out.add(new Target(ref.field(), SearchFields.referenceRole(type.findField(ref.field()).orElseThrow()),
                    false, ref.unrestricted() ? null : FilterQueries.ofReference(ref.field()).query(ref.scope())));
        }
        return out;
    }

    /**
     * The text query of one group: each term must match ({@code slack} 0), or, as the second try when that finds
     * nothing, all but {@code slack} of them, where a term may then also match by sharing letter trigrams with a
     * name (the last resort for words too short for typos, like "ilo" for Milo, or with more errors than allowed).
     */
    Query text(Group group, List<SearchTerms.Term> terms, int slack) {
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        int required = 0;
        for (SearchTerms.Term term : terms) {
            Query q = term(group, term);
            if (slack > 0 && group.combined() && term.digits() == null) {
                Query shared = trigrams(term);
                if (shared != null) {
                    q = new DisjunctionMaxQuery(List.of(q, shared), 0f);
                }
            }
            if (legalSuffixOnly(term) && terms.size() > 1) {
                all.add(q, Occur.SHOULD); // "Acme Ltd": Ltd helps, but is not needed
            } else {
                all.add(q, slack == 0 ? Occur.MUST : Occur.SHOULD);
                required++;
            }
        }
        if (slack > 0) {
            all.setMinimumNumberShouldMatch(Math.max(1, required - slack));
        }
        return all.build();
    }

    /** A score below a sound match ({@value #TRIGRAMS} at most) for the share of a word's letter trigrams a name holds. */
    private @Nullable Query trigrams(SearchTerms.Term term) {
        BooleanQuery.Builder each = new BooleanQuery.Builder();
        int words = 0;
        for (String w : analysis.words(term.raw())) {
            List<String> grams = Analysis.trigrams(w);
            BooleanQuery.Builder any = new BooleanQuery.Builder();
            for (String g : new LinkedHashSet<>(grams)) {
                any.add(score(new TermQuery(new Term(IndexFields.ALL_TRIGRAMS, g)), TRIGRAMS / grams.size()),
                        Occur.SHOULD);
            }
            each.add(any.build(), Occur.MUST); // any shared trigram; the share decides the order
            words++;
        }
        return words == 0 ? null : each.build();
    }

    private static boolean legalSuffixOnly(SearchTerms.Term term) {
        return term.digits() == null && term.words().stream().allMatch(Analysis.LEGAL_SUFFIXES::contains);
    }

    /** One term: the best of its readings (email, phone, words). */
    private Query term(Group group, SearchTerms.Term term) {
        List<Query> readings = new ArrayList<>();
        if (term.digits() != null) {
            String d = term.digits();
            for (Target t : group.targets()) {
                if (t.role() == SearchFields.Role.PHONE) {
                    readings.add(score(t.scoped(new TermQuery(new Term(IndexFields.digits(t.name()), d))),
                            EXACT * weight(t)));
                    readings.add(score(t.scoped(new TermQuery(new Term(IndexFields.digitSuffixes(t.name()), d))),
                            PREFIX * weight(t)));
                }
            }
        }
        if (term.emailLike()) {
            for (Target t : group.targets()) {
                if (t.role() == SearchFields.Role.EMAIL) {
                    readings.add(score(t.scoped(new TermQuery(new Term(IndexFields.email(t.name()), term.folded()))),
                            EXACT * weight(t)));
                    if (term.folded().length() >= MIN_EMAIL_PREFIX) {
                        readings.add(score(t.scoped(new PrefixQuery(new Term(IndexFields.email(t.name()),
                                term.folded()))), PREFIX * weight(t)));
                    }
                }
            }
        }
        List<String> words = analysis.words(term.raw());
        if (!words.isEmpty() && (term.digits() == null || readings.isEmpty())) {
            BooleanQuery.Builder each = new BooleanQuery.Builder();
            for (String w : words) {
                each.add(word(group, w), Occur.MUST);
            }
            readings.add(words.size() == 1 ? word(group, words.get(0)) : each.build());
        }
        return readings.size() == 1 ? readings.get(0) : new DisjunctionMaxQuery(readings, 0f);
    }

    /** One word: exact and prefix in each field; typos and sound in the combined fields or field by field. */
    private Query word(Group group, String w) {
        List<Query> ways = new ArrayList<>();
        int edits = SearchTerms.maxEdits(w);
        // the fields typos and sounds run on, each with the scope of the referenced record it holds (or none)
        Map<String, Target> fuzzyFields = new LinkedHashMap<>();
        for (Target t : group.targets()) {
            float weight = weight(t);
            switch (t.role()) {
                case PHONE -> {
                    // phones match by digits only
                }
                case LONG_TEXT -> {
                    String field = IndexFields.words(t.name(), false);
                    ways.add(score(t.scoped(new TermQuery(new Term(field, w))), EXACT * weight));
                    if (w.length() >= MIN_LONG_TEXT_PREFIX) {
                        ways.add(score(t.scoped(new PrefixQuery(new Term(field, w))), PREFIX * weight));
                    }
                    if (!group.combined()) {
                        fuzzyFields.put(field, t);
                    }
                }
                default -> {
                    boolean company = t.role() == SearchFields.Role.COMPANY;
                    String words = IndexFields.words(t.name(), company);
                    ways.add(score(t.scoped(new TermQuery(new Term(words, w))), EXACT * weight));
                    ways.add(score(t.scoped(new TermQuery(new Term(IndexFields.prefixes(t.name(), company), w))),
                            PREFIX * weight));
                    if (t.role() == SearchFields.Role.NAME && edits > 0 && SearchTerms.typoPrefix(w) > 0) {
                        // a four-letter name that lost a letter, the first too ("ail" for Gail, "ean" for Sean):
                        // one term of its typo keys, where the automaton keeps the first letter
                        ways.add(score(t.scoped(new TermQuery(new Term(IndexFields.typoKeys(t.name(), false), w))),
                                SHORT_FUZZY * weight));
                    }
                    if (!group.combined()) {
                        fuzzyFields.put(words, t);
                    }
                }
            }
        }
        Target unscoped = new Target("", SearchFields.Role.TEXT, false, null);
        if (group.combined()) {
            fuzzyFields.put(IndexFields.ALL_WORDS, unscoped);
            fuzzyFields.put(IndexFields.ALL_LONG, unscoped);
        }
        if (edits > 0) {
            int prefix = SearchTerms.typoPrefix(w);
            float kind = prefix > 0 ? SHORT_FUZZY : FUZZY;
            for (Map.Entry<String, Target> field : fuzzyFields.entrySet()) {
                float weight = field.getKey().equals(IndexFields.ALL_LONG) ? LONG_TEXT / NAME : 1f;
                // not constant: a term two edits away scores less than one a single edit away (TypoQuery)
                ways.add(new BoostQuery(field.getValue().scoped(typos.query(field.getKey(), w, edits, prefix)),
                        kind * weight));
            }
        }
        if (!w.chars().allMatch(Character::isDigit) && w.length() > 1) {
            Map<String, Target> soundFields = new LinkedHashMap<>();
            if (group.combined()) {
                soundFields.put(IndexFields.ALL_PHONETIC, unscoped);
            } else {
                for (Target t : group.targets()) {
                    if (t.role() == SearchFields.Role.NAME || t.role() == SearchFields.Role.COMPANY) {
                        soundFields.put(IndexFields.phonetic(t.name()), t);
                    }
                }
            }
            // the index holds primary and alternate codes; the query asks for the primary one only ("jon" is JN, and
            // its alternate AN would find "Anna")
            String code = analysis.primaryCode(w);
            if (code != null && !code.isEmpty()) {
                for (Map.Entry<String, Target> field : soundFields.entrySet()) {
                    ways.add(score(field.getValue().scoped(new TermQuery(new Term(field.getKey(), code))), PHONETIC));
                }
            }
        }
        return new DisjunctionMaxQuery(ways, 0f);
    }

    private static Query score(Query q, float score) {
        return new BoostQuery(new ConstantScoreQuery(q), score);
    }

    /** A record's own name counts most (a company's name included), then by role. */
    private static float weight(Target t) {
        if (t.ownName()) {
            return NAME;
        }
        return switch (t.role()) {
            case NAME -> NAME;
            case EMAIL -> EMAIL;
            case COMPANY -> COMPANY;
            case PHONE -> NAME;
            case TEXT -> TEXT;
            case LONG_TEXT -> LONG_TEXT;
        };
    }
}
