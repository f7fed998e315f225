package org.crmkit.duplicate;

import java.util.function.Consumer;

/** Duplicate detection for operators ({@code crm.admin().duplicates()}): scans of existing data. */
public interface DuplicateAdmin {
    /**
     * Finds the clusters of duplicates among the live records of {@code objectType} with its matching rules (whatever
     * its mode), as the system sees them, page by page, reporting progress after each page and once at the end. Runs
     * in the calling thread; a host that wants it in the background runs it in a job (crm-workflow) or an executor.
     * Each record is compared with the candidates the storage (or the search engine) finds for it, so the scan costs
     * one duplicate check per record. A type without rules is a {@link org.crmkit.error.SchemaException}.
     */
    DuplicateScan scan(String objectType, Consumer<ScanProgress> progress);
}
