package org.crmkit.search.lucene.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.util.automaton.CompiledAutomaton;
import org.apache.lucene.util.automaton.LevenshteinAutomata;
import org.apache.lucene.util.automaton.TooComplexToDeterminizeException;

/**
 * Typo matching: the Levenshtein automata of the words searched lately (transpositions count as one edit; a fixed
 * prefix only where {@code SearchTerms.typoPrefix} asks for one, the first letter of a three-letter word), kept in a bounded cache so a word typed again, or asked for on several fields, is not compiled again. They
 * depend on the word only, never on the index, so they never go stale.
 */
final class Typos {
    /** Terms a typo may expand to, per word and field (as {@code FuzzyQuery}'s default). */
    static final int MAX_EXPANSIONS = 50;

    /** The automata of one word, for 1 to {@code maxEdits} edits (none at index 0), past its first {@code prefix}. */
    record Automata(CompiledAutomaton[] byEdits, int termLength, int prefix) {
        int maxEdits() {
            return byEdits.length - 1;
        }

        CompiledAutomaton upTo(int edits) {
            return byEdits[edits];
        }
    }

    private record Key(String word, int maxEdits, int prefix) {}

    private final Cache<Key, Automata> cache = Caffeine.newBuilder().maximumSize(10_000).build();

    /**
     * The terms of {@code field} within {@code maxEdits} (1 or 2) of {@code word} that begin with its first
     * {@code prefix} code points.
     */
    Query query(String field, String word, int maxEdits, int prefix) {
        if (maxEdits < 1 || maxEdits > LevenshteinAutomata.MAXIMUM_SUPPORTED_DISTANCE) {
            throw new IllegalArgumentException("edits must be 1 or 2, not " + maxEdits);
        }
        try {
            return new TypoQuery(new Term(field, word), cache.get(new Key(word, maxEdits, prefix), Typos::build),
                    MAX_EXPANSIONS);
        } catch (TooComplexToDeterminizeException e) {
            return new MatchNoDocsQuery("no typo matching for a word this long");
        }
    }

    private static Automata build(Key key) {
        int[] codePoints = key.word().codePoints().toArray();
        int split = key.word().offsetByCodePoints(0, Math.min(key.prefix(), codePoints.length));
        LevenshteinAutomata lev = new LevenshteinAutomata(key.word().substring(split).codePoints().toArray(),
                Character.MAX_CODE_POINT, true);
        CompiledAutomaton[] out = new CompiledAutomaton[key.maxEdits() + 1];
        for (int i = 1; i <= key.maxEdits(); i++) { // none for 0 edits: a term's equality is checked directly
            out[i] = new CompiledAutomaton(lev.toAutomaton(i, key.word().substring(0, split)), true, false);
        }
        return new Automata(out, codePoints.length, key.prefix());
    }
}
