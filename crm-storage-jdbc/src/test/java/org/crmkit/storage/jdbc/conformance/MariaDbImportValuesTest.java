package org.crmkit.storage.jdbc.conformance;

import org.crmkit.CrmStorage;
import org.crmkit.storage.jdbc.TestDatabase;
import org.crmkit.testkit.conformance.ImportValuesContract;

class MariaDbImportValuesTest extends ImportValuesContract {
    @Override
    protected CrmStorage newStorage() {
        return TestDatabase.MARIADB.newStorage();
    }

    @Override
    protected CrmStorage reopen(CrmStorage closed) {
        return TestDatabase.MARIADB.reopen(closed);
    }
}
