package org.crmkit.testkit.conformance;

import org.crmkit.CrmStorage;
import org.crmkit.storage.memory.InMemoryStorage;

class InMemorySharingTest extends SharingContract {
    @Override
    protected CrmStorage newStorage() {
        return InMemoryStorage.create();
    }
}
