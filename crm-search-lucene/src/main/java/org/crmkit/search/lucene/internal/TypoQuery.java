package org.crmkit.search.lucene.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermStates;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BoostAttribute;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopTermsRewrite;
import org.apache.lucene.search.MultiTermQuery;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.util.AttributeSource;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.UnicodeUtil;

/**
 * The terms of a field within a few edits of a word, as {@code FuzzyQuery} finds them (the same automata, the same
 * similarity {@code 1 - edits / shorter length}, the best {@code maxExpansions} terms by similarity; a document
 * scores 1 for a term one edit away, {@value #TWO_EDITS} for two), over Levenshtein
 * automata built once per word by {@link Typos} instead of on every rewrite: building them was a third of a search's
 * time, and a search asks for the same word on several fields.
 */
final class TypoQuery extends MultiTermQuery {
    private final Term term;
    private final Typos.Automata automata;
    private final int maxExpansions;

    /** How a term two edits away scores against one a single edit away (or the word itself). */
    static final float TWO_EDITS = 0.75f;

    TypoQuery(Term term, Typos.Automata automata, int maxExpansions) {
        super(term.field(), new FewestEditsRewrite(maxExpansions, automata.termLength()));
        this.term = term;
        this.automata = automata;
        this.maxExpansions = maxExpansions;
    }

    @Override
    protected TermsEnum getTermsEnum(Terms terms, AttributeSource atts) throws IOException {
        return new SimilarityEnum(terms.intersect(automata.upTo(automata.maxEdits()), null));
    }

    /** The intersection with the widest automaton, each term's boost its similarity to the word. */
    private final class SimilarityEnum extends FilterLeafReader.FilterTermsEnum {
        private final BoostAttribute boost;

        SimilarityEnum(TermsEnum in) {
            super(in);
            this.boost = in.attributes().addAttribute(BoostAttribute.class);
        }

        @Override
        public BytesRef next() throws IOException {
            BytesRef t = in.next();
            if (t != null) {
                boost.setBoost(similarity(t));
            }
            return t;
        }
    }

    /**
     * The best {@code size} terms by similarity, as {@code FuzzyQuery} picks them; a document scores by its best term:
     * 1 for one edit (or none), {@link #TWO_EDITS} for two, so "Goncalvs" finds Gonçalves above Gonçalo.
     */
    private static final class FewestEditsRewrite extends TopTermsRewrite<List<Query>> {
        private final int termLength;

        FewestEditsRewrite(int size, int termLength) {
            super(size);
            this.termLength = termLength;
        }

        @Override
        protected int getMaxSize() {
            return IndexSearcher.getMaxClauseCount();
        }

        @Override
        protected List<Query> getTopLevelBuilder() {
            return new ArrayList<>();
        }

        @Override
        protected Query build(List<Query> builder) {
            return builder.isEmpty() ? new MatchNoDocsQuery("no term within the typos")
                    : new DisjunctionMaxQuery(builder, 0f);
        }

        @Override
        protected void addClause(List<Query> topLevel, Term t, int docCount, float boost, TermStates states) {
            // the similarity is 1 - edits / shorter length: more than one edit when below 1 - 1 / shorter length
            int shorter = Math.min(t.text().codePointCount(0, t.text().length()), termLength);
            float score = boost >= 1f - 1f / shorter - 1e-4f ? 1f : TWO_EDITS;
            topLevel.add(new BoostQuery(new ConstantScoreQuery(new TermQuery(t, states)), score));
        }
    }

    private float similarity(BytesRef t) {
        int edits = automata.maxEdits();
        while (edits > 0 && (edits == 1 ? t.bytesEquals(term.bytes())
                : automata.upTo(edits - 1).runAutomaton.run(t.bytes, t.offset, t.length))) {
            edits--;
        }
        if (edits == 0) {
            return 1f;
        }
        return 1f - (float) edits / Math.min(UnicodeUtil.codePointCount(t), automata.termLength());
    }

    @Override
    public void visit(QueryVisitor visitor) {
        if (visitor.acceptField(field)) {
            visitor.consumeTermsMatching(this, field, () -> automata.upTo(automata.maxEdits()).runAutomaton);
        }
    }

    @Override
    public String toString(String defaultField) {
        return (field.equals(defaultField) ? "" : field + ":") + term.text() + "~" + automata.maxEdits()
                + (automata.prefix() > 0 ? "/" + automata.prefix() : "");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TypoQuery q && q.term.equals(term) && q.automata.maxEdits() == automata.maxEdits()
                && q.automata.prefix() == automata.prefix() && q.maxExpansions == maxExpansions;
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), term, automata.maxEdits(), automata.prefix(), maxExpansions);
    }
}
