package org.crmkit.relay;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The relay uses crm-core's API and SPI only (never its {@code internal} packages), and its API and SPI show no
 * internal or Jackson type.
 */
class ArchitectureTest {
    @Test
    void theApiShowsNoInternalOrJacksonTypeAndUsesNoCoreInternals() {
        PublicApi.assertHides("org.crmkit.relay", "com.fasterxml.");
    }

    @Test
    void theRuleNoticesAHiddenType() {
        // ChangeRelay's status() returns RelayStatus: calling that package hidden must fail the rule
        assertThatThrownBy(() -> PublicApi.assertHides("org.crmkit.relay", "org.crmkit.relay.RelayStatus"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("status()");
    }
}
