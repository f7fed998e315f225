package org.crmkit.search.lucene.conformance;

import org.crmkit.CrmSearch;
import org.crmkit.CrmStorage;
import org.crmkit.search.lucene.LuceneSearch;
import org.crmkit.storage.jdbc.TestDatabase;
import org.crmkit.testkit.conformance.SearchContract;

/** The search contract with a Lucene index on disk, on Postgres. */
class LucenePostgresSearchTest extends SearchContract {
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path index;

    @Override
    protected CrmStorage newStorage() {
        return TestDatabase.POSTGRES.newStorage();
    }

    @Override
    protected CrmSearch newSearch() {
        return LuceneSearch.at(index);
    }
}
