package org.crmkit.search.lucene.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.lucene.document.FeatureField;
import org.apache.lucene.search.Query;

/**
 * A mild boost for recently updated records: a feature of each document (its last update, in days since 2000)
 * scored linearly, adding at most {@value #MAX_BOOST} for a record updated now, so it orders hits of equal
 * relevance (a record updated yesterday above one updated two years ago) and never lifts a weaker kind of match
 * over a stronger one (they differ by 1 or more). A feature, unlike a function of the score, lets Lucene skip
 * documents that cannot make the page.
 */
final class Recency {
    static final String FIELD = "_features";
    static final String FEATURE = "recency";
    /** Days from 2000 to 2100: the boost grows by MAX_BOOST over a century. */
    private static final float CENTURY_DAYS = 36_525f;
    static final float MAX_BOOST = 0.5f;
    private static final Instant ORIGIN = Instant.parse("2000-01-01T00:00:00Z");

    private Recency() {}

    static FeatureField field(Instant updated) {
        float days = Math.max(1f, ChronoUnit.SECONDS.between(ORIGIN, updated) / 86_400f);
        return new FeatureField(FIELD, FEATURE, Math.min(days, CENTURY_DAYS));
    }

    static Query query() {
        return FeatureField.newLinearQuery(FIELD, FEATURE, MAX_BOOST / CENTURY_DAYS);
    }
}
