package org.crmkit.storage.spi;

import java.util.function.Consumer;

/**
 * A transaction the host application opened itself, which a {@link StorageTransaction} joined
 * ({@link StorageTransaction#joinedHost()}): the ERP's order and the CRM's activity commit or roll back together.
 * The storage transaction's {@link StorageTransaction#commit()} then only makes its writes part of the host's
 * transaction; they become durable, or are undone, when the host ends it. The engine defers what it does after a
 * commit (its caches, its change listeners, and so the search index and the job workers they wake) to
 * {@link #afterCompletion}.
 */
public interface HostTransaction {
    /** How the host's transaction ended. */
    enum Outcome {
        /** The host committed: the joined writes are durable. */
        COMMITTED,
        /** The host rolled back (or its commit failed): the joined writes are gone. */
        ROLLED_BACK
    }

    /**
     * Runs {@code work} once, after the host's transaction has ended, on the thread that ended it. Work registered
     * by several joined storage transactions runs in the order it was registered.
     */
    void afterCompletion(Consumer<Outcome> work);
}
