package org.crmkit.storage.jdbc.conformance;

import org.crmkit.CrmStorage;
import org.crmkit.storage.jdbc.TestDatabase;
import org.crmkit.testkit.conformance.AccessMatrixContract;

class MariaDbAccessMatrixTest extends AccessMatrixContract {
    @Override
    protected CrmStorage newStorage() {
        return TestDatabase.MARIADB.newStorage();
    }
}
