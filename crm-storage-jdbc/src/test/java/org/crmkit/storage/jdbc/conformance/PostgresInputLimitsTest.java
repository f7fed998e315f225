package org.crmkit.storage.jdbc.conformance;

import org.crmkit.CrmStorage;
import org.crmkit.storage.jdbc.TestDatabase;
import org.crmkit.testkit.conformance.InputLimitsContract;

class PostgresInputLimitsTest extends InputLimitsContract {
    @Override
    protected CrmStorage newStorage() {
        return TestDatabase.POSTGRES.newStorage();
    }

    @Override
    protected CrmStorage reopen(CrmStorage closed) {
        return TestDatabase.POSTGRES.reopen(closed);
    }

    @Override
    protected int maxColumns() {
        return 1_600; // docs/storage.md
    }

    @Override
    protected boolean deletedFieldsKeepColumns() {
        return true;
    }
}
