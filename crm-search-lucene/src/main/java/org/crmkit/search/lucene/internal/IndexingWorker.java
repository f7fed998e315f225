package org.crmkit.search.lucene.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes the index ({@value #THREAD_NAME}, a daemon), so that no two writes ever run at once:
 * rounds of indexing, each started at once by {@link #wakeUp()} (a commit of this node, a caller waiting) or by a
 * timer one poll interval after the last round (a growing back-off after a failure), and tasks callers hand over
 * ({@link #call}, a rebuild).
 *
 * <p>Modelled on Hibernate Search: its {@code BatchingExecutor} funnels every write of a Lucene index through one
 * background thread; its {@code SingletonTask.ensureScheduled()} queues at most one run however often it is called
 * (here {@link #wakeUp()} with {@code roundQueued}); its outbox event processor schedules the next poll one polling
 * interval after a run that found nothing more to do.
 */
final class IndexingWorker {
    static final String THREAD_NAME = "crmkit-search-indexer";
    private static final Logger LOG = LoggerFactory.getLogger(IndexingWorker.class);
    private static final long MIN_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    /** Work done on the indexer thread. */
    @FunctionalInterface
    interface Work {
        void run() throws IOException;
    }

    private final ScheduledThreadPoolExecutor executor;
    private final Work round;
    private final long pollMillis;
    private final AtomicBoolean roundQueued = new AtomicBoolean();
    private volatile boolean stopped;
    // confined to the indexer thread
    private @Nullable ScheduledFuture<?> nextPoll;
    private long backoffMillis;
    private boolean retrying;

    /** A worker running {@code round} when woken and every {@code pollInterval}; {@link #wakeUp()} starts it. */
    IndexingWorker(Duration pollInterval, Work round) {
        this.round = round;
        this.pollMillis = Math.max(1, pollInterval.toMillis());
        this.executor = new ScheduledThreadPoolExecutor(1,
                r -> Thread.ofPlatform().daemon().name(THREAD_NAME).unstarted(r));
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Makes a round start as soon as the thread is free; calls while one is queued add nothing. */
    void wakeUp() {
        if (stopped || !roundQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(this::onWakeUp);
        } catch (RejectedExecutionException e) {
            // stopping: no more rounds
        }
    }

    private void onWakeUp() {
        roundQueued.set(false);
        if (!retrying) { // during a back-off the retry the timer starts picks the change up
            runRound();
        }
    }

    private void onTimer() {
        retrying = false;
        runRound();
    }

    private void runRound() {
        if (stopped) {
            return;
        }
        long delay = pollMillis;
        try {
            round.run();
            backoffMillis = 0;
        } catch (IOException | RuntimeException e) {
            if (stopped) {
                return;
            }
            backoffMillis = Math.min(MAX_BACKOFF_MILLIS, Math.max(MIN_BACKOFF_MILLIS, backoffMillis * 2));
            LOG.warn("search indexing failed; retrying in {} ms: {}", backoffMillis, e.toString());
            retrying = true;
            delay = backoffMillis;
        } catch (Error e) {
            LOG.error("search indexing failed; it resumes at the next commit of this node", e);
            throw e;
        }
        if (nextPoll != null) {
            nextPoll.cancel(false);
        }
        try {
            nextPoll = executor.schedule(this::onTimer, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    /**
     * Runs {@code work} on the indexer thread between two rounds and waits for it; its failure is rethrown here
     * (an {@link IOException} wrapped as {@link UncheckedIOException} with {@code failure} as its message).
     */
    void call(Work work, String failure) {
        Future<?> done;
        try {
            done = executor.submit(() -> {
                if (stopped) {
                    throw closed();
                }
                work.run();
                return null;
            });
        } catch (RejectedExecutionException e) {
            throw closed();
        }
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the search indexer: " + failure
                    + " goes on in the background", e);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw new UncheckedIOException(failure, io);
                case RuntimeException r -> throw r;
                case Error r -> throw r;
                case null, default -> throw new IllegalStateException(failure, e.getCause());
            }
        }
    }

    private static CrmException closed() {
        return new CrmException(ErrorCode.CLOSED, "the search engine is closed");
    }

    /**
     * Stops the rounds: the one running finishes (the work checks for closing at each step), queued ones are
     * dropped, then {@code last} runs on the indexer thread, and the thread ends before this returns.
     */
    void stop(Runnable last) {
        stopped = true;
        try {
            executor.execute(last);
        } catch (RejectedExecutionException e) {
            LOG.debug("search indexer already stopped", e);
        }
        executor.shutdown();
        boolean interrupted = false;
        while (true) {
            try {
                if (executor.awaitTermination(30, TimeUnit.SECONDS)) {
                    break;
                }
                LOG.warn("still waiting for the search indexer to finish its round");
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
