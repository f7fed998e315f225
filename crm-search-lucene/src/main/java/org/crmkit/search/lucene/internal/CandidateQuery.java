package org.crmkit.search.lucene.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TermStates;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.search.spi.CandidateRequest;
import org.crmkit.search.support.SearchFields;
import org.crmkit.search.support.SearchTerms;
import org.jspecify.annotations.Nullable;

/**
 * The Lucene query of a {@link CandidateRequest}: each probe is a disjunction of its keys on the keys' own fields
 * (never the combined {@code all.*} fields, whose term lists are far longer), scoring the probe's weight when a key
 * is met exactly and {@value #NEAR} of it when only with a typo (one edit, from four letters, found through the
 * words' typo keys) or by sound. A record must come near enough probes to
 * reach the weight needed, which the query says as the few smallest sets of probes that do ("first and last name",
 * "e-mail", "last name and phone"...), each a conjunction: Lucene leaps through the rarest list of each instead of
 * scoring every record near on any one value (every John, every Smith). Inside the type and the caller's scope.
 */
final class CandidateQuery {
    /** The share of a probe's weight a typo or sound match scores (exact: all of it). */
    static final float NEAR = 0.9f;
    /** Above this many probes the sets are not spelled out: any probe is enough. */
    private static final int MAX_PROBES_FOR_SETS = 10;

    private final Analysis analysis;

    CandidateQuery(Analysis analysis) {
        this.analysis = analysis;
    }

    /**
     * The query, or empty when no record can come near enough (no key can match, or too little weight can). Each
     * probe is rewritten once on {@code searcher} (its typo terms looked up once), however many sets it is in.
     */
    Optional<Query> of(CandidateRequest request, IndexSearcher searcher) throws IOException {
        ObjectType type = request.type();
        List<Query> probes = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        for (CandidateRequest.Probe probe : request.probes()) {
            List<Query> keys = new ArrayList<>();
            for (CandidateRequest.Key key : probe.keys()) {
                Field field = type.findField(key.field()).filter(Field::searchable).orElse(null);
                Query q = field == null ? null : key(searcher, key, SearchFields.role(type, field));
                if (q != null) {
                    keys.add(q);
                }
            }
            if (!keys.isEmpty()) {
                Query any = keys.size() == 1 ? keys.get(0) : new DisjunctionMaxQuery(keys, 0f);
                probes.add(searcher.rewrite(new BoostQuery(any, (float) probe.weight())));
                weights.add(probe.weight());
            }
        }
        List<List<Integer>> sets = sets(weights, request.weightNeeded());
        if (sets.isEmpty()) {
            return Optional.empty();
        }
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        for (List<Integer> set : sets) {
            if (set.size() == 1) {
                any.add(probes.get(set.get(0)), Occur.SHOULD);
            } else {
                BooleanQuery.Builder all = new BooleanQuery.Builder();
                set.forEach(i -> all.add(probes.get(i), Occur.MUST));
                any.add(all.build(), Occur.SHOULD);
            }
        }
        return Optional.of(new BooleanQuery.Builder()
                .add(any.setMinimumNumberShouldMatch(1).build(), Occur.MUST)
                .add(new TermQuery(new Term(IndexFields.TYPE, type.name())), Occur.FILTER)
                .add(new FilterQueries(type).query(request.filter()), Occur.FILTER).build());
    }

