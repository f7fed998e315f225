package org.crmkit.storage.jdbc.conformance;

import org.crmkit.CrmSearch;
import org.crmkit.CrmStorage;
import org.crmkit.storage.jdbc.TestDatabase;
import org.crmkit.testkit.conformance.SearchContract;

/** Search through the storage (no search engine) on Postgres. */
class PostgresSearchTest extends SearchContract {
    @Override
    protected CrmStorage newStorage() {
        return TestDatabase.POSTGRES.newStorage();
    }

    @Override
    protected CrmSearch newSearch() {
        return null;
    }
}
