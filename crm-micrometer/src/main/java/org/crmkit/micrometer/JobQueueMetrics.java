package org.crmkit.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.crmkit.workflow.JobStats;
import org.crmkit.workflow.JobView;
import org.crmkit.workflow.Jobs;

/**
 * Binds a workflow's job queue ({@code workflow.jobs()}) to a {@link MeterRegistry}:
 *
 * <ul>
 * <li>{@code crmkit.jobs} (gauge) tagged {@code status=ready|running|dead}: the queue's depth and its dead letters;
 * <li>{@code crmkit.jobs.oldest.due.age} (time gauge): how long the oldest due job has waited;
 * <li>{@code crmkit.jobs.processed} (function counter) tagged {@code result=succeeded|retried|dead_lettered}: this
 * node's throughput.
 * </ul>
 *
 * The gauges read the queue once per publication (the counts are read once for the three statuses, kept for a second).
 */
public final class JobQueueMetrics implements MeterBinder, AutoCloseable {
    private static final long FRESH_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Jobs jobs;
    private final Iterable<Tag> tags;
    private final BoundMeters bound = new BoundMeters();
    private volatile Map<JobView.Status, Long> counts = Map.of();
    private volatile long countedAt;
    private volatile boolean counted;

    /** Metrics of {@code jobs}. */
    public JobQueueMetrics(Jobs jobs) {
        this(jobs, List.of());
    }

    /** Metrics of {@code jobs} with {@code tags} on every meter. */
    public JobQueueMetrics(Jobs jobs, Iterable<Tag> tags) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        for (JobView.Status status : List.of(JobView.Status.READY, JobView.Status.RUNNING, JobView.Status.DEAD)) {
            bound.add(registry, Gauge.builder("crmkit.jobs", this, m -> m.count(status))
                    .description("jobs in the queue by status (dead: dead letters)").tags(tags)
                    .tag("status", status.name().toLowerCase(java.util.Locale.ROOT)).strongReference(true)
                    .register(registry));
        }
        bound.add(registry, TimeGauge.builder("crmkit.jobs.oldest.due.age", jobs, TimeUnit.MILLISECONDS,
                j -> j.oldestDueAge().toMillis()).description("how long the oldest due job has waited").tags(tags)
                .strongReference(true).register(registry));
        processed(registry, "succeeded", JobStats::succeeded);
        processed(registry, "retried", JobStats::retried);
        processed(registry, "dead_lettered", JobStats::deadLettered);
    }

    private void processed(MeterRegistry registry, String result, ToLongFunction<JobStats> count) {
        bound.add(registry, FunctionCounter.builder("crmkit.jobs.processed", jobs,
                j -> count.applyAsLong(j.stats())).description("jobs this node ran, by result").tags(tags)
                .tag("result", result).register(registry));
    }

    private double count(JobView.Status status) {
        long now = System.nanoTime();
        if (!counted || now - countedAt > FRESH_NANOS) {
            counts = jobs.counts();
            countedAt = now;
            counted = true;
        }
        return counts.getOrDefault(status, 0L);
    }

    /** Removes every meter this binder registered. */
    @Override
    public void close() {
        bound.close();
    }
}
