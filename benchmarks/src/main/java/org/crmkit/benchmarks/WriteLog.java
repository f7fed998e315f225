package org.crmkit.benchmarks;

import java.util.Arrays;

/**
 * The writes of one writer thread of the {@code schema} suite: each write's start and end ({@link System#nanoTime()})
 * in the order they were made, and how many attempts had to be retried. Used by its own thread only while the
 * writers run; read by {@link WriteStalls#of} after they stopped.
 */
final class WriteLog {
    private long[] starts = new long[4096];
    private long[] ends = new long[4096];
    private int size;
    private long[] schemaRetryTimes = new long[16];
    private int schemaRetries;
    private int conflictRetries;

    /** Records one write, from its first attempt's start to its successful attempt's end. */
    void add(long start, long end) {
        if (end < start) {
            throw new IllegalArgumentException("a write cannot end (" + end + ") before it starts (" + start + ")");
        }
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            ends = Arrays.copyOf(ends, size * 2);
        }
        starts[size] = start;
        ends[size] = end;
        size++;
    }

    /** An attempt refused with {@code SchemaException} {@code CONCURRENT_CHANGE} at {@code at}, retried. */
    void schemaRetry(long at) {
        if (schemaRetries == schemaRetryTimes.length) {
            schemaRetryTimes = Arrays.copyOf(schemaRetryTimes, schemaRetries * 2);
        }
        schemaRetryTimes[schemaRetries++] = at;
    }

    /** An update that lost a race with another writer's update of the same contact, retried. */
    void conflictRetry() {
        conflictRetries++;
    }

    int size() {
        return size;
    }

    long start(int i) {
        return starts[i];
    }

    long end(int i) {
        return ends[i];
    }

    int schemaRetries() {
        return schemaRetries;
    }

    /** The {@code CONCURRENT_CHANGE} refusals from {@code from} (inclusive) to {@code to} (exclusive). */
    int schemaRetriesBetween(long from, long to) {
        int n = 0;
        for (int i = 0; i < schemaRetries; i++) {
            if (schemaRetryTimes[i] >= from && schemaRetryTimes[i] < to) {
                n++;
            }
        }
        return n;
    }

    int conflictRetries() {
        return conflictRetries;
    }
}
