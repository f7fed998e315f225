package org.crmkit.storage.spi;

import java.util.Objects;
import java.util.UUID;

/**
 * A stored merge link ({@link StorageFeature#MERGE_LINKS}): the record {@code recordId} of {@code objectType} was
 * merged into {@code survivorId}.
 *
 * @param objectType the merged record's type
 * @param recordId   the merged-away record
 * @param survivorId the record it went into
 */
public record MergeLink(String objectType, UUID recordId, UUID survivorId) {
    public MergeLink {
        Objects.requireNonNull(objectType, "objectType");
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(survivorId, "survivorId");
    }
}
