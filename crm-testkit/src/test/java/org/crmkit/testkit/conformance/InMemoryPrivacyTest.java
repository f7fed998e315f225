package org.crmkit.testkit.conformance;

import org.crmkit.CrmStorage;
import org.crmkit.storage.memory.InMemoryStorage;

class InMemoryPrivacyTest extends PrivacyContract {
    @Override
    protected CrmStorage newStorage() {
        return InMemoryStorage.create();
    }
}