    /**
     * The smallest sets of probes (by index) whose weights reach {@code needed}: none of their probes can be left
     * out. Empty when all of them together do not; each probe alone when there are too many to combine.
     */
    static List<List<Integer>> sets(List<Double> weights, double needed) {
        int n = weights.size();
        List<List<Integer>> out = new ArrayList<>();
        if (n > MAX_PROBES_FOR_SETS || needed <= 0) {
            for (int i = 0; i < n; i++) {
                out.add(List.of(i));
            }
            return out;
        }
        for (int mask = 1; mask < 1 << n; mask++) {
            double sum = 0;
            double smallest = Double.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                if ((mask & 1 << i) != 0) {
                    sum += weights.get(i);
                    smallest = Math.min(smallest, weights.get(i));
                }
            }
            if (sum >= needed && sum - smallest < needed) { // reaches it, and needs every member to
                List<Integer> set = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    if ((mask & 1 << i) != 0) {
                        set.add(i);
                    }
                }
                out.add(set);
            }
        }
        return out;
    }

    /** The query of one key; null when nothing in the index can meet it. */
    private @Nullable Query key(IndexSearcher searcher, CandidateRequest.Key key, SearchFields.Role role)
            throws IOException {
        String field = key.field();
        String value = key.value();
        boolean fuzzy = key.fuzzy();
        return switch (role) {
            case EMAIL -> score(term(searcher, IndexFields.email(field), SearchTerms.fold(value)), 1);
            case PHONE -> {
                String digits = PhoneForms.digitsOf(value);
                yield digits.isEmpty() ? null : score(term(searcher, IndexFields.digits(field), digits), 1);
            }
            case NAME -> words(searcher, analysis.words(value), IndexFields.words(field, false),
                    fuzzy ? IndexFields.phonetic(field) : null, fuzzy ? IndexFields.typoKeys(field, false) : null, 1);
            case COMPANY -> {
                List<String> all = analysis.words(DocumentMapper.withoutLegalSuffixes(value));
                yield words(searcher, all, IndexFields.words(field, true), fuzzy ? IndexFields.phonetic(field) : null,
                        fuzzy ? IndexFields.typoKeys(field, true) : null, 1);
            }
            case TEXT, LONG_TEXT -> {
                List<String> all = analysis.words(value);
                yield words(searcher, all, IndexFields.words(field, false), null, null, all.size());
            }
        };
    }

    /**
     * Each word exactly, with a typo ({@code typoKeys}: the field of the words' typo keys; null: not), or by its
     * sound ({@code phonetic} null: not); {@code needed} of them. Null when fewer words than that can match.
     */
    private @Nullable Query words(IndexSearcher searcher, List<String> words, String field, @Nullable String phonetic,
            @Nullable String typoKeys, int needed) throws IOException {
        BooleanQuery.Builder each = new BooleanQuery.Builder();
        int matchable = 0;
        for (String w : words) {
            List<Query> ways = new ArrayList<>();
            addScored(ways, term(searcher, field, w), 1);
            if (typoKeys != null) {
                addScored(ways, typo(searcher, typoKeys, w), NEAR);
            }
            if (phonetic != null && w.length() >= 2) {
                String code = analysis.primaryCode(w);
                if (code != null && !code.isEmpty()) {
                    addScored(ways, term(searcher, phonetic, code), NEAR);
                }
            }
            if (!ways.isEmpty()) {
                each.add(ways.size() == 1 ? ways.get(0) : new DisjunctionMaxQuery(ways, 0f), Occur.SHOULD);
                matchable++;
            }
        }
        return matchable == 0 || matchable < needed ? null : each.setMinimumNumberShouldMatch(needed).build();
    }

    /**
     * The words one typo from {@code w} (one edit: sounds catch the rest), by exact terms instead of an automaton:
     * the words sharing a typo key with it ({@link Analysis#typoKeys}): one letter added, dropped or changed, or two
     * neighbours swapped; now and then two edits, which the rule's scoring then weighs. Null for a word under
     * {@value Analysis#DELETIONS_FROM} letters, or when no such word is indexed.
     */
    static @Nullable Query typo(IndexSearcher searcher, String keysField, String w) throws IOException {
        if (w.codePointCount(0, w.length()) < Analysis.DELETIONS_FROM) {
            return null;
        }
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        int found = 0;
        for (String key : Analysis.typoKeys(w)) {
            found += add(any, term(searcher, keysField, key));
        }
        return found == 0 ? null : any.build();
    }

    private static int add(BooleanQuery.Builder any, @Nullable Query q) {
        if (q == null) {
            return 0;
        }
        any.add(q, Occur.SHOULD);
        return 1;
    }

    /**
     * The term's query with its place in each segment looked up once, here (a set of probes uses a probe more
     * than once); null when no document holds it.
     */
    private static @Nullable Query term(IndexSearcher searcher, String field, String text) throws IOException {
        Term t = new Term(field, text);
        TermStates states = TermStates.build(searcher, t, true);
        return states.docFreq() == 0 ? null : new TermQuery(t, states);
    }

    private static void addScored(List<Query> ways, @Nullable Query q, float score) {
        if (q != null) {
            ways.add(scoreOf(q, score));
        }
    }

    private static @Nullable Query score(@Nullable Query q, float score) {
        return q == null ? null : scoreOf(q, score);
    }

    private static Query scoreOf(Query q, float score) {
        return new BoostQuery(new ConstantScoreQuery(q), score);
    }
}
