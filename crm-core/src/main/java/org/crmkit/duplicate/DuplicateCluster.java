package org.crmkit.duplicate;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Records that a scan found to be one thing: each is a duplicate of at least one other in the cluster (clusters are
 * the connected parts of the "is a candidate of" relation).
 *
 * @param ids      the records, in id (creation) order: the first is the oldest, a natural survivor for a merge
 * @param topScore the highest score between two of them
 */
public record DuplicateCluster(List<UUID> ids, double topScore) {
    public DuplicateCluster {
        Objects.requireNonNull(ids, "ids");
        ids = List.copyOf(ids);
    }
}
