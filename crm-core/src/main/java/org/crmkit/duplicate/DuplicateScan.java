package org.crmkit.duplicate;

import java.util.List;
import java.util.Objects;

/**
 * What a scan of one type's records found.
 *
 * @param objectType   the type scanned
 * @param rulesVersion the schema version whose matching rules were used
 * @param scanned      records looked at
 * @param clusters     the clusters of duplicates, largest first
 */
public record DuplicateScan(String objectType, long rulesVersion, long scanned, List<DuplicateCluster> clusters) {
    public DuplicateScan {
        Objects.requireNonNull(objectType, "objectType");
        Objects.requireNonNull(clusters, "clusters");
        clusters = List.copyOf(clusters);
    }
}
