package org.crmkit.duplicate;

import java.util.concurrent.CompletionStage;

/**
 * A duplicate scan running in the background ({@link DuplicateAdmin#startScan}): how far it is, its outcome, and a
 * way to stop it. Thread-safe.
 */
public interface ScanJob {
    /** The type scanned. */
    String objectType();

    /**
     * The latest progress: {@code scanned} 0 and {@code total} 0 until the scan has counted the records, then after
     * each page; {@code done} once the scan has ended, however it ended.
     */
    ScanProgress progress();

    /**
     * The scan's outcome: completes with the clusters found, or exceptionally with a
     * {@link java.util.concurrent.CancellationException} when it was cancelled (or its {@code Crm} closed) and with
     * the {@link org.crmkit.error.CrmException} that ended it otherwise.
     */
    CompletionStage<DuplicateScan> result();

    /**
     * Asks the scan to stop before its next page (a page being read finishes first; nothing is written by a scan).
     *
     * @return whether the scan was still running
     */
    boolean cancel();
}
