package org.crmkit.testkit;

import java.util.Objects;
import org.crmkit.CrmWorkflow;

/**
 * The manual job runner for tests: runs a {@code Crm}'s workflow jobs on the test's thread until none is due, in
 * bounded rounds, so that a job that keeps making more jobs fails the test instead of hanging it.
 *
 * <pre>{@code
 * deals.update(deal, Map.of("stage", "closed_won"));
 * jobs.runUntilIdle();                 // the rules the change triggered have run
 * clock.advance(Duration.ofDays(3));
 * jobs.runUntilIdle();                 // and what they scheduled three days later
 * }</pre>
 *
 * <p>{@link CrmExtension} hands one to tests that ask for it when it was given a workflow
 * ({@link CrmExtension#withWorkflow}); elsewhere {@link #of(CrmWorkflow)}. Immutable. Jobs are due by the
 * {@code Crm}'s clock; a workflow built with no worker threads runs jobs only here.
 */
public final class JobRunner {
    /** Rounds {@link #runUntilIdle()} runs before it gives up, unless {@link #maxRounds(int)} says otherwise. */
    public static final int DEFAULT_MAX_ROUNDS = 100;
    /** Jobs run per round at most. */
    public static final int JOBS_PER_ROUND = 100;

    private final CrmWorkflow workflow;
    private final int maxRounds;

    private JobRunner(CrmWorkflow workflow, int maxRounds) {
        this.workflow = workflow;
        this.maxRounds = maxRounds;
    }

    /** A runner for {@code workflow}, which must be the one a {@code Crm} was built with. */
    public static JobRunner of(CrmWorkflow workflow) {
        return new JobRunner(Objects.requireNonNull(workflow, "workflow"), DEFAULT_MAX_ROUNDS);
    }

    /** The same runner, giving up after {@code rounds} rounds of {@value #JOBS_PER_ROUND} jobs. */
    public JobRunner maxRounds(int rounds) {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be positive, got " + rounds);
        }
        return new JobRunner(workflow, rounds);
    }

    /**
     * Runs due jobs, up to {@value #JOBS_PER_ROUND} a round, until a round finds none due, and returns how many
     * ran (jobs a job makes due run too).
     *
     * @throws AssertionError if jobs are still due after the last round: something keeps making jobs (a custom
     *     action submitting one per run, a rule updating the record that triggers it beyond the depth limit...)
     */
    public int runUntilIdle() {
        int ran = 0;
        for (int round = 0; round < maxRounds; round++) {
            int n = workflow.runDueJobs(JOBS_PER_ROUND);
            if (n == 0) {
                return ran;
            }
            ran += n;
        }
        if (workflow.runDueJobs(1) == 0) {
            return ran;
        }
        throw new AssertionError("jobs were still due after " + maxRounds + " rounds (" + (ran + 1)
                + " jobs ran): something keeps making jobs; raise JobRunner.maxRounds if that many are expected");
    }

    @Override
    public String toString() {
        return "JobRunner[" + workflow.name() + ", maxRounds=" + maxRounds + "]";
    }
}
