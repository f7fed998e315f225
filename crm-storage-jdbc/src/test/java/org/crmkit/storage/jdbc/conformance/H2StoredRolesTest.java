package org.crmkit.storage.jdbc.conformance;

import org.crmkit.CrmStorage;
import org.crmkit.storage.jdbc.TestDatabase;
import org.crmkit.testkit.conformance.StoredRolesContract;

class H2StoredRolesTest extends StoredRolesContract {
    @Override
    protected CrmStorage newStorage() {
        return TestDatabase.H2.newStorage();
    }

    @Override
    protected CrmStorage reopen(CrmStorage closed) {
        return TestDatabase.H2.reopen(closed);
    }
}
