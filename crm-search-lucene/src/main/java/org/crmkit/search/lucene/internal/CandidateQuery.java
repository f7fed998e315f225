package org.crmkit.search.lucene.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.search.spi.CandidateRequest;
import org.crmkit.search.support.SearchFields;
import org.crmkit.search.support.SearchTerms;
import org.jspecify.annotations.Nullable;

/**
 * The Lucene query of a {@link CandidateRequest}: one clause per key on the key's own field (never the combined
 * {@code all.*} fields, whose term lists are far longer), any of them enough, scores adding up so that a record near
 * several keys ranks first. An e-mail address or phone number counts {@value #SAME}, a word of a name or company
 * {@value #WORD} when equal and, for a fuzzy key, {@value #NEAR} with a typo or by sound; a name or company key needs one of its words
 * near, other text all of them. Inside the type and the caller's scope.
 */
final class CandidateQuery {
    static final float SAME = 8, WORD = 2, NEAR = 1;

    private final Analysis analysis;
    private final Typos typos;

    CandidateQuery(Analysis analysis, Typos typos) {
        this.analysis = analysis;
        this.typos = typos;
    }

    /** The query, or empty when no key can match anything (no word, no digit, not a searchable field). */
    Optional<Query> of(CandidateRequest request) {
        ObjectType type = request.type();
        BooleanQuery.Builder near = new BooleanQuery.Builder();
        int clauses = 0;
        for (CandidateRequest.Key key : request.keys()) {
            Field field = type.findField(key.field()).filter(Field::searchable).orElse(null);
            Query q = field == null ? null : key(key, SearchFields.role(type, field));
            if (q != null) {
                near.add(q, Occur.SHOULD);
                clauses++;
            }
        }
        if (clauses == 0) {
            return Optional.empty();
        }
        return Optional.of(new BooleanQuery.Builder()
                .add(near.setMinimumNumberShouldMatch(1).build(), Occur.MUST)
                .add(new TermQuery(new Term(IndexFields.TYPE, type.name())), Occur.FILTER)
                .add(new FilterQueries(type).query(request.filter()), Occur.FILTER).build());
    }

    private @Nullable Query key(CandidateRequest.Key key, SearchFields.Role role) {
        String field = key.field();
        String value = key.value();
        boolean fuzzy = key.fuzzy();
        return switch (role) {
            case EMAIL -> score(new TermQuery(new Term(IndexFields.email(field), SearchTerms.fold(value))), SAME);
            case PHONE -> {
                String digits = PhoneForms.digitsOf(value);
                yield digits.isEmpty() ? null
                        : score(new TermQuery(new Term(IndexFields.digits(field), digits)), SAME);
            }
            case NAME -> words(analysis.words(value), IndexFields.words(field, false),
                    fuzzy ? IndexFields.phonetic(field) : null, fuzzy, 1);
            case COMPANY -> {
                List<String> all = analysis.words(DocumentMapper.withoutLegalSuffixes(value));
                yield words(all, IndexFields.words(field, true), fuzzy ? IndexFields.phonetic(field) : null, fuzzy,
                        1);
            }
            case TEXT, LONG_TEXT -> {
                List<String> all = analysis.words(value);
                yield words(all, IndexFields.words(field, false), null, false, all.size());
            }
        };
    }

    /**
     * Each word exactly, within its typos ({@code typos}), or by its sound ({@code phonetic} null: not); {@code needed}
     * of them.
     */
    private @Nullable Query words(List<String> words, String field, @Nullable String phonetic, boolean typos,
            int needed) {
        if (words.isEmpty()) {
            return null;
        }
        BooleanQuery.Builder each = new BooleanQuery.Builder();
        for (String w : words) {
            List<Query> ways = new ArrayList<>();
            ways.add(score(new TermQuery(new Term(field, w)), WORD));
            int edits = typos ? SearchTerms.maxEdits(w) : 0;
            if (edits > 0) {
                ways.add(score(this.typos.query(field, w, edits), NEAR));
            }
            String code = phonetic == null || w.length() < 2 ? null : analysis.primaryCode(w);
            if (code != null && !code.isEmpty()) {
                ways.add(score(new TermQuery(new Term(phonetic, code)), NEAR));
            }
            each.add(ways.size() == 1 ? ways.get(0) : new DisjunctionMaxQuery(ways, 0f), Occur.SHOULD);
        }
        return each.setMinimumNumberShouldMatch(needed).build();
    }

    private static Query score(Query q, float score) {
        return new BoostQuery(new ConstantScoreQuery(q), score);
    }
}
