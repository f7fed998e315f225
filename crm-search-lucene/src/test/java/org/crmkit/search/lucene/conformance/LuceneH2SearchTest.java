package org.crmkit.search.lucene.conformance;

import org.crmkit.CrmSearch;
import org.crmkit.CrmStorage;
import org.crmkit.search.lucene.LuceneSearch;
import org.crmkit.storage.jdbc.TestDatabase;
import org.crmkit.testkit.conformance.SearchContract;

/** The search contract with a Lucene index on disk, on H2. */
class LuceneH2SearchTest extends SearchContract {
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path index;

    @Override
    protected CrmStorage newStorage() {
        return TestDatabase.H2.newStorage();
    }

    @Override
    protected CrmSearch newSearch() {
        return LuceneSearch.at(index);
    }
}
