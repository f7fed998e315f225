package org.crmkit;

import org.crmkit.annotations.Incubating;
import org.crmkit.search.SearchIndex;

/** Operations for administrators and operators rather than for application code: the search index, duplicate scans. */
public interface CrmAdmin {
    /** The search index: how far it is, waiting for it, rebuilding it. */
    @Incubating
    SearchIndex searchIndex();

    /** Duplicate scans of existing data. */
    org.crmkit.duplicate.DuplicateAdmin duplicates();
}
