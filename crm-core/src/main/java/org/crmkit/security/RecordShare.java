package org.crmkit.security;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A manual share: one record shared with one user or team.
 *
 * @param objectType the record's type
 * @param recordId   the record
 * @param grantee    a {@link Grantee.Kind#USER} or {@link Grantee.Kind#TEAM}
 * @param level      read, or read and write
 * @param sharedBy   who shared it
 * @param at         when
 */
public record RecordShare(String objectType, UUID recordId, Grantee grantee, ShareLevel level, String sharedBy,
        Instant at) {
    public RecordShare {
        Objects.requireNonNull(objectType, "objectType");
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(grantee, "grantee");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(sharedBy, "sharedBy");
        Objects.requireNonNull(at, "at");
    }
}
