package org.crmkit;

import org.crmkit.annotations.Incubating;
import org.crmkit.search.SearchIndex;

/** Operations for administrators and operators rather than for application code: the search index. */
public interface CrmAdmin {
    /** The search index: how far it is, waiting for it, rebuilding it. */
    @Incubating
    SearchIndex searchIndex();
}
