package org.crmkit.workflow.internal;

import java.time.Duration;
import java.util.List;
import org.crmkit.storage.spi.StorageTransaction;
import org.crmkit.workflow.spi.JobQueue.ClaimedJob;
import org.crmkit.workflow.spi.JobQueue.NewJob;

/**
 * Completes a job in the transaction of its work, enqueueing the jobs it leads to, so that effects, follow-up jobs and
 * completion commit together.
 */
final class JobCompletion {
    private final CrmBinding crm;
    private final Duration keepDone;

    JobCompletion(CrmBinding crm, Duration keepDone) {
        this.crm = crm;
        this.keepDone = keepDone;
    }

    void complete(StorageTransaction tx, ClaimedJob job, List<NewJob> follow) {
        crm.queue().enqueue(tx, follow);
        crm.queue().complete(tx, job, crm.now(), keepsDone(job));
    }

    /**
     * Whether a finished job stays (as DONE, deduping its key) or goes at once: with {@code keepDone(ZERO)} submitted
     * jobs go; schedule and date fires stay a minute at least, so that nodes re-planning the same fire find its key.
     */
    private boolean keepsDone(ClaimedJob job) {
        return !keepDone.isZero() || job.kind().equals(Payloads.CRON) || job.kind().equals(Payloads.DATE);
    }
}
