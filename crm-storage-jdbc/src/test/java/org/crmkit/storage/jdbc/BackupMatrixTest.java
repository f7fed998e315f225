package org.crmkit.storage.jdbc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.crmkit.CrmStorage;
import org.crmkit.storage.memory.InMemoryStorage;
import org.crmkit.testkit.conformance.BackupMatrixContract;

/** Backups from each of memory, H2, PostgreSQL and MariaDB restored into each other one. */
class BackupMatrixTest extends BackupMatrixContract {
    @Override
    protected Map<String, Supplier<CrmStorage>> kinds() {
        Map<String, Supplier<CrmStorage>> kinds = new LinkedHashMap<>();
        kinds.put("memory", InMemoryStorage::create);
        kinds.put("h2", TestDatabase.H2::newStorage);
        kinds.put("postgresql", TestDatabase.POSTGRES::newStorage);
        kinds.put("mariadb", TestDatabase.MARIADB::newStorage);
        return kinds;
    }
}
