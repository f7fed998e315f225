package org.crmkit.search.lucene.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.jspecify.annotations.Nullable;

/**
 * Replaces each word by itself and the words one letter shorter it holds ({@link Analysis#typoKeys}): "john"
 * becomes "john", "ohn", "jhn", "jon", "joh"; a word of three letters stays itself, a shorter one gives nothing. Two
 * words one typo apart (a letter changed, added, dropped, or two neighbours swapped) share such a key, so typos are
 * found by looking up a few exact terms instead of running an automaton over the term dictionary.
 */
final class TypoKeysFilter extends TokenFilter {
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final PositionIncrementAttribute position = addAttribute(PositionIncrementAttribute.class);
    private final Deque<String> pending = new ArrayDeque<>();
    private @Nullable State word;

    TypoKeysFilter(TokenStream in) {
        super(in);
    }

    @Override
    public boolean incrementToken() throws IOException {
        while (pending.isEmpty()) {
            if (!input.incrementToken()) {
                return false;
            }
            pending.addAll(Analysis.typoKeys(term.toString()));
            word = captureState();
        }
        boolean first = word != null;
        if (first) {
            restoreState(word);
            word = null;
        }
        term.setEmpty().append(pending.remove());
        if (!first) {
            position.setPositionIncrement(0);
        }
        return true;
    }

    @Override
    public void reset() throws IOException {
        super.reset();
        pending.clear();
        word = null;
    }
}
