package org.crmkit.duplicate;

import java.util.function.Consumer;

/**
 * Duplicate detection for operators ({@code crm.admin().duplicates()}): scans of existing data, in the calling thread
 * or in the background.
 */
public interface DuplicateAdmin {
    /**
     * Finds the clusters of duplicates among the live records of {@code objectType} with its matching rules (whatever
     * its mode), as the system sees them, page by page, reporting progress once the records are counted, after each
     * page and once at the end. Runs in the calling thread ({@link #startScan} runs it in the background). Each
     * record is compared with the candidates the storage (or the search engine) finds for it, so the scan costs one
     * duplicate check per record. A type without rules is a {@link org.crmkit.error.SchemaException}.
     */
    DuplicateScan scan(String objectType, Consumer<ScanProgress> progress);

    /**
     * Starts {@link #scan} in the background, on a thread of the {@code Crm} (scans run one at a time, in the order
     * started), and returns at once. {@code progress} is called on that thread with each report {@link #scan} makes
     * (on the cancelling thread for a scan cancelled before it began), as {@link ScanJob#progress()} changes. Closing the {@code Crm} cancels the scans not yet ended. An unknown type
     * or a type without rules is refused here, before anything starts.
     */
    ScanJob startScan(String objectType, Consumer<ScanProgress> progress);
}
