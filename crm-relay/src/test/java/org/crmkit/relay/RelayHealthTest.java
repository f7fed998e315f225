package org.crmkit.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.crmkit.Crm;
import org.crmkit.health.HealthBounds;
import org.crmkit.health.HealthComponent;
import org.crmkit.health.HealthStatus;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.Test;

/** A relay's component of the health check follows its state and lag. */
class RelayHealthTest {
    @Test
    void retryingIsDegradedCaughtUpIsUpAndStoppedIsDown() {
        FakePublisher broker = new FakePublisher().down(true);
        ChangeRelay relay = ChangeRelay.builder("feed", broker).backoff(Duration.ofMillis(5), Duration.ofMillis(50))
                .pollInterval(Duration.ofMillis(100)).checkpointInterval(Duration.ZERO).build();
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).install(relay).build()) {
            new ChangeWriter(crm).create(3);
            Await.until("the relay retries", () -> relay.status().state() == RelayState.RETRYING);
            HealthComponent retrying = crm.admin().health().components().get("relay.feed");
            assertThat(retrying.status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(retrying.details()).containsEntry("state", "RETRYING").containsKey("lag")
                    .doesNotContainKey("lastError");

            broker.down(false);
            Await.until("the relay catches up", () -> relay.status().lag() == 0
                    && relay.status().state() == RelayState.RUNNING);
            assertThat(crm.admin().health().components().get("relay.feed").status()).isEqualTo(HealthStatus.UP);

            broker.hold(true); // published but never confirmed: the lag grows past a bound of 0
            new ChangeWriter(crm).create(1);
            Await.until("the lag shows", () -> relay.status().lag() > 0);
            assertThat(crm.admin().health(HealthBounds.defaults().withMaxRelayLag(0)).components().get("relay.feed")
                    .status()).isIn(HealthStatus.DEGRADED);
            broker.hold(false);

            relay.close();
            assertThat(crm.admin().health().components().get("relay.feed").status()).isEqualTo(HealthStatus.DOWN);
            assertThat(crm.admin().health().status()).isEqualTo(HealthStatus.DOWN);
        }
    }
}
