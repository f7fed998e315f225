package org.crmkit.workflow;

import org.crmkit.CrmStorage;
import org.crmkit.storage.memory.InMemoryStorage;

class InMemoryStagingTest extends StagingContract {
    @Override
    protected CrmStorage newStorage() {
        return InMemoryStorage.create();
    }
}
