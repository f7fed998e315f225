package org.crmkit.search.lucene.internal;

import java.io.IOException;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.search.DoubleValues;
import org.apache.lucene.search.DoubleValuesSource;
import org.apache.lucene.search.IndexSearcher;

/**
 * A mild boost for recently updated records: {@code 1 + 0.1 * e^(-age / 180 days)}, from 1.1 for a record updated
 * now down towards 1. It reorders hits of about equal relevance and never lifts a weaker kind of match above a
 * stronger one.
 */
final class Recency extends DoubleValuesSource {
    private static final double MAX_BOOST = 0.1;
    private static final double DECAY_SECONDS = 180 * 86_400.0;
    private final long nowSeconds;

    Recency(long nowSeconds) {
        this.nowSeconds = nowSeconds;
    }

    @Override
    public DoubleValues getValues(LeafReaderContext ctx, DoubleValues scores) throws IOException {
        NumericDocValues updated = DocValues.getNumeric(ctx.reader(), IndexFields.RECENCY);
        return new DoubleValues() {
            private double value = 1;

            @Override
            public double doubleValue() {
                return value;
            }

            @Override
            public boolean advanceExact(int doc) throws IOException {
                if (updated.advanceExact(doc)) {
                    double age = Math.max(0, nowSeconds - updated.longValue());
                    value = 1 + MAX_BOOST * Math.exp(-age / DECAY_SECONDS);
                } else {
                    value = 1;
                }
                return true;
            }
        };
    }

    @Override
    public boolean needsScores() {
        return false;
    }

    @Override
    public DoubleValuesSource rewrite(IndexSearcher searcher) {
        return this;
    }

    @Override
    public boolean isCacheable(LeafReaderContext ctx) {
        return false;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(nowSeconds);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Recency r && r.nowSeconds == nowSeconds;
    }

    @Override
    public String toString() {
        return "recency(" + nowSeconds + ")";
    }
}
