package org.crmkit.workflow;

import org.crmkit.CrmStorage;
import org.crmkit.storage.jdbc.TestDatabase;

class H2StagingTest extends StagingContract {
    @Override
    protected CrmStorage newStorage() {
        return TestDatabase.H2.newStorage();
    }
}
