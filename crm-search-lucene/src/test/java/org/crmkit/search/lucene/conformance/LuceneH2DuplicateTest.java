package org.crmkit.search.lucene.conformance;

import org.crmkit.CrmSearch;
import org.crmkit.CrmStorage;
import org.crmkit.search.lucene.LuceneSearch;
import org.crmkit.storage.jdbc.TestDatabase;
import org.crmkit.testkit.conformance.DuplicateContract;

/** The duplicate contract with candidates found through a Lucene index, on H2: the same answers as the storage's. */
class LuceneH2DuplicateTest extends DuplicateContract {
    @Override
    protected CrmStorage newStorage() {
        return TestDatabase.H2.newStorage();
    }

    @Override
    protected CrmSearch newSearch() {
        return LuceneSearch.inMemory();
    }
}
