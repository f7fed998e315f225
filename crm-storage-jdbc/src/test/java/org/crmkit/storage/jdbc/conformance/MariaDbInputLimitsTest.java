package org.crmkit.storage.jdbc.conformance;

import org.crmkit.CrmStorage;
import org.crmkit.storage.jdbc.TestDatabase;
import org.crmkit.testkit.conformance.InputLimitsContract;

class MariaDbInputLimitsTest extends InputLimitsContract {
    @Override
    protected CrmStorage newStorage() {
        return TestDatabase.MARIADB.newStorage();
    }

    @Override
    protected CrmStorage reopen(CrmStorage closed) {
        return TestDatabase.MARIADB.reopen(closed);
    }

    @Override
    protected int maxColumns() {
        return 370; // docs/storage.md
    }

    @Override
    protected boolean shortValuesFillTheRow() {
        return true;
    }
}
