package org.crmkit.search.lucene.internal;

import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;

/**
 * The record ids of hits, read from the {@code _id} doc values (a few bytes each) rather than the stored fields
 * (which decompress a block of documents per hit); from the stored fields for a document indexed before the doc
 * values were.
 */
final class HitIds {
    private HitIds() {}

    /** The ids of {@code hits}, in their order. */
    static List<UUID> of(IndexSearcher searcher, ScoreDoc[] hits) throws IOException {
        Integer[] byDoc = new Integer[hits.length];
        Arrays.setAll(byDoc, i -> i);
        Arrays.sort(byDoc, Comparator.comparingInt(i -> hits[i].doc)); // doc values advance forward only
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        UUID[] ids = new UUID[hits.length];
        int leafIndex = -1;
        BinaryDocValues values = null;
        int docBase = 0;
        for (int i : byDoc) {
            int doc = hits[i].doc;
            int at = ReaderUtil.subIndex(doc, leaves);
            if (at != leafIndex) {
                leafIndex = at;
                LeafReaderContext leaf = leaves.get(at);
                docBase = leaf.docBase;
                values = leaf.reader().getBinaryDocValues(IndexFields.ID);
            }
            if (values != null && values.advanceExact(doc - docBase)) {
                ids[i] = UUID.fromString(values.binaryValue().utf8ToString());
            } else {
                ids[i] = UUID.fromString(searcher.storedFields().document(doc, Set.of(IndexFields.ID))
                        .get(IndexFields.ID));
            }
        }
        return List.of(ids);
    }
}
