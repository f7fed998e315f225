package org.crmkit.rollup;

import java.util.Objects;

/**
 * How far a roll-up recalculation is.
 *
 * @param objectType the type holding the roll-up field
 * @param field      the roll-up field
 * @param processed  records recalculated so far
 * @param total      records of the type when the recalculation began (soft-deleted ones included)
 * @param changed    records whose value the recalculation changed (each one a new version and a change-log entry)
 * @param done       whether this is the last report
 */
public record RecalculationProgress(String objectType, String field, long processed, long total, long changed,
        boolean done) {
    public RecalculationProgress {
        Objects.requireNonNull(objectType, "objectType");
        Objects.requireNonNull(field, "field");
    }
}
