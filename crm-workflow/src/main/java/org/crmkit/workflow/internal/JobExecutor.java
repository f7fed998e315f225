package org.crmkit.workflow.internal;

import org.crmkit.workflow.spi.JobQueue.ClaimedJob;

/**
 * Runs one claimed job by its kind: a step of a rules run, a schedule or date fire, a submitted action, or a refusal
 * (which fails for good with its reason). Each runs in one service transaction that also completes the job, so CRM
 * effects and completion commit together; outside calls (webhook, notifier, custom action) happen inside it before
 * any database work of the step, so no connection is held while they wait.
 */
final class JobExecutor {
    private final Payloads payloads;
    private final RuleStepRunner steps;
    private final FireRunner fires;
    private final CustomActions custom;

    JobExecutor(Payloads payloads, RuleStepRunner steps, FireRunner fires, CustomActions custom) {
        this.payloads = payloads;
        this.steps = steps;
        this.fires = fires;
        this.custom = custom;
    }

    void run(ClaimedJob job) {
        switch (job.kind()) {
            case Payloads.RULES -> steps.run(job, payloads.rules(job.payload()));
            case Payloads.CRON -> fires.cron(job, payloads.cron(job.payload()));
            case Payloads.DATE -> fires.date(job, payloads.date(job.payload()));
            case Payloads.ACTION -> custom.runSubmitted(job, payloads.submitted(job.payload()));
            case Payloads.REFUSED -> throw new JobFailure(payloads.refused(job.payload()).reason(), true);
            default -> throw new JobFailure("unknown job kind " + job.kind(), true);
        }
    }
}
