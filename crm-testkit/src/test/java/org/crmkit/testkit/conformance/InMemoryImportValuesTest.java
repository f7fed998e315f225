package org.crmkit.testkit.conformance;

import org.crmkit.CrmStorage;
import org.crmkit.storage.memory.InMemoryStorage;

class InMemoryImportValuesTest extends ImportValuesContract {
    @Override
    protected CrmStorage newStorage() {
        return InMemoryStorage.create();
    }
}
