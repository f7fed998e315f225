package org.crmkit.storage.jdbc.conformance;

import org.crmkit.CrmStorage;
import org.crmkit.storage.jdbc.TestDatabase;
import org.crmkit.testkit.conformance.ImportValuesContract;

class PostgresImportValuesTest extends ImportValuesContract {
    @Override
    protected CrmStorage newStorage() {
        return TestDatabase.POSTGRES.newStorage();
    }

    @Override
    protected CrmStorage reopen(CrmStorage closed) {
        return TestDatabase.POSTGRES.reopen(closed);
    }
}
