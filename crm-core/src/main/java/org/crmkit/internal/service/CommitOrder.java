package org.crmkit.internal.service;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.storage.spi.CommitSequencing;
import org.jspecify.annotations.Nullable;

/**
 * Hands the entries of this engine's commits to its listeners in sequence order, without making commits take
 * turns. Storages hand out sequences that only grow, but threads return from their commits in either order. So a
 * commit that finished waits to be delivered until every commit of this engine that may hold a lower sequence has
 * finished too; finished commits are delivered lowest sequence first. Which running commits may hold a lower one:
 * where the storage reports when a commit takes its sequences ({@link CommitSequencing}), those taking theirs when
 * this one finished, or holding lower ones (one that had not started taking will get higher ones); elsewhere every
 * commit still running when it finished. Each committing thread returns once its own commit was delivered (by
 * itself or by another thread), so a caller's listeners have seen its commit when its write returns.
 */
final class CommitOrder {
    /** A finished commit waiting for delivery: its entries and the running commits it waits for. */
    static final class Finished {
        private final List<ChangeLogEntry> entries;
        private final Set<Long> waitsFor;
        private boolean delivered;

        private Finished(List<ChangeLogEntry> entries, Set<Long> waitsFor) {
            this.entries = entries;
            this.waitsFor = waitsFor;
        }

        List<ChangeLogEntry> entries() {
            return entries;
        }

        private long first() {
            return entries.get(0).sequence();
        }
    }

    /**
     * Where a running commit is with its sequences; guarded by {@link #monitor}. The handle {@link #start} returns
     * and {@link #end} takes.
     */
    static final class Running implements CommitSequencing {
        private final CommitOrder order;
        private final long ticket;
        /** False while the storage has not promised to report (then it may hold any sequence). */
        private boolean reported;
        private boolean taking;
        /** The lowest sequence it took, or -1 before. */
        private long first = -1;

        private Running(CommitOrder order, long ticket) {
            this.order = order;
            this.ticket = ticket;
        }

        /** Whether it may hold a lower sequence than {@code sequence}, which a finished commit took before. */
        private boolean mayPrecede(long sequence) {
            return !reported || taking || (first >= 0 && first < sequence);
        }

        @Override
        public void taking() {
            synchronized (order.monitor) {
                taking = true;
            }
        }

        @Override
        public void took(long firstSequence) {
            synchronized (order.monitor) {
                taking = false;
                first = firstSequence;
                order.release(this);
            }
        }
    }

    private final Object monitor = new Object();
    private final ReentrantLock delivery = new ReentrantLock();
    private long nextTicket;
    /** The commits running now, by ticket; guarded by {@link #monitor}. */
    private final Map<Long, Running> running = new HashMap<>();
    /** Finished commits not yet delivered, by first sequence; guarded by {@link #monitor}. */
    private final TreeMap<Long, Finished> waiting = new TreeMap<>();

    /**
     * Runs a commit that logs changes, handing it what the storage should report to; the result goes to
     * {@link #deliver} (null when nothing was committed).
     */
    @Nullable
    Finished commit(Predicate<CommitSequencing> report, Supplier<List<ChangeLogEntry>> commit) {
        Running mine = start(report);
        List<ChangeLogEntry> committed;
        try {
            committed = commit.get();
        } catch (RuntimeException | Error e) {
            end(mine, List.of());
            throw e;
        }
        return end(mine, committed);
    }

    /**
     * Starts a commit whose outcome is known only later (a transaction that joined the host's commits when the host
     * commits): until {@link #end} ends it, finished commits that may come after it wait for it.
     */
    Running start(Predicate<CommitSequencing> report) {
        Running mine;
        synchronized (monitor) {
            mine = new Running(this, nextTicket++);
            running.put(mine.ticket, mine);
        }
        try {
            boolean reported = report.test(mine);
            synchronized (monitor) {
                mine.reported = reported;
            }
        } catch (RuntimeException | Error e) {
            finished(mine, List.of());
            throw e;
        }
        return mine;
    }

    /**
     * Ends a commit {@link #start} began, with what it committed (nothing when it failed or was rolled back); the
     * result goes to {@link #deliver} (null when nothing was committed).
     */
    @Nullable
    Finished end(Running started, List<ChangeLogEntry> committed) {
        return finished(started, committed);
    }

    /** Ends a running commit: what waited for it no longer does; what it committed waits for what may precede it. */
    private @Nullable Finished finished(Running ended, List<ChangeLogEntry> committed) {
        synchronized (monitor) {
            running.remove(ended.ticket);
            for (Finished f : waiting.values()) {
                f.waitsFor.remove(ended.ticket);
            }
            Finished mine = null;
            if (!committed.isEmpty()) {
                long first = committed.get(0).sequence();
                Set<Long> waitsFor = new HashSet<>();
                for (Running r : running.values()) {
                    if (r.mayPrecede(first)) {
                        waitsFor.add(r.ticket);
                    }
                }
                mine = new Finished(committed, waitsFor);
                waiting.put(first, mine);
            }
            monitor.notifyAll();
            return mine;
        }
    }

    /** A running commit took its sequences: finished commits with lower ones no longer wait for it. */
    private void release(Running r) {
        boolean released = false;
        for (Finished f : waiting.values()) {
            if (f.first() < r.first && f.waitsFor.remove(r.ticket)) {
                released = true;
            }
        }
        if (released) {
            monitor.notifyAll();
        }
    }

    /** Delivers finished commits in sequence order until {@code mine} is delivered. */
    void deliver(Finished mine, Consumer<List<ChangeLogEntry>> listeners) {
        while (true) {
            delivery.lock();
            try {
                for (Finished next; (next = deliverable()) != null;) {
                    try {
                        listeners.accept(next.entries);
                    } finally {
                        synchronized (monitor) {
                            next.delivered = true;
                            monitor.notifyAll();
                        }
                    }
                }
            } finally {
                delivery.unlock();
            }
            synchronized (monitor) {
                while (!mine.delivered && !headReady()) {
                    try {
                        monitor.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return; // committed; its listeners are told by the next delivering thread
                    }
                }
                if (mine.delivered) {
                    return;
                }
            }
        }
    }

    /** Takes the lowest waiting commit if nothing it waits for is still running. */
    private @Nullable Finished deliverable() {
        synchronized (monitor) {
            if (!headReady()) {
                return null;
            }
            return waiting.pollFirstEntry().getValue();
        }
    }

    private boolean headReady() {
        Map.Entry<Long, Finished> head = waiting.firstEntry();
        return head != null && head.getValue().waitsFor.isEmpty();
    }
}
