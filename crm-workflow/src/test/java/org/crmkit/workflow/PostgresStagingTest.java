package org.crmkit.workflow;

import org.crmkit.CrmStorage;
import org.crmkit.storage.jdbc.TestDatabase;

class PostgresStagingTest extends StagingContract {
    @Override
    protected CrmStorage newStorage() {
        return TestDatabase.POSTGRES.newStorage();
    }
}
