package org.crmkit.rest;

import java.util.UUID;
import org.crmkit.Crm;
import org.crmkit.storage.jdbc.JdbcStorage;

/** {@link HostileInputTest} on H2 in memory, where a filter value that became SQL would show. */
class HostileInputOnH2Test extends HostileInputTest {
    @Override
    RestFixture storage() {
        return new RestFixture(b -> {}, Crm.builder().storage(JdbcStorage.h2Memory("rest-" + UUID.randomUUID())));
    }
}
