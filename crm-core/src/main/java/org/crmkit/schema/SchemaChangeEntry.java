package org.crmkit.schema;

import java.time.Instant;

/** One recorded schema change: the version it produced, when, by whom, and what. */
public record SchemaChangeEntry(long version, Instant at, String principalId, SchemaChange change) {}
