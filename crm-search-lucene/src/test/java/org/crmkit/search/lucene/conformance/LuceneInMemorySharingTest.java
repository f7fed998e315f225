package org.crmkit.search.lucene.conformance;

import org.crmkit.CrmBuilder;
import org.crmkit.CrmStorage;
import org.crmkit.search.lucene.LuceneSearch;
import org.crmkit.storage.memory.InMemoryStorage;
import org.crmkit.testkit.conformance.SharingContract;

/**
 * The sharing contract with a Lucene index: the hierarchy's owners, sharing rules' filters and manually shared ids
 * are evaluated inside the Lucene query, so search hits and totals agree with queries.
 */
class LuceneInMemorySharingTest extends SharingContract {
    @Override
    protected CrmStorage newStorage() {
        return InMemoryStorage.create();
    }

    @Override
    protected CrmBuilder configure(CrmBuilder builder) {
        return super.configure(builder).search(LuceneSearch.inMemory());
    }
}
