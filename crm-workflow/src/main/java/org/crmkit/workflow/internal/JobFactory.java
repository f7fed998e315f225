package org.crmkit.workflow.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.crmkit.record.Record;
import org.crmkit.workflow.Trigger;
import org.crmkit.workflow.spi.JobQueue.NewJob;
import org.jspecify.annotations.Nullable;

/**
 * Turns rule runs, schedule and date fires, refusals and submitted actions into job rows (id, kind, key, group,
 * payload, due time): the one place that mints job ids and writes job payloads, shared by the planner, the job
 * executors and the admin views. It reads the time from the clock it is given and calls nothing else.
 */
final class JobFactory {
    private final Payloads payloads;
    private final Supplier<Instant> clock;
    private final AtomicLong lastJobMillis = new AtomicLong();

    JobFactory(Payloads payloads, Supplier<Instant> clock) {
        this.payloads = payloads;
        this.clock = clock;
    }

    NewJob newJob(String kind, String key, @Nullable String group, String payload, Instant runAt) {
        return new NewJob(jobId(), kind, key, group, payload, runAt, clock.get());
    }

    /** The job running (the next step of) {@code run}, under {@code key}. */
    NewJob runJob(String key, Payloads.RulesRun run, Instant at) {
        return newJob(Payloads.RULES, key, null, payloads.write(run), at);
    }

    /** A job that reports, as a dead letter, why a rule was not run for a change (a cycle or the depth limit). */
    NewJob refusedJob(String key, String rule, String reason, Instant now) {
        return newJob(Payloads.REFUSED, key, null, payloads.write(new Payloads.Refused(rule, reason)), now);
    }

    /** A custom action submitted to run at {@code runAt}. */
    NewJob submittedJob(String key, String action, java.util.Map<String, String> parameters, Instant runAt) {
        return newJob(Payloads.ACTION, key, null, payloads.write(new Payloads.Submitted(action, parameters)), runAt);
    }

    /** A rules run of one rule (from a schedule, a date, or by hand). */
    NewJob rulesJob(String base, CompiledRule rule, @Nullable UUID record, String event, Instant now) {
        Payloads.RulesRun run = new Payloads.RulesRun(base, rule.type == null ? null : rule.type.name(), record,
                List.of(RuleJson.write(rule.rule)), 0, 0, 0, List.of(), event, List.of(), Map.of(), 0, List.of());
        return newJob(Payloads.RULES, base, null, payloads.write(run), now);
    }

    /** The next fire of a schedule rule after {@code after}, or null when the schedule has no more. */
    @Nullable
    NewJob cronJob(CompiledRule rule, Instant after) {
        CronSchedule cron = rule.cron;
        Instant next = cron == null ? null : cron.next(after).orElse(null);
        if (next == null) {
            return null;
        }
        return newJob(Payloads.CRON, "cron:" + rule.name() + ":v" + rule.rule.version() + ":" + next.toEpochMilli(),
                "cron:" + rule.name(), payloads.write(new Payloads.Cron(rule.name(), rule.rule.version(), next)), next);
    }

    /** The group of the waiting date fire of a rule for a record (cancelled when the date moves). */
    static String dateGroup(String rule, UUID record) {
        return "date:" + rule + ":" + record;
    }

    /** When a date rule fires for a record: its field's value plus the offset; null when empty. */
    static @Nullable Instant dateTarget(CompiledRule r, Record record) {
        Trigger.RelativeToDate t = (Trigger.RelativeToDate) r.rule.trigger();
        Object v = record.values().get(t.field());
        Instant base = v instanceof LocalDate d ? d.atStartOfDay(ZoneOffset.UTC).toInstant()
                : v instanceof Instant i ? i : null;
        return base == null ? null : base.plus(t.offset());
    }

    /** The job of a date rule for a record, or null when the time is empty or past. */
    @Nullable
    NewJob dateJob(CompiledRule r, Record record, Instant now) {
        Instant at = dateTarget(r, record);
        if (at == null || !at.isAfter(now)) {
            return null;
        }
        String key = "date:" + r.name() + ":v" + r.rule.version() + ":" + record.id() + ":" + at;
        return newJob(Payloads.DATE, key, dateGroup(r.name(), record.id()),
                payloads.write(new Payloads.DateFire(r.name(), r.rule.version(), record.id(), at)), at);
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
