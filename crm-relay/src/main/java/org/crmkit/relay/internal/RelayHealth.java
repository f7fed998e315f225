package org.crmkit.relay.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.crmkit.health.HealthBounds;
import org.crmkit.health.HealthComponent;
import org.crmkit.health.HealthStatus;
import org.crmkit.health.spi.HealthContributor;
import org.crmkit.relay.RelayState;
import org.crmkit.relay.RelayStatus;

/**
 * A relay's part of the health check ({@code relay.<name>}): DEGRADED while it retries or lags more than the bound,
 * DOWN once stopped while its {@code Crm} runs; UP when publishing or standing by for another node. The last error's
 * message stays out (a broker's message may quote what it refused): the failure count says enough for an alert.
 */
final class RelayHealth implements HealthContributor {
    private final RelayEngine relay;
    private final String name;

    RelayHealth(RelayEngine relay, String name) {
        this.relay = relay;
        this.name = "relay." + name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public HealthComponent check(HealthBounds bounds) {
        RelayStatus s = relay.status();
        HealthStatus status = switch (s.state()) {
            case STOPPED -> HealthStatus.DOWN;
            case RETRYING -> HealthStatus.DEGRADED;
            case NEW, RUNNING, STANDBY -> s.lag() > bounds.maxRelayLag() && s.state() != RelayState.STANDBY
                    ? HealthStatus.DEGRADED
                    : HealthStatus.UP;
        };
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", s.state().name());
        details.put("publisher", s.publisher());
        details.put("lag", s.lag());
        details.put("maxLag", bounds.maxRelayLag());
        details.put("confirmedSequence", s.confirmedSequence());
        details.put("consecutiveFailures", s.consecutiveFailures());
        return HealthComponent.of(status, details);
    }
}
