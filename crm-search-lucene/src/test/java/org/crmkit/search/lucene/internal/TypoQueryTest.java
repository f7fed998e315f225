package org.crmkit.search.lucene.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.IOException;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link TypoQuery} over cached automata matches exactly the documents {@code FuzzyQuery} matches (same edits,
 * transpositions, prefix length, the best 50 terms), on an index of words from a four-letter alphabet, where most words have far
 * more than 50 neighbours within two edits, so the choice of the best terms is tested too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TypoQueryTest {
    private static final String FIELD = "w";
    private final ByteBuffersDirectory dir = new ByteBuffersDirectory();
    private DirectoryReader reader;
    private IndexSearcher searcher;
    private final Typos typos = new Typos();

    private static String word(Random r, int min, int max) {
        StringBuilder b = new StringBuilder();
        int n = min + r.nextInt(max - min + 1);
        for (int i = 0; i < n; i++) {
            b.append("abcé".charAt(r.nextInt(4)));
        }
        return b.toString();
    }

    @BeforeAll
    void index() throws IOException {
        Random r = new Random(42);
        try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(new KeywordAnalyzer()))) {
            for (int i = 0; i < 6_000; i++) {
                Document d = new Document();
                d.add(new StringField(FIELD, word(r, 3, 10), Field.Store.NO));
                w.addDocument(d);
                if (i % 1_500 == 0) {
                    w.commit(); // several segments: the automata are shared across them
                }
            }
        }
        reader = DirectoryReader.open(dir);
        searcher = new IndexSearcher(reader);
    }

    @AfterAll
    void close() throws IOException {
        reader.close();
        dir.close();
    }

    private Set<Integer> docs(Query q) throws IOException {
        Set<Integer> out = new HashSet<>();
        for (ScoreDoc sd : searcher.search(new ConstantScoreQuery(q), 10_000).scoreDocs) {
            out.add(sd.doc);
        }
        return out;
    }

    @Test
    void matchesWhatFuzzyQueryMatches() {
        qt().withExamples(300).forAll(longs().all(), integers().between(1, 2), integers().between(0, 1))
                .checkAssert((seed, edits, prefix) -> {
                    String w = word(new Random(seed), 2, 11);
                    try {
                        Set<Integer> fuzzy = docs(
                                new FuzzyQuery(new Term(FIELD, w), edits, prefix, Typos.MAX_EXPANSIONS,
                                        true));
                        assertThat(docs(typos.query(FIELD, w, edits, prefix))).as("%s~%d/%d", w, edits, prefix)
                                .isEqualTo(fuzzy);
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    @Test
    void theSameWordTwiceIsTheSameQueryAndOtherEditsOrPrefixAnother() {
        assertThat(typos.query(FIELD, "abca", 1, 0)).isEqualTo(typos.query(FIELD, "abca", 1, 0))
                .hasSameHashCodeAs(typos.query(FIELD, "abca", 1, 0));
        assertThat(typos.query(FIELD, "abca", 1, 0)).isNotEqualTo(typos.query(FIELD, "abca", 2, 0))
                .isNotEqualTo(typos.query("other", "abca", 1, 0))
                .isNotEqualTo(typos.query(FIELD, "abca", 1, 1));
        assertThat(typos.query(FIELD, "abca", 2, 0).toString(FIELD)).isEqualTo("abca~2");
        assertThat(typos.query(FIELD, "abc", 1, 1).toString(FIELD)).isEqualTo("abc~1/1");
    }
}
