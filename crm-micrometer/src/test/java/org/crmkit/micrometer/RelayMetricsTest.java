package org.crmkit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.relay.ChangeRelay;
import org.crmkit.relay.spi.ChangePublisher;
import org.crmkit.relay.spi.RelayMessage;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.Test;

/** A relay's lag and state as gauges, while its broker is down and after it is back. */
class RelayMetricsTest {
    /** A broker that is down until told otherwise. */
    static final class Broker implements ChangePublisher {
        volatile boolean down = true;

        @Override
        public String name() {
            return "test";
        }

        @Override
        public void publish(List<RelayMessage> messages) {
            if (down) {
                throw new IllegalStateException("broker down");
            }
        }

        @Override
        public void confirm(Duration timeout) {}

        @Override
        public void close() {}
    }

    @Test
    void lagAndStateFollowTheRelay() throws Exception {
        Broker broker = new Broker();
        ChangeRelay relay = ChangeRelay.builder("feed", broker).backoff(Duration.ofMillis(5), Duration.ofMillis(20))
                .pollInterval(Duration.ofMillis(50)).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).install(relay).build();
                RelayMetrics metrics = new RelayMetrics(relay)) {
            metrics.bindTo(registry);
            crm.as(Principal.user("u-1", Role.ADMIN)).records("company").create(Map.of("name", "Acme"));
            await(() -> registry.get("crmkit.relay.state").tags("relay", "feed", "state", "retrying").gauge()
                    .value() == 1);
            assertThat(registry.get("crmkit.relay.lag").gauge().value()).isPositive();
            assertThat(registry.get("crmkit.relay.failures").gauge().value()).isPositive();

            broker.down = false;
            await(() -> registry.get("crmkit.relay.lag").gauge().value() == 0);
            await(() -> registry.get("crmkit.relay.state").tag("state", "running").gauge().value() == 1);
            assertThat(registry.get("crmkit.relay.confirmed.sequence").gauge().value()).isPositive();
            assertThat(registry.get("crmkit.relay.state").tag("state", "retrying").gauge().value()).isZero();
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 60 s");
            }
            Thread.sleep(10);
        }
    }
}
