package org.crmkit.storage.jdbc.conformance;

import org.crmkit.CrmStorage;
import org.crmkit.storage.jdbc.JdbcStorage;
import org.jspecify.annotations.Nullable;
import org.crmkit.storage.jdbc.TestDatabase;
import org.crmkit.testkit.conformance.SharingContract;

class MariaDbSharingTest extends SharingContract {
    private @Nullable JdbcStorage first;

    @Override
    protected CrmStorage newStorage() {
        first = TestDatabase.MARIADB.newStorage();
        return first;
    }

    @Override
    protected CrmStorage reopen(CrmStorage closed) {
        return TestDatabase.MARIADB.reopen(closed);
    }

    @Override
    protected CrmStorage secondNode() {
        return TestDatabase.MARIADB.reopen(java.util.Objects.requireNonNull(first, "first"));
    }
}
