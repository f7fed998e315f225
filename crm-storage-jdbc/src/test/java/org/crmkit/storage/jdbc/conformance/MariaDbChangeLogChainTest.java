package org.crmkit.storage.jdbc.conformance;

import org.crmkit.CrmStorage;
import org.crmkit.storage.jdbc.TestDatabase;
import org.crmkit.testkit.conformance.ChangeLogChainContract;

class MariaDbChangeLogChainTest extends ChangeLogChainContract {
    @Override
    protected CrmStorage newStorage() {
        return TestDatabase.MARIADB.newStorage();
    }
}
