package org.crmkit.search.lucene.internal;

import java.time.Duration;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How far searches see: the change-log sequence up to which every change is searchable and the schema version whose
 * mapping the searchable documents follow, published by the indexer thread and awaited by callers.
 *
 * <p>Each publication advances a {@link Phaser} with one party (the publisher), so a waiter sleeps until the next
 * advance or its deadline, re-checking the positions each time; {@link #close} terminates the phaser, which
 * releases every waiter at once. This replaces a monitor with {@code wait}/{@code notifyAll}, in the manner of
 * Hibernate Search's orchestrators, whose callers wait on the completion the single index-writing thread signals.
 */
final class IndexProgress {
    private final Phaser advances = new Phaser(1);
    /** Change-log position every change up to which searches see (applied, then the searcher refreshed). */
    private volatile long searchable = -1;
    /** The schema version whose mapping the searchable documents follow. */
    private volatile long mappedSchemaVersion = -1;

    /** Every change up to {@code sequence} is now searchable. */
    void searchable(long sequence) {
        searchable = sequence;
        advances.arrive();
    }

    /**
     * The index was (re)opened from a commit at {@code sequence}: searches see up to there, and the mapping its
     * documents follow is to be checked again against the schema (a re-mapping may not have been committed).
     */
    void reset(long sequence) {
        searchable = sequence;
        mappedSchemaVersion = -1;
        advances.arrive();
    }

    /** The searchable documents now follow the mapping of schema version {@code version}. */
    void mapped(long version) {
        mappedSchemaVersion = version;
        advances.arrive();
    }

    long searchable() {
        return searchable;
    }

    long mappedSchemaVersion() {
        return mappedSchemaVersion;
    }

    /**
     * Waits until every change up to {@code sequence} is searchable under the mapping of {@code schemaVersion}
     * (or later); false if {@code timeout} passes first, the thread is interrupted, or the index closes.
     */
    boolean await(long sequence, long schemaVersion, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int phase = advances.getPhase(); // read before the check: an advance after it ends the wait below at once
        while (!reached(sequence, schemaVersion) && phase >= 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                phase = advances.awaitAdvanceInterruptibly(phase, left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return reached(sequence, schemaVersion);
    }

    private boolean reached(long sequence, long schemaVersion) {
        return searchable >= sequence && mappedSchemaVersion >= schemaVersion;
    }

    /** Releases every waiter, now and later: the index is closing. */
    void close() {
        advances.forceTermination();
    }
}
