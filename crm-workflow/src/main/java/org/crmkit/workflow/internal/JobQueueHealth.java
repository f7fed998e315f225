package org.crmkit.workflow.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.crmkit.health.HealthBounds;
import org.crmkit.health.HealthComponent;
import org.crmkit.health.HealthStatus;
import org.crmkit.health.spi.HealthContributor;
import org.crmkit.workflow.JobView;
import org.crmkit.workflow.Jobs;

/**
 * The job queue's part of the health check ({@code jobs}): DEGRADED with more dead letters than the bound, with the
 * counts by status and the oldest due job's age as details; DOWN when the queue cannot be read.
 */
final class JobQueueHealth implements HealthContributor {
    private final Jobs jobs;

    JobQueueHealth(Jobs jobs) {
        this.jobs = jobs;
    }

    @Override
    public String name() {
        return "jobs";
    }

    @Override
    public HealthComponent check(HealthBounds bounds) {
        Map<JobView.Status, Long> counts;
        long ageMillis;
        try {
            counts = jobs.counts();
            ageMillis = jobs.oldestDueAge().toMillis();
        } catch (RuntimeException e) {
            return HealthComponent.down(e instanceof org.crmkit.error.CrmException c ? c.code().name()
                    : e.getClass().getName());
        }
        long dead = counts.getOrDefault(JobView.Status.DEAD, 0L);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("ready", counts.getOrDefault(JobView.Status.READY, 0L));
        details.put("running", counts.getOrDefault(JobView.Status.RUNNING, 0L));
        details.put("deadLetters", dead);
        details.put("maxDeadLetters", bounds.maxDeadLetters());
        details.put("oldestDueAgeMillis", ageMillis);
        return HealthComponent.of(dead > bounds.maxDeadLetters() ? HealthStatus.DEGRADED : HealthStatus.UP, details);
    }
}
