package org.crmkit.micrometer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import org.crmkit.relay.ChangeRelay;
import org.crmkit.relay.RelayState;
import org.crmkit.relay.RelayStatus;

/**
 * Binds a change-log relay to a {@link MeterRegistry}, every meter tagged {@code relay=<name>}:
 *
 * <ul>
 * <li>{@code crmkit.relay.lag} (gauge): change-log entries not yet confirmed by the broker;
 * <li>{@code crmkit.relay.confirmed.sequence} (gauge): the newest sequence the broker confirmed;
 * <li>{@code crmkit.relay.failures} (gauge): failed attempts since the last success;
 * <li>{@code crmkit.relay.state} (gauge) tagged {@code state}: 1 for the state the relay is in, 0 for the others.
 * </ul>
 */
public final class RelayMetrics implements MeterBinder, AutoCloseable {
    private final ChangeRelay relay;
    private final Tags tags;
    private final BoundMeters bound = new BoundMeters();

    /** Metrics of {@code relay}. */
    public RelayMetrics(ChangeRelay relay) {
        this(relay, List.of());
    }

    /** Metrics of {@code relay} with {@code tags} on every meter. */
    public RelayMetrics(ChangeRelay relay, Iterable<Tag> tags) {
        this.relay = Objects.requireNonNull(relay, "relay");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags")).and("relay", relay.name());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        gauge(registry, "crmkit.relay.lag", Tags.empty(), RelayStatus::lag);
        gauge(registry, "crmkit.relay.confirmed.sequence", Tags.empty(), RelayStatus::confirmedSequence);
        gauge(registry, "crmkit.relay.failures", Tags.empty(), RelayStatus::consecutiveFailures);
        for (RelayState state : RelayState.values()) {
            gauge(registry, "crmkit.relay.state", Tags.of("state", state.name().toLowerCase(java.util.Locale.ROOT)),
                    s -> s.state() == state ? 1 : 0);
        }
    }

    private void gauge(MeterRegistry registry, String name, Tags more, ToDoubleFunction<RelayStatus> value) {
        bound.add(registry, Gauge.builder(name, relay, r -> value.applyAsDouble(r.status())).tags(tags).tags(more)
                .strongReference(true).register(registry));
    }

    /** Removes every meter this binder registered. */
    @Override
    public void close() {
        bound.close();
    }
}
