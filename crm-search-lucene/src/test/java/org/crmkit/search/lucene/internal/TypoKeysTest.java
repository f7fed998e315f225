package org.crmkit.search.lucene.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field.Store;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.crmkit.search.support.SearchTerms;
import org.junit.jupiter.api.Test;

/**
 * Typos through typo keys ({@link Analysis#typoKeys}, {@link TypoKeysFilter}, {@code CandidateQuery.typo}): every
 * word one edit from a searched word of four letters or more is found by exact terms alone.
 */
class TypoKeysTest {
    private final Analyzer analyzer = new Analysis().indexAnalyzer();

    @Test
    void aWordsTypoKeysAreItselfAndTheWordsOneLetterShorterFromFourLetters() {
        assertThat(Analysis.typoKeys("john")).containsExactly("john", "ohn", "jhn", "jon", "joh");
        assertThat(Analysis.typoKeys("anna")).containsExactly("anna", "nna", "ana", "ann");
        assertThat(Analysis.typoKeys("ana")).containsExactly("ana");
        assertThat(Analysis.typoKeys("al")).isEmpty();
        assertThat(Analysis.typoKeys("ab\uD835\uDCB3c")).containsExactly("ab\uD835\uDCB3c", "b\uD835\uDCB3c",
                "a\uD835\uDCB3c", "abc", "ab\uD835\uDCB3"); // letters are code points, never half a surrogate pair
    }

    @Test
    void theTypoKeyFieldsHoldTheFoldedWordsKeysAndCompanyNamesLoseTheirLegalForm() throws IOException {
        assertThat(tokens(IndexFields.typoKeys("first_name", false), "Jöhn Ng"))
                .containsExactly("john", "ohn", "jhn", "jon", "joh");
        assertThat(tokens(IndexFields.typoKeys("name", true), "Acme GmbH")).containsExactly("acme", "cme", "ame",
                "ace", "acm");
    }

    @Test
    void everyWordOneEditAwayIsFound() {
        qt().withExamples(300).forAll(longs().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            String searched = word(r, 4, 9);
            String stored = oneEdit(r, searched);
            if (SearchTerms.distance(searched, stored, 1) != 1) {
                return; // a letter changed into itself, or swapped with its twin
            }
            assertThat(found(searched, stored)).as("%s finds %s", searched, stored).isTrue();
        });
    }

    @Test
    void wordsTwoEditsApartAreMostlyNotFound() {
        assertThat(found("smith", "smyht")).isFalse();
        assertThat(found("maria", "mario")).isTrue();
        assertThat(found("jon", "john")).isFalse(); // three letters: no typo, sounds find it
    }

    private boolean found(String searched, String stored) {
        try (ByteBuffersDirectory dir = new ByteBuffersDirectory()) {
            try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(analyzer))) {
                Document d = new Document();
                d.add(new TextField(IndexFields.typoKeys("n", false), stored, Store.NO));
                w.addDocument(d);
            }
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                IndexSearcher searcher = new IndexSearcher(reader);
                Query q = CandidateQuery.typo(searcher, IndexFields.typoKeys("n", false), searched);
                return q != null && searcher.count(q) == 1;
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private List<String> tokens(String field, String text) throws IOException {
        List<String> out = new ArrayList<>();
        try (TokenStream ts = analyzer.tokenStream(field, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                out.add(term.toString());
            }
            ts.end();
        }
        return out;
    }

    private static String word(Random r, int min, int max) {
        StringBuilder b = new StringBuilder();
        int n = min + r.nextInt(max - min + 1);
        for (int i = 0; i < n; i++) {
            b.append("abcde".charAt(r.nextInt(5)));
        }
        return b.toString();
    }

    /** {@code w} with one letter added, dropped, changed, or two neighbours swapped. */
    private static String oneEdit(Random r, String w) {
        int i = r.nextInt(w.length());
        char c = "abcde".charAt(r.nextInt(5));
        return switch (r.nextInt(4)) {
            case 0 -> w.substring(0, i) + c + w.substring(i);
            case 1 -> w.substring(0, i) + w.substring(i + 1);
            case 2 -> w.substring(0, i) + c + w.substring(i + 1);
            default -> i + 1 < w.length() ? w.substring(0, i) + w.charAt(i + 1) + w.charAt(i) + w.substring(i + 2)
                    : w.substring(0, i) + c;
        };
    }
}
