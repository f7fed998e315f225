package org.crmkit.workflow;

import org.crmkit.storage.jdbc.TestDatabase;

class PostgresClusterTest extends ClusterContract {
    private final String prefix = "wfc" + ProcessHandle.current().pid() % 100_000 + "_";

    @Override
    protected String url() {
        TestDatabase.POSTGRES.requireAvailable();
        TestDatabase.POSTGRES.dropTables(prefix);
        return TestDatabase.POSTGRES.url();
    }

    @Override
    protected String prefix() {
        return prefix;
    }

    @Override
    protected void cleanUp() {
        TestDatabase.POSTGRES.dropTables(prefix);
    }
}
