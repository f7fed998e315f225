package org.crmkit.schema;

import java.time.Instant;
import java.util.Objects;

/** One recorded schema change: the version it produced, when, by whom, and what. */
public record SchemaChangeEntry(long version, Instant at, String principalId, SchemaChange change) {
    public SchemaChangeEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(principalId, "principalId");
        Objects.requireNonNull(change, "change");
    }
}
