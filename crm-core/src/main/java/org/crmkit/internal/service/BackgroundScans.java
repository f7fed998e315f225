package org.crmkit.internal.service;

import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.crmkit.duplicate.DuplicateScan;
import org.crmkit.duplicate.ScanJob;
import org.crmkit.duplicate.ScanProgress;
import org.crmkit.error.CrmException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The duplicate scans an engine runs in the background: one daemon thread, started with the first scan, running them
 * in the order started. Closing cancels every scan not yet ended, lets the page being read finish and stops the
 * thread.
 */
final class BackgroundScans implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundScans.class);
    private static final long CLOSE_WAIT_SECONDS = 60;

    private final Set<Job> jobs = ConcurrentHashMap.newKeySet();
    private final BackgroundThread thread = new BackgroundThread("crmkit-duplicate-scan");

    /**
     * Queues {@code work} (the scan itself, reporting to and checking for cancellation through the job it is given)
     * and returns its handle; refused once closing began.
     */
    ScanJob start(String objectType, Consumer<ScanProgress> listener, Function<Job, DuplicateScan> work) {
        Job job = new Job(objectType, listener);
        jobs.add(job);
        try {
            thread.execute(() -> job.run(work));
        } catch (CrmException e) {
            jobs.remove(job);
            throw e;
        }
        return job;
    }

    @Override
    public void close() {
        thread.close(() -> jobs.forEach(Job::cancel));
    }

    private enum State {
        QUEUED, RUNNING, ENDED
    }

    /** One scan: its progress, its outcome, its cancellation. */
    final class Job implements ScanJob {
        private final String objectType;
        private final Consumer<ScanProgress> listener;
        private final CompletableFuture<DuplicateScan> outcome = new CompletableFuture<>();
        private final AtomicReference<State> state = new AtomicReference<>(State.QUEUED);
        private volatile ScanProgress progress;
        private volatile boolean cancelled;

        private Job(String objectType, Consumer<ScanProgress> listener) {
            this.objectType = objectType;
            this.listener = listener;
            this.progress = new ScanProgress(objectType, 0, 0, 0, false);
        }

        private void run(Function<Job, DuplicateScan> work) {
            if (!state.compareAndSet(State.QUEUED, State.RUNNING)) {
                return; // cancelled while queued
            }
            try {
                outcome.complete(work.apply(this));
            } catch (RuntimeException | Error e) {
                ScanProgress last = progress;
                report(new ScanProgress(objectType, last.scanned(), last.total(), last.clusters(), true));
                outcome.completeExceptionally(e);
            } finally {
                state.set(State.ENDED);
                jobs.remove(this);
            }
        }

        /** Records and passes on a report of the scan. */
        void report(ScanProgress p) {
            progress = p;
            try {
                listener.accept(p);
            } catch (RuntimeException e) {
                LOG.warn("a duplicate scan's progress listener failed", e);
            }
        }

        /** Throws a {@link CancellationException} once the scan was asked to stop. */
        void checkCancelled() {
            if (cancelled) {
                throw new CancellationException("the duplicate scan of " + objectType + " was cancelled");
            }
        }

        @Override
        public String objectType() {
            return objectType;
        }

        @Override
        public ScanProgress progress() {
            return progress;
        }

        @Override
        public CompletionStage<DuplicateScan> result() {
            return outcome.minimalCompletionStage();
        }

        @Override
        public boolean cancel() {
            if (outcome.isDone()) {
                return false;
            }
            cancelled = true;
            if (state.compareAndSet(State.QUEUED, State.ENDED)) {
                jobs.remove(this);
                report(new ScanProgress(objectType, 0, 0, 0, true));
                outcome.completeExceptionally(new CancellationException("the duplicate scan of " + objectType
                        + " was cancelled before it began"));
            }
            return true;
        }
    }
}
