package org.crmkit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.crmkit.Crm;
import org.crmkit.storage.memory.InMemoryStorage;
import org.crmkit.workflow.RetryPolicy;
import org.crmkit.workflow.Workflow;
import org.junit.jupiter.api.Test;

/** The job queue's meters on a real workflow queue, run by hand. */
class JobQueueMetricsTest {
    @Test
    void depthAgeDeadLettersAndThroughputFollowTheQueue() throws Exception {
        Workflow w = Workflow.builder().workers(0).retry(new RetryPolicy(1, Duration.ofMillis(1), 1,
                Duration.ofMillis(1), 0)).action("ok", c -> {}).action("fail", c -> {
                    throw new IllegalStateException("no");
                }).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).workflow(w).build();
                JobQueueMetrics metrics = new JobQueueMetrics(w.jobs())) {
            metrics.bindTo(registry);
            w.jobs().submit("ok", Map.of(), "late", Instant.now().minus(Duration.ofMinutes(2)));
            w.jobs().submit("fail", Map.of(), "bad", Instant.now().minus(Duration.ofMinutes(1)));
            assertThat(registry.get("crmkit.jobs").tag("status", "ready").gauge().value()).isEqualTo(2);
            assertThat(registry.get("crmkit.jobs.oldest.due.age").timeGauge().value(TimeUnit.SECONDS))
                    .isGreaterThanOrEqualTo(120);

            w.jobs().runDue(); // ok succeeds; fail fails its only attempt and is a dead letter
            Thread.sleep(1_100); // the counts are kept for a second
            assertThat(registry.get("crmkit.jobs").tag("status", "ready").gauge().value()).isZero();
            assertThat(registry.get("crmkit.jobs").tag("status", "dead").gauge().value()).isEqualTo(1);
            assertThat(registry.get("crmkit.jobs.oldest.due.age").timeGauge().value(TimeUnit.SECONDS)).isZero();
            assertThat(registry.get("crmkit.jobs.processed").tag("result", "succeeded").functionCounter().count())
                    .isEqualTo(1);
            assertThat(registry.get("crmkit.jobs.processed").tag("result", "dead_lettered").functionCounter()
                    .count()).isEqualTo(1);
        }
    }
}
