package org.crmkit.internal.service;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread of an engine for background work of one kind (duplicate scans, roll-up recalculations), started
 * with the first task and running tasks in the order given. {@link #close(Runnable)} refuses new tasks, asks the
 * owner to cancel its own, and waits for the running task to finish.
 */
final class BackgroundThread {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundThread.class);
    private static final long CLOSE_WAIT_SECONDS = 60;

    private final String name;
    private @Nullable ExecutorService executor;
    private boolean closed;

    BackgroundThread(String name) {
        this.name = name;
    }

    /** Queues a task; refused with {@link ErrorCode#CLOSED} once closing began. */
    synchronized void execute(Runnable task) {
        if (closed) {
            throw new CrmException(ErrorCode.CLOSED, "this Crm is closed");
        }
        if (executor == null) {
            executor = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name(name).factory());
        }
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            throw new CrmException(ErrorCode.CLOSED, "this Crm is closed");
        }
    }

    /**
     * Refuses new tasks, runs {@code cancelAll} (which tells the owner's tasks to stop), then waits up to a minute for
     * the thread to end before interrupting it.
     */
    void close(Runnable cancelAll) {
        ExecutorService running;
        synchronized (this) {
            closed = true;
            running = executor;
        }
        cancelAll.run();
        if (running == null) {
            return;
        }
        running.shutdown();
        try {
            if (!running.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("{} did not stop within {} s of closing; interrupting it", name, CLOSE_WAIT_SECONDS);
                running.shutdownNow();
            }
        } catch (InterruptedException e) {
            running.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
