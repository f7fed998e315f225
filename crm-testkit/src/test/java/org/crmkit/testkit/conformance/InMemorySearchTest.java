package org.crmkit.testkit.conformance;

import org.crmkit.CrmSearch;
import org.crmkit.CrmStorage;
import org.crmkit.storage.memory.InMemoryStorage;

/** Search through the in-memory storage, without a search engine. */
class InMemorySearchTest extends SearchContract {
    @Override
    protected CrmStorage newStorage() {
        return InMemoryStorage.create();
    }

    @Override
    protected CrmSearch newSearch() {
        return null;
    }
}
