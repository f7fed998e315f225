package org.crmkit.rest.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.crmkit.Crm;
import org.crmkit.event.ChangeLogEntry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams of one API: counts them against the limit, wakes them when a commit of this node is told by the change
 * log (one subscription, a signal only), reads the raw log once per wake-up for all of them ({@link #read}: a window
 * of recent entries that every stream slices in memory, each then filtered for its caller by the engine through
 * {@link org.crmkit.CrmSession#visibleChanges}), and ends them when the server closes.
 */
public final class ChangeHub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeHub.class);
    /** How many raw entries the shared window keeps (streams behind it read the log themselves). */
    static final int WINDOW = 4_096;

    /**
     * Raw log entries after a sequence, and whether more may be waiting.
     *
     * @param entries raw change-log entries, in sequence order, not yet filtered for any caller
     * @param more    whether the log may hold entries past these now (false: caught up with the last wake-up)
     */
    record Raw(List<ChangeLogEntry> entries, boolean more) {}

    private final Crm crm;
    private final SseSettings settings;
    private final Set<ChangeStream> streams = ConcurrentHashMap.newKeySet();
    private final AtomicInteger open = new AtomicInteger();
    private final Object lock = new Object();
    private long generation;
    private final Object windowLock = new Object();
    /** The sequence the window starts after; -1 before the first read. */
    private long windowStart = -1;
    /** Raw log entries after {@link #windowStart}, contiguous, in sequence order, at most {@link #WINDOW}. */
    private final ArrayList<ChangeLogEntry> window = new ArrayList<>();
    /** The generation the window's last read of the log started at. */
    private long windowGeneration = -1;
    /** When the window's last read of the log started ({@link System#nanoTime}). */
    private long windowReadAt;
    private @Nullable AutoCloseable subscription;
    private boolean closed;

    public ChangeHub(Crm crm, SseSettings settings) {
        this.crm = crm;
        this.settings = settings;
    }

    public SseSettings settings() {
        return settings;
    }

    /** Counts a new stream in, or returns false when the limit is reached or the hub is closed. */
    boolean admit(ChangeStream stream) {
        synchronized (lock) {
            if (closed || open.get() >= settings.maxStreams()) {
                return false;
            }
            if (subscription == null) {
                subscription = crm.changeLog().subscribe(changes -> wake());
            }
            open.incrementAndGet();
            streams.add(stream);
            return true;
        }
    }

    void leave(ChangeStream stream) {
        if (streams.remove(stream)) {
            open.decrementAndGet();
        }
    }

    /** How many streams are open. */
    public int openStreams() {
        return open.get();
    }

    long generation() {
        synchronized (lock) {
            return generation;
        }
    }

    /** Waits until a commit after {@code seen} was told, or {@code millis} passed; returns the generation now. */
    long await(long seen, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        synchronized (lock) {
            while (generation == seen && !closed) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    break;
                }
                lock.wait(left);
            }
            return generation;
        }
    }

    /**
     * At most {@code limit} raw entries after {@code after}. Streams at the head of the log share one read per
     * wake-up: the first to ask after a commit reads the new entries into the window, the others take them from it.
     * A stream behind the window (resuming from an older {@code Last-Event-ID}) reads the log itself until it catches
     * up.
     */
    Raw read(long after, int limit) {
        long gen = generation();
        synchronized (windowLock) {
            long end = window.isEmpty() ? windowStart : window.getLast().sequence();
            if (windowStart < 0 || after > end) {
                if (after > crm.changeLog().lastSequence()) {
                    // past the end of the log (a Last-Event-ID from the future): nothing to read, and no reason to
                    // move the window away from the streams at the head
                    return new Raw(List.of(), false);
                }
                window.clear();
                windowStart = after;
                end = after;
                windowGeneration = -1;
            }
            if (after >= windowStart) {
                if (after == end) {
                    // nothing was told since the last read, which is recent: commits of other nodes are not
                    // told, so a read older than half the poll interval is done again
                    if (windowGeneration == gen && System.nanoTime() - windowReadAt < settings.poll().toNanos() / 2) {
                        return new Raw(List.of(), false);
                    }
                    windowGeneration = gen;
                    windowReadAt = System.nanoTime();
                    List<ChangeLogEntry> fresh = crm.changeLog().read(end, limit);
                    window.addAll(fresh);
                    if (window.size() > WINDOW) {
                        List<ChangeLogEntry> old = window.subList(0, window.size() - WINDOW);
                        windowStart = old.getLast().sequence();
                        old.clear();
                    }
                    return new Raw(List.copyOf(fresh), fresh.size() == limit);
                }
                int from = firstAfter(after);
                int to = Math.min(window.size(), from + limit);
                return new Raw(List.copyOf(window.subList(from, to)), true);
            }
        }
        List<ChangeLogEntry> behind = crm.changeLog().read(after, limit);
        return new Raw(behind, !behind.isEmpty());
    }

    /** The index of the window's first entry after {@code after} (binary search on the sequences). */
    private int firstAfter(long after) {
        int low = 0;
        int high = window.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (window.get(mid).sequence() <= after) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private void wake() {
        synchronized (lock) {
            generation++;
            lock.notifyAll();
        }
    }

    boolean closed() {
        synchronized (lock) {
            return closed;
        }
    }

    /** Ends every stream and the subscription. */
    @Override
    public void close() {
        AutoCloseable sub;
        synchronized (lock) {
            closed = true;
            sub = subscription;
            subscription = null;
            lock.notifyAll();
        }
        for (ChangeStream s : streams) {
            s.end();
        }
        if (sub != null) {
            try {
                sub.close();
            } catch (Exception e) {
                LOG.warn("closing the change-log subscription failed", e);
            }
        }
    }
}
