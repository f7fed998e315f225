package org.crmkit.workflow.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.crmkit.workflow.spi.JobQueue.NewJob;
import org.jspecify.annotations.Nullable;

/**
 * Turns rule runs, schedule fires and submitted actions into job rows (id, kind, key, group, payload, due time);
 * the one place that mints job ids and writes job payloads, shared by the planner, the executor and the admin views.
 */
final class JobFactory {
    private final Payloads payloads;
    private final Supplier<Instant> clock;
    private final AtomicLong lastJobMillis = new AtomicLong();

    JobFactory(Payloads payloads, Supplier<Instant> clock) {
        this.payloads = payloads;
        this.clock = clock;
    }

    Payloads payloads() {
        return payloads;
    }

    NewJob newJob(String kind, String key, @Nullable String group, String payload, Instant runAt) {
        return new NewJob(jobId(), kind, key, group, payload, runAt, clock.get());
    }

    /** A rules run of one rule (from a schedule, a date, or by hand). */
    NewJob rulesJob(String base, CompiledRule rule, @Nullable UUID record, String event, Instant now) {
        Payloads.RulesRun run = new Payloads.RulesRun(base, rule.type == null ? null : rule.type.name(), record,
                List.of(RuleJson.write(rule.rule)), 0, 0, 0, List.of(), event, List.of(), Map.of());
        return newJob(Payloads.RULES, base, null, payloads.write(run), now);
    }

    /** The next fire of a schedule rule after {@code after}, or null when the schedule has no more. */
    @Nullable
    NewJob cronJob(CompiledRule rule, Instant after) {
        Instant next = rule.cron.next(after).orElse(null);
        if (next == null) {
            return null;
        }
        return newJob(Payloads.CRON, "cron:" + rule.name() + ":v" + rule.rule.version() + ":" + next.toEpochMilli(),
                "cron:" + rule.name(), payloads.write(new Payloads.Cron(rule.name(), rule.rule.version(), next)), next);
    }

    /**
     * A time-ordered id (UUIDv7 layout: 48 bits of milliseconds, then a counter), so that jobs due at the same time are
     * claimed in the order they were made; monotonic on this node even when the clock stands still (tests).
     */
    private UUID jobId() {
        long stamp = lastJobMillis.updateAndGet(prev -> Math.max(prev + 1, clock.get().toEpochMilli() << 12));
        long msb = ((stamp >>> 12) << 16) | 0x7000L | (stamp & 0x0fffL);
        long lsb = (ThreadLocalRandom.current().nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
