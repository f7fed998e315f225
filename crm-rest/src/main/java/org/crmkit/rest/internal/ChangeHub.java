package org.crmkit.rest.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.crmkit.Crm;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams of one API: counts them against the limit, wakes them when a commit of this node is told by the change
 * log (one subscription, a signal only: the streams read what they send from each caller's access-filtered feed), and
 * ends them when the server closes.
 */
public final class ChangeHub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeHub.class);

    private final Crm crm;
    private final SseSettings settings;
    private final Set<ChangeStream> streams = ConcurrentHashMap.newKeySet();
    private final AtomicInteger open = new AtomicInteger();
    private final Object lock = new Object();
    private long generation;
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
