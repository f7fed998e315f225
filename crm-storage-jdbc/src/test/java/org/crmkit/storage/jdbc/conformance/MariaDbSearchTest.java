package org.crmkit.storage.jdbc.conformance;

import org.crmkit.CrmSearch;
import org.crmkit.CrmStorage;
import org.crmkit.storage.jdbc.TestDatabase;
import org.crmkit.testkit.conformance.SearchContract;

/** Search through the storage (no search engine) on MariaDb. */
class MariaDbSearchTest extends SearchContract {
    @Override
    protected CrmStorage newStorage() {
        return TestDatabase.MARIADB.newStorage();
    }

    @Override
    protected CrmSearch newSearch() {
        return null;
    }
}
