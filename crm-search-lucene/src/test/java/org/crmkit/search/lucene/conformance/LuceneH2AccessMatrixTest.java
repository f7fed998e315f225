package org.crmkit.search.lucene.conformance;

import org.crmkit.CrmSearch;
import org.crmkit.CrmStorage;
import org.crmkit.search.lucene.LuceneSearch;
import org.crmkit.storage.jdbc.TestDatabase;
import org.crmkit.testkit.conformance.AccessMatrixContract;

/** The access matrix with search through a Lucene index: hits, totals, titles and highlights, on H2. */
class LuceneH2AccessMatrixTest extends AccessMatrixContract {
    @Override
    protected CrmStorage newStorage() {
        return TestDatabase.H2.newStorage();
    }

    @Override
    protected CrmSearch newSearch() {
        return LuceneSearch.inMemory();
    }
}
