package org.crmkit;

import org.crmkit.annotations.Incubating;
import org.crmkit.search.SearchIndex;

/**
 * Operations for administrators and operators rather than for application code: the search index, duplicate scans,
 * roll-up recalculations.
 */
public interface CrmAdmin {
    /** The search index: how far it is, waiting for it, rebuilding it. */
    @Incubating
    SearchIndex searchIndex();

    /** Duplicate scans of existing data. */
    org.crmkit.duplicate.DuplicateAdmin duplicates();

    /**
     * Recalculations of roll-up fields. CRMKit's engine implements it; the default refuses.
     */
    default org.crmkit.rollup.RollupAdmin rollups() {
        throw new UnsupportedOperationException("roll-ups are not supported by " + getClass().getName());
    }
}
