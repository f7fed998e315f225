package org.crmkit.relay.kafka;

import org.crmkit.relay.PublicApi;
import org.junit.jupiter.api.Test;

/** The publisher's API shows no type of the broker's client, and the module uses no crm-core internals. */
class ArchitectureTest {
    @Test
    void theApiShowsNoClientType() {
        PublicApi.assertHides("org.crmkit.relay.kafka", "org.apache.kafka.", "com.fasterxml.");
    }
}
