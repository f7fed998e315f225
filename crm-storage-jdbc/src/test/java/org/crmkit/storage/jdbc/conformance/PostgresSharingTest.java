package org.crmkit.storage.jdbc.conformance;

import org.crmkit.CrmStorage;
import org.crmkit.storage.jdbc.JdbcStorage;
import org.jspecify.annotations.Nullable;
import org.crmkit.storage.jdbc.TestDatabase;
import org.crmkit.testkit.conformance.SharingContract;

class PostgresSharingTest extends SharingContract {
    private @Nullable JdbcStorage first;

    @Override
    protected CrmStorage newStorage() {
        first = TestDatabase.POSTGRES.newStorage();
        return first;
    }

    @Override
    protected CrmStorage reopen(CrmStorage closed) {
        return TestDatabase.POSTGRES.reopen(closed);
    }

    @Override
    protected CrmStorage secondNode() {
        return TestDatabase.POSTGRES.reopen(java.util.Objects.requireNonNull(first, "first"));
    }
}
