package org.crmkit.search.lucene.conformance;

import org.crmkit.CrmSearch;
import org.crmkit.CrmStorage;
import org.crmkit.search.lucene.LuceneSearch;
import org.crmkit.storage.memory.InMemoryStorage;
import org.crmkit.testkit.conformance.SearchContract;

/** The search contract with a Lucene index in memory, on the in-memory storage. */
class LuceneInMemorySearchTest extends SearchContract {
    @Override
    protected CrmStorage newStorage() {
        return InMemoryStorage.create();
    }

    @Override
    protected CrmSearch newSearch() {
        return LuceneSearch.inMemory();
    }
}
