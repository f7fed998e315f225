package org.crmkit.internal.backup;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for the work a backup or restore hands to a thread of its own, and rethrowing what it threw. */
final class Futures {
    private Futures() {}

    /** The result of {@code f}, its exception (unchecked as thrown), or an {@link IllegalStateException}. */
    static <T> T join(Future<T> f, String doing) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + doing, e);
        }
    }

    /**
     * Shuts {@code thread} down and waits for the work still running, however long it takes: the clean-up after a
     * failure must not run beside it.
     */
    static void finish(java.util.concurrent.ExecutorService thread) {
        thread.shutdown();
        try {
            while (!thread.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES)) {
                // still writing
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
