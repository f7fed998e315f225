package org.crmkit.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.crmkit.relay.spi.ChangePublisher;
import org.crmkit.relay.spi.RelayMessage;

/**
 * An in-memory broker for the relay's tests: keeps every message published (with duplicates) and every message
 * confirmed, and fails on demand: {@link #down} makes every publish fail as an unreachable broker does,
 * {@link #refuse} nacks the batches holding a given sequence, {@link #hold} blocks confirms until released or closed.
 */
public final class FakePublisher implements ChangePublisher {
    private final List<RelayMessage> published = new CopyOnWriteArrayList<>();
    private final List<RelayMessage> confirmed = new CopyOnWriteArrayList<>();
    private final List<RelayMessage> pending = new ArrayList<>();
    private volatile boolean down;
    private volatile LongPredicate refused = s -> false;
    private volatile boolean held;
    private volatile boolean closed;
    private volatile int publishCalls;

    @Override
    public String name() {
        return "fake";
    }

    /** The broker is unreachable (true) or back (false). */
    public FakePublisher down(boolean down) {
        this.down = down;
        return this;
    }

    /** Batches holding a sequence that passes {@code sequences} are refused at confirm (a broker's nack). */
    public FakePublisher refuse(LongPredicate sequences) {
        this.refused = sequences;
        return this;
    }

    /** Confirms block (true) until released (false) or the publisher is closed. */
    public FakePublisher hold(boolean held) {
        this.held = held;
        return this;
    }

    @Override
    public synchronized void publish(List<RelayMessage> messages) {
        publishCalls++;
        if (down || closed) {
            throw new IllegalStateException("fake broker unreachable");
        }
        published.addAll(messages);
        pending.addAll(messages);
    }

    @Override
    public void confirm(Duration timeout) {
        while (held && !closed) {
            try {
                TimeUnit.MILLISECONDS.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        synchronized (this) {
            List<RelayMessage> batch = List.copyOf(pending);
            pending.clear();
            if (closed) {
                throw new IllegalStateException("fake broker connection closed before the confirms");
            }
            if (batch.stream().anyMatch(m -> refused.test(m.sequence()))) {
                throw new IllegalStateException("fake broker nacked the batch");
            }
            confirmed.addAll(batch);
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Every message published, in order, duplicates included. */
    public List<RelayMessage> published() {
        return List.copyOf(published);
    }

    /** Every message the broker confirmed, in order. */
    public List<RelayMessage> confirmed() {
        return List.copyOf(confirmed);
    }

    public int publishCalls() {
        return publishCalls;
    }

    public boolean closed() {
        return closed;
    }
}
