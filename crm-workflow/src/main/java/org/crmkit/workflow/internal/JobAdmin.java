package org.crmkit.workflow.internal;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.security.Principal;
import org.crmkit.workflow.JobView;
import org.crmkit.workflow.Jobs;
import org.crmkit.workflow.spi.JobQueue;

/** {@link Jobs} on the storage's job queue, run by this node's job runner. */
final class JobAdmin implements Jobs {
    private final Set<String> actions;
    private final CrmBinding crm;
    private final JobFactory jobs;
    private final Payloads payloads;
    private final JobRunner runner;

    JobAdmin(Set<String> actions, CrmBinding crm, JobFactory jobs, Payloads payloads, JobRunner runner) {
        this.actions = Set.copyOf(actions);
        this.crm = crm;
        this.jobs = jobs;
        this.payloads = payloads;
        this.runner = runner;
    }

    @Override
    public UUID submit(String action, Map<String, String> parameters, String key, Instant runAt) {
        java.util.List<FieldError> errors = new java.util.ArrayList<>();
        if (action == null || !actions.contains(action)) {
            errors.add(new FieldError("action", FieldErrorCode.UNKNOWN_OPTION, "no custom action '" + action
                    + "' registered"));
        }
        if (key == null || key.isBlank() || key.length() > 200) {
            errors.add(new FieldError("key", FieldErrorCode.OUT_OF_RANGE, "key must be 1 to 200 characters"));
        }
        if (parameters == null || runAt == null) {
            errors.add(new FieldError(parameters == null ? "parameters" : "runAt", FieldErrorCode.REQUIRED,
                    "must not be null"));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException("job", errors);
        }
        String fullKey = "submit:" + key;
        JobQueue.NewJob job = jobs.submittedJob(fullKey, action, Map.copyOf(parameters), runAt);
        crm.transaction(Principal.SYSTEM, (s, tx) -> {
            crm.queue().enqueue(tx, List.of(job));
            return null;
        });
        runner.wake();
        return crm.queue().findByKey(fullKey).map(JobQueue.JobInfo::id).orElse(job.id());
    }

    private JobView view(JobQueue.JobInfo i) {
        return new JobView(i.id(), i.kind(), i.key(), payloads.ruleOf(i.kind(), i.payload()),
                JobView.Status.valueOf(i.state().name()), i.attempts(), i.runAt(), i.worker(), i.lastError(),
                i.createdAt(), i.finishedAt());
    }

    @Override
    public List<JobView> deadLetters(int limit) {
        return list(JobView.Status.DEAD, limit);
    }

    @Override
    public List<JobView> list(JobView.Status status, int limit) {
        if (status == null || limit < 1 || limit > 10_000) {
            throw new ValidationException("job", new FieldError("limit", FieldErrorCode.OUT_OF_RANGE,
                    "status is required and limit must be 1 to 10,000"));
        }
        return crm.queue().list(JobQueue.JobState.valueOf(status.name()), limit).stream().map(this::view)
                .toList();
    }

    @Override
    public Optional<JobView> find(UUID id) {
        return crm.queue().find(id).map(this::view);
    }

    @Override
    public boolean retry(UUID id) {
        boolean retried = crm.queue().retry(id, crm.now());
        if (retried) {
            runner.wake();
        }
        return retried;
    }

    @Override
    public Map<JobView.Status, Long> counts() {
        Map<JobView.Status, Long> out = new EnumMap<>(JobView.Status.class);
        crm.queue().counts().forEach((s, n) -> out.put(JobView.Status.valueOf(s.name()), n));
        return out;
    }

    @Override
    public org.crmkit.workflow.JobStats stats() {
        return runner.stats();
    }

    @Override
    public java.time.Duration oldestDueAge() {
        Instant now = crm.now();
        return crm.queue().list(JobQueue.JobState.READY, 1).stream().map(j -> j.runAt())
                .filter(at -> !at.isAfter(now)).findFirst().map(at -> java.time.Duration.between(at, now))
                .orElse(java.time.Duration.ZERO);
    }

    @Override
    public int runDue() {
        return runner.runDue();
    }
}
