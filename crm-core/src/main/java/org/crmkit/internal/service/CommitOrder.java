package org.crmkit.internal.service;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.crmkit.event.ChangeLogEntry;

/**
 * Hands the entries of this engine's commits to its listeners in sequence order. Storages assign sequences in
 * commit order, but two threads return from their commits in either order; so the commits of transactions that
 * logged changes take turns here (one at a time per engine, which on PostgreSQL and MariaDB also serialises the
 * few statements a commit sends before it takes the change-log lock row, and nothing on H2 and in memory, whose
 * writers take turns anyway), and queue their entries in that order. Each committing thread then delivers the
 * queue, oldest first, under a second lock before it returns, so a caller's listeners have seen its commit when
 * its write returns.
 */
final class CommitOrder {
    private final ReentrantLock commits = new ReentrantLock();
    private final ReentrantLock delivery = new ReentrantLock();
    private final Queue<List<ChangeLogEntry>> queue = new ConcurrentLinkedQueue<>();

    /** Runs a commit that logs changes, in turn with the others, and queues what it committed. */
    List<ChangeLogEntry> commit(Supplier<List<ChangeLogEntry>> commit) {
        commits.lock();
        try {
            List<ChangeLogEntry> committed = commit.get();
            if (!committed.isEmpty()) {
                queue.add(committed);
            }
            return committed;
        } finally {
            commits.unlock();
        }
    }

    /**
     * Hands every queued commit to {@code listeners}, oldest first; called by a thread whose commit was queued,
     * it returns once that commit was delivered (by this thread or by the one delivering when it came).
     */
    void deliver(Consumer<List<ChangeLogEntry>> listeners) {
        delivery.lock();
        try {
            for (List<ChangeLogEntry> next; (next = queue.poll()) != null; ) {
                listeners.accept(next);
            }
        } finally {
            delivery.unlock();
        }
    }
}
