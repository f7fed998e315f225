package org.crmkit.search.lucene.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.DelegatingAnalyzerWrapper;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.phonetic.DoubleMetaphoneFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.commons.codec.language.DoubleMetaphone;
import org.jspecify.annotations.Nullable;

/**
 * The analysis of each kind of index field: folded words (lower case, accents folded: "Müller" is "muller"),
 * the same without legal suffixes for company names ("Acme Ltd" is "acme"), their prefixes (type-ahead, 1 to
 * 20 characters), and their Double Metaphone codes (Jon and John, Steven and Stephen, Meyer and Maier). Query
 * words go through {@link #words(String)}, the analysis of {@code t.*} fields, so both sides agree.
 */
final class Analysis {
    /** Legal forms that say nothing about which company is meant. */
    static final CharArraySet LEGAL_SUFFIXES = new CharArraySet(List.of("inc", "incorporated", "ltd", "limited",
            "llc", "llp", "lp", "plc", "corp", "corporation", "co", "company", "gmbh", "ag", "kg", "ug", "mbh", "sa",
            "sas", "sarl", "srl", "spa", "bv", "nv", "ab", "as", "asa", "oy", "oyj", "aps", "pty", "pte", "kk", "se",
            "sl", "lda", "group", "holding", "holdings"), false);

    static final int MAX_PREFIX = 20;
    /** Words this long or longer are indexed with their deletions ({@link #typoKeys}) and searched with a typo. */
    static final int DELETIONS_FROM = 4;
    private static final int METAPHONE_LENGTH = 6;

    private final Analyzer words = analyzer(false, s -> s);
    private final Analyzer companyWords = analyzer(true, s -> s);
    private final Analyzer prefixes = analyzer(false, Analysis::prefixes);
    private final Analyzer companyPrefixes = analyzer(true, Analysis::prefixes);
    private final Analyzer phonetic = analyzer(false, s -> new DoubleMetaphoneFilter(s, METAPHONE_LENGTH, false));
    private final Analyzer typoKeys = analyzer(false, TypoKeysFilter::new);
    private final Analyzer companyTypoKeys = analyzer(true, TypoKeysFilter::new);
    private final Analyzer trigrams = new Analyzer() {
        @Override
        protected TokenStreamComponents createComponents(String fieldName) {
            Tokenizer source = new StandardTokenizer();
            TokenStream s = new ASCIIFoldingFilter(new LowerCaseFilter(source));
            s = new org.apache.lucene.analysis.pattern.PatternReplaceFilter(s, WHOLE, "_$1_", false);
            s = new org.apache.lucene.analysis.ngram.NGramTokenFilter(s, 3, 3, false);
            return new TokenStreamComponents(source, s);
        }
    };
    private static final java.util.regex.Pattern WHOLE = java.util.regex.Pattern.compile("^(.*)$");
    private final DoubleMetaphone metaphone = new DoubleMetaphone();

    Analysis() {
        metaphone.setMaxCodeLen(METAPHONE_LENGTH);
    }

    /** Per-field analysis by the field's name prefix; {@code c.*} names are company-name variants. */
    Analyzer indexAnalyzer() {
        return new DelegatingAnalyzerWrapper(Analyzer.PER_FIELD_REUSE_STRATEGY) {
            @Override
            protected Analyzer getWrappedAnalyzer(String field) {
                if (field.equals(IndexFields.ALL_PHONETIC) || field.startsWith("ph.")) {
                    return phonetic;
                }
                if (field.equals(IndexFields.ALL_TRIGRAMS)) {
                    return trigrams;
                }
                if (field.startsWith("p.")) {
                    return prefixes;
                }
                if (field.startsWith("cp.")) {
                    return companyPrefixes;
                }
                if (field.startsWith("ct.")) {
                    return companyWords;
                }
                if (field.startsWith("dl.")) {
                    return typoKeys;
                }
                if (field.startsWith("cdl.")) {
                    return companyTypoKeys;
                }
                return words;
            }
        };
    }

    /** Folded words, without legal suffixes when {@code dropLegalSuffixes}, then {@code then}. */
    private static Analyzer analyzer(boolean dropLegalSuffixes, UnaryOperator<TokenStream> then) {
        return new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String fieldName) {
                Tokenizer source = new StandardTokenizer();
                TokenStream s = new ASCIIFoldingFilter(new LowerCaseFilter(source));
                if (dropLegalSuffixes) {
                    s = new StopFilter(s, LEGAL_SUFFIXES);
                }
                return new TokenStreamComponents(source, then.apply(s));
            }

            @Override
            protected TokenStream normalize(String fieldName, TokenStream in) {
                return new ASCIIFoldingFilter(new LowerCaseFilter(in));
            }
        };
    }

    private static TokenStream prefixes(TokenStream s) {
        return new EdgeNGramTokenFilter(s, 1, MAX_PREFIX, true);
    }

    /**
     * A folded word's typo keys: the word itself (from {@value #DELETIONS_FROM} - 1 letters) and the distinct words
     * one letter shorter that it holds (from {@value #DELETIONS_FROM} letters): "john" has john, ohn, jhn, jon, joh;
     * "ana" only ana; "al" none. A word one typo from a word of {@value #DELETIONS_FROM} letters or more shares a key
     * with it. Letters are code points.
     */
    static List<String> typoKeys(String word) {
        int[] letters = word.codePoints().toArray();
        if (letters.length < DELETIONS_FROM - 1) {
            return List.of();
        }
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        out.add(word);
        for (int skip = 0; letters.length >= DELETIONS_FROM && skip < letters.length; skip++) {
            StringBuilder b = new StringBuilder(word.length());
            for (int i = 0; i < letters.length; i++) {
                if (i != skip) {
                    b.appendCodePoint(letters[i]);
                }
            }
            out.add(b.toString());
        }
        return List.copyOf(out);
    }

    /** The folded words of a query term, as the {@code t.*} fields hold them. */
    List<String> words(String text) {
        return tokens(words, text);
    }

    /** The three-letter pieces of a folded word between {@code _} marks ("milo": _mi, mil, ilo, lo_). */
    static List<String> trigrams(String word) {
        String w = "_" + word + "_";
        List<String> out = new ArrayList<>();
        for (int i = 0; i + 3 <= w.length(); i++) {
            out.add(w.substring(i, i + 3));
        }
        return out;
    }

    /** The primary Double Metaphone code of a folded word (what queries and highlighting compare). */
    @Nullable
    String primaryCode(String word) {
        return metaphone.doubleMetaphone(word, false);
    }

    private static List<String> tokens(Analyzer analyzer, String text) {
        List<String> out = new ArrayList<>();
        try (TokenStream ts = analyzer.tokenStream("q", text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                out.add(term.toString());
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
