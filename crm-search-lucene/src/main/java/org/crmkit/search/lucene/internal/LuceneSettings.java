package org.crmkit.search.lucene.internal;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How a Lucene search engine runs.
 *
 * @param directory      where the index lives; null for an index in memory
 * @param pollInterval   how often the change log is read when this node has not committed anything
 * @param commitInterval how often indexed changes are made durable (a crash loses at most this much indexing,
 *                       which the next start redoes from the change log)
 * @param batchSize      change-log entries and records read per round
 * @param ramBufferMb    the index writer's buffer
 */
public record LuceneSettings(@Nullable Path directory, Duration pollInterval, Duration commitInterval, int batchSize,
        double ramBufferMb) {}
