package org.crmkit.testkit.conformance;

import org.crmkit.CrmStorage;
import org.crmkit.storage.memory.InMemoryStorage;

class InMemoryKeywordNameTest extends KeywordNameContract {
    @Override
    protected CrmStorage newStorage() {
        return InMemoryStorage.create();
    }
}
