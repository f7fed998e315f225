package org.crmkit.internal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.crmkit.duplicate.DuplicateScan;
import org.crmkit.duplicate.ScanJob;
import org.crmkit.duplicate.ScanProgress;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;
import org.junit.jupiter.api.Test;

/**
 * The background scans' life: one at a time in order, cancelled while queued or running, all cancelled by closing,
 * none started after. Scans here are stand-ins that wait for their cancellation, so nothing depends on timing.
 */
class BackgroundScansTest {
    private final BackgroundScans scans = new BackgroundScans();

    /** A scan that reports one page, then waits until it is cancelled. */
    private static DuplicateScan untilCancelled(BackgroundScans.Job job, CountDownLatch started) {
        job.report(new ScanProgress("contact", 1, 9, 0, false));
        started.countDown();
        while (true) {
            job.checkCancelled();
            LockSupport.parkNanos(1_000_000);
        }
    }

    private static Throwable failure(ScanJob job) throws Exception {
        Throwable e = job.result().handle((scan, t) -> t).toCompletableFuture().get(1, TimeUnit.MINUTES);
        return e instanceof CompletionException c ? c.getCause() : e;
    }

    @Test
    void closingCancelsTheRunningAndTheQueuedScansAndRefusesNewOnes() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        ScanJob running = scans.start("contact", p -> {}, job -> untilCancelled(job, started));
        ScanJob queued = scans.start("lead", p -> {}, job -> new DuplicateScan("lead", 1, 0, List.of()));
        assertThat(started.await(1, TimeUnit.MINUTES)).isTrue();
        assertThat(queued.result().toCompletableFuture().isDone()).as("scans run one at a time").isFalse();
        scans.close();
        assertThat(failure(running)).isInstanceOf(CancellationException.class);
        assertThat(failure(queued)).isInstanceOf(CancellationException.class);
        assertThat(running.progress()).isEqualTo(new ScanProgress("contact", 1, 9, 0, true));
        assertThat(queued.progress().done()).isTrue();
        assertThatThrownBy(() -> scans.start("contact", p -> {}, job -> null))
                .isInstanceOfSatisfying(CrmException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CLOSED));
    }

    @Test
    void aQueuedScanCancelledNeverRunsAndAFailedOneEndsWithItsError() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        ScanJob first = scans.start("contact", p -> {}, job -> untilCancelled(job, started));
        ScanJob second = scans.start("lead", p -> {}, job -> {
            throw new AssertionError("a cancelled scan must not run");
        });
        ScanJob third = scans.start("company", p -> {}, job -> {
            throw new CrmException(ErrorCode.STORAGE, "the storage went away");
        });
        assertThat(started.await(1, TimeUnit.MINUTES)).isTrue();
        assertThat(second.cancel()).isTrue();
        assertThat(failure(second)).isInstanceOf(CancellationException.class);
        assertThat(first.cancel()).isTrue();
        assertThat(failure(first)).isInstanceOf(CancellationException.class);
        assertThat(failure(third)).isInstanceOf(CrmException.class).hasMessageContaining("went away");
        assertThat(third.progress().done()).isTrue();
        assertThat(third.cancel()).isFalse();
        scans.close();
    }
}
