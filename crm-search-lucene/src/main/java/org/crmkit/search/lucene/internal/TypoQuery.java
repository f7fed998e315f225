package org.crmkit.search.lucene.internal;

import java.io.IOException;
import java.util.Objects;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BoostAttribute;
import org.apache.lucene.search.MultiTermQuery;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.util.AttributeSource;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.UnicodeUtil;

/**
 * The terms of a field within a few edits of a word, as {@code FuzzyQuery} finds them (the same automata, the same
 * similarity {@code 1 - edits / shorter length}, the best {@code maxExpansions} terms by similarity), over Levenshtein
 * automata built once per word by {@link Typos} instead of on every rewrite: building them was a third of a search's
 * time, and a search asks for the same word on several fields.
 */
final class TypoQuery extends MultiTermQuery {
    private final Term term;
    private final Typos.Automata automata;
    private final int maxExpansions;

    TypoQuery(Term term, Typos.Automata automata, int maxExpansions) {
        super(term.field(), new TopTermsBlendedFreqScoringRewrite(maxExpansions));
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
        return (field.equals(defaultField) ? "" : field + ":") + term.text() + "~" + automata.maxEdits();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TypoQuery q && q.term.equals(term) && q.automata.maxEdits() == automata.maxEdits()
                && q.maxExpansions == maxExpansions;
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), term, automata.maxEdits(), maxExpansions);
    }
}
