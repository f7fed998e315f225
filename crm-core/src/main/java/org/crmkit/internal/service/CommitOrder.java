package org.crmkit.internal.service;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.crmkit.event.ChangeLogEntry;
import org.jspecify.annotations.Nullable;

/**
 * Hands the entries of this engine's commits to its listeners in sequence order, without making commits take
 * turns. Storages assign sequences in commit order, but threads return from their commits in either order. So:
 * a commit that finished waits to be delivered until every commit of this engine that was still running when it
 * finished has finished too (only those can hold a lower sequence: a commit that starts later takes its sequence
 * after this one's was committed); finished commits are delivered lowest sequence first. Each committing thread
 * returns once its own commit was delivered (by itself or by another thread), so a caller's listeners have seen its
 * commit when its write returns.
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
    }

    private final Object monitor = new Object();
    private final ReentrantLock delivery = new ReentrantLock();
    private long nextTicket;
    /** Tickets of the commits running now; guarded by {@link #monitor}. */
    private final Set<Long> running = new HashSet<>();
    /** Finished commits not yet delivered, by first sequence; guarded by {@link #monitor}. */
    private final TreeMap<Long, Finished> waiting = new TreeMap<>();

    /** Runs a commit that logs changes; the result goes to {@link #deliver} (null when nothing was committed). */
    @Nullable
    Finished commit(Supplier<List<ChangeLogEntry>> commit) {
        long ticket;
        synchronized (monitor) {
            ticket = nextTicket++;
            running.add(ticket);
        }
        List<ChangeLogEntry> committed = List.of();
        Finished mine;
        try {
            committed = commit.get();
        } finally {
            mine = finished(ticket, committed);
        }
        return mine;
    }

    /** Ends a running commit: what waited for it no longer does; what it committed waits for the others. */
    private @Nullable Finished finished(long ticket, List<ChangeLogEntry> committed) {
        synchronized (monitor) {
            running.remove(ticket);
            for (Finished f : waiting.values()) {
                f.waitsFor.remove(ticket);
            }
            Finished mine = committed.isEmpty() ? null : new Finished(committed, new HashSet<>(running));
            if (mine != null) {
                waiting.put(committed.get(0).sequence(), mine);
            }
            monitor.notifyAll();
            return mine;
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
