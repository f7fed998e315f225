package org.crmkit.testkit.conformance;

import org.crmkit.CrmStorage;
import org.crmkit.storage.memory.InMemoryStorage;

class InMemoryChangeLogChainTest extends ChangeLogChainContract {
    @Override
    protected CrmStorage newStorage() {
        return InMemoryStorage.create();
    }
}
