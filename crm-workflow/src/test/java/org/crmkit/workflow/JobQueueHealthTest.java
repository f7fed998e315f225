package org.crmkit.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.health.HealthBounds;
import org.crmkit.health.HealthComponent;
import org.crmkit.health.HealthStatus;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.Test;

/** The job queue's throughput counters, oldest due age and health component, on a real queue. */
class JobQueueHealthTest {
    @Test
    void countersAgeAndHealthFollowTheQueue() {
        Workflow w = Workflow.builder().workers(0).retry(new RetryPolicy(1, Duration.ofMillis(1), 1,
                Duration.ofMillis(1), 0)).action("ok", c -> {}).action("fail", c -> {
                    throw new IllegalStateException("no");
                }).build();
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).workflow(w).build()) {
            assertThat(w.jobs().oldestDueAge()).isEqualTo(Duration.ZERO);
            w.jobs().submit("ok", Map.of(), "late", Instant.now().minus(Duration.ofMinutes(5)));
            w.jobs().submit("ok", Map.of(), "future", Instant.now().plus(Duration.ofDays(1)));
            assertThat(w.jobs().oldestDueAge()).isGreaterThanOrEqualTo(Duration.ofMinutes(5));
            HealthComponent jobs = crm.admin().health().components().get("jobs");
            assertThat(jobs.status()).isEqualTo(HealthStatus.UP);
            assertThat(jobs.details()).containsEntry("ready", 2L).containsEntry("deadLetters", 0L);
            assertThat((Long) jobs.details().get("oldestDueAgeMillis")).isGreaterThanOrEqualTo(300_000L);

            assertThat(w.jobs().runDue()).isEqualTo(1);
            assertThat(w.jobs().stats()).isEqualTo(new JobStats(1, 0, 0));
            assertThat(w.jobs().oldestDueAge()).isEqualTo(Duration.ZERO); // the other one is not due

            w.jobs().submit("fail", Map.of(), "bad", Instant.now());
            w.jobs().runDue();
            assertThat(w.jobs().stats()).isEqualTo(new JobStats(1, 0, 1));
            jobs = crm.admin().health().components().get("jobs");
            assertThat(jobs.status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(jobs.details()).containsEntry("deadLetters", 1L);
            assertThat(crm.admin().health().status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(crm.admin().health(HealthBounds.defaults().withMaxDeadLetters(1)).status())
                    .isEqualTo(HealthStatus.UP);
        }
    }
}
