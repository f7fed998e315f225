package org.crmkit.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.crmkit.observe.OperationListener;

/**
 * The operation listener behind {@code crmkit.operation}: one timer per type, operation and outcome, found through
 * three nested maps keyed by the strings the engine passes (no key object is made per operation).
 */
final class OperationTimers implements OperationListener {
    static final String NAME = "crmkit.operation";

    private final MeterRegistry registry;
    private final Iterable<Tag> tags;
    private final BoundMeters bound;
    private final ConcurrentMap<String, ConcurrentMap<String, ConcurrentMap<String, Timer>>> timers = new ConcurrentHashMap<>();

    OperationTimers(MeterRegistry registry, Iterable<Tag> tags, BoundMeters bound) {
        this.registry = registry;
        this.tags = tags;
        this.bound = bound;
    }

    @Override
    public void completed(String objectType, String operation, String outcome, long durationNanos) {
        ConcurrentMap<String, Timer> byOutcome = timers.computeIfAbsent(objectType, t -> new ConcurrentHashMap<>())
                .computeIfAbsent(operation, o -> new ConcurrentHashMap<>());
        Timer timer = byOutcome.get(outcome); // first: the lambda below captures, so it would allocate every time
        if (timer == null) {
            timer = byOutcome.computeIfAbsent(outcome, r -> timer(objectType, operation, outcome));
        }
        timer.record(durationNanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(String objectType, String operation, String outcome) {
        return bound.add(registry, Timer.builder(NAME).description("CRMKit session operations")
                .tags(Tags.of(tags).and("type", objectType, "operation", operation, "outcome", outcome))
                .register(registry));
    }
}
