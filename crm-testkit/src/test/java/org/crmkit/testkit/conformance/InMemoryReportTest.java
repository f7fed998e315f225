package org.crmkit.testkit.conformance;

import org.crmkit.CrmStorage;
import org.crmkit.storage.memory.InMemoryStorage;

class InMemoryReportTest extends ReportContract {
    @Override
    protected CrmStorage newStorage() {
        return InMemoryStorage.create();
    }
}
