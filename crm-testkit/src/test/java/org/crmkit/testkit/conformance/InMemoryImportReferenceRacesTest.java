package org.crmkit.testkit.conformance;

import org.crmkit.CrmStorage;
import org.crmkit.storage.memory.InMemoryStorage;

class InMemoryImportReferenceRacesTest extends ImportReferenceRacesContract {
    @Override
    protected CrmStorage newStorage() {
        return InMemoryStorage.create();
    }
}
