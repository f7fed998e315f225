package org.crmkit.testkit.conformance;

import org.crmkit.CrmStorage;
import org.crmkit.storage.memory.InMemoryStorage;

class InMemoryIndexedQueryTest extends IndexedQueryContract {
    @Override
    protected CrmStorage newStorage() {
        return InMemoryStorage.create();
    }
}
