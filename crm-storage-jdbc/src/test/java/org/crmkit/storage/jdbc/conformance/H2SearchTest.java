package org.crmkit.storage.jdbc.conformance;

import org.crmkit.CrmSearch;
import org.crmkit.CrmStorage;
import org.crmkit.storage.jdbc.TestDatabase;
import org.crmkit.testkit.conformance.SearchContract;

/** Search through the storage (no search engine) on H2. */
class H2SearchTest extends SearchContract {
    @Override
    protected CrmStorage newStorage() {
        return TestDatabase.H2.newStorage();
    }

    @Override
    protected CrmSearch newSearch() {
        return null;
    }
}
