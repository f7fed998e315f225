package org.crmkit.storage.jdbc.conformance;

import org.crmkit.CrmStorage;
import org.crmkit.storage.jdbc.TestDatabase;
import org.crmkit.testkit.conformance.InputLimitsContract;

class H2InputLimitsTest extends InputLimitsContract {
    @Override
    protected CrmStorage newStorage() {
        return TestDatabase.H2.newStorage();
    }

    @Override
    protected CrmStorage reopen(CrmStorage closed) {
        return TestDatabase.H2.reopen(closed);
    }

    @Override
    protected int maxColumns() {
        return 1_600; // docs/storage.md
    }
}
