package org.crmkit.workflow;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The durable job queue of a workflow, for operators and for host jobs. */
public interface Jobs {
    /**
     * Submits a job that runs the custom action {@code action} (registered with {@link Workflow.Builder#action}) with
     * these parameters, at {@code runAt}, durably and with retries. {@code key} is the job's idempotency key: a key
     * submitted before is ignored and its job's id returned.
     */
    UUID submit(String action, Map<String, String> parameters, String key, Instant runAt);

    /** Dead letters, oldest first: jobs that failed every attempt or failed for good, with their last error. */
    List<JobView> deadLetters(int limit);

    /** Jobs with a given status, oldest run time first. */
    List<JobView> list(JobView.Status status, int limit);

    Optional<JobView> find(UUID id);

    /** Runs a dead letter again from now with a fresh count of attempts; false if it is not dead. */
    boolean retry(UUID id);

    /** How many jobs have each status. */
    Map<JobView.Status, Long> counts();

    /**
     * Runs every job that is due by the {@code Crm}'s clock, on the calling thread, until none is due (jobs the run
     * makes due, such as the next action of a rule, run too); returns how many it ran. With a settable clock this is
     * the manual job runner for tests: move the clock, then run what came due. Works with or without worker threads.
     */
    int runDue();

    /** What this node's job runner did since the workflow started: counts that only grow (for throughput). */
    JobStats stats();

    /**
     * How long the oldest job that is due (ready, its run time passed by the {@code Crm}'s clock) has waited:
     * {@link java.time.Duration#ZERO} when none is due. A growing age means the workers do not keep up.
     */
    java.time.Duration oldestDueAge();
}
