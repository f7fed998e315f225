package org.crmkit.storage.jdbc.conformance;

import org.crmkit.CrmStorage;
import org.crmkit.storage.jdbc.TestDatabase;
import org.crmkit.testkit.conformance.ImportValuesContract;

class H2ImportValuesTest extends ImportValuesContract {
    @Override
    protected CrmStorage newStorage() {
        return TestDatabase.H2.newStorage();
    }

    @Override
    protected CrmStorage reopen(CrmStorage closed) {
        return TestDatabase.H2.reopen(closed);
    }
}
