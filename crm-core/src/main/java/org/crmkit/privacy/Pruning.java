package org.crmkit.privacy;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What one run of {@link Privacy#prune()} deleted from the change log.
 *
 * @param at          when it ran
 * @param principalId who ran it
 * @param deleted     how many entries were deleted, by object type (types with a retention period only)
 */
public record Pruning(Instant at, String principalId, Map<String, Long> deleted) {
    public Pruning {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(principalId, "principalId");
        deleted = Map.copyOf(deleted);
    }

    /** How many entries were deleted, of every type. */
    public long total() {
        return deleted.values().stream().mapToLong(Long::longValue).sum();
    }
}
