package org.crmkit.duplicate;

import java.util.Objects;

/**
 * How far a duplicate scan is, reported after each page of records and once at the end.
 *
 * @param objectType the type scanned
 * @param scanned    records looked at so far
 * @param total      live records of the type when the scan began
 * @param clusters   clusters found so far
 * @param done       whether this is the last report
 */
public record ScanProgress(String objectType, long scanned, long total, int clusters, boolean done) {
    public ScanProgress {
        Objects.requireNonNull(objectType, "objectType");
    }
}
