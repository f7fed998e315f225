package org.crmkit.internal.backup;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * Makes the target's calls on a thread of its own, one at a time and in order, so that the archive's next
 * batch is read and decoded while the target writes this one ({@code COPY} on PostgreSQL). A call's failure is
 * thrown by the next {@link #submit} or {@link #await}; {@link #close} waits for the call still running, so the
 * clean-up after a failure never runs beside it.
 */
final class WriterThread implements AutoCloseable {
    private final ExecutorService thread;
    private @Nullable Future<?> pending;

    WriterThread(String name) {
        thread = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name(name).factory());
    }

    void submit(Runnable call) {
        await();
        pending = thread.submit(call);
    }

    /** Waits for the call running, if any, and throws what it threw. */
    void await() {
        Future<?> f = pending;
        pending = null;
        if (f == null) {
            return;
        }
        Futures.join(f, "restoring");
    }

    @Override
    public void close() {
        Futures.finish(thread); // a call still writing: the clean-up must not run beside it
    }
}
