package org.crmkit.relay.spi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * For a {@link ChangePublisher} whose broker client answers each send with a future (JetStream's publish ack, Kafka's
 * record metadata): collects them as messages are published and, at {@link ChangePublisher#confirm}, waits for all.
 * Not thread-safe: used under the publisher's lock.
 */
public final class PendingAcks {
    private final String publisher;
    private final List<Future<?>> pending = new ArrayList<>();

    /** @param publisher the publisher's name, for the messages of the errors */
    public PendingAcks(String publisher) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
    }

    public void add(Future<?> ack) {
        pending.add(Objects.requireNonNull(ack, "ack"));
    }

    /**
     * Waits until every ack added since the last call succeeded, all within {@code timeout}; forgets them either way.
     *
     * @throws IllegalStateException naming the publisher and the reason when an ack failed, did not come in time, or
     *         the wait was interrupted (the interrupt flag is set again)
     */
    public void await(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        try {
            for (Future<?> ack : pending) {
                ack.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(publisher + ": interrupted while waiting for acks", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(publisher + ": no acks within " + timeout, e);
        } catch (ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException(publisher + ": a publish was refused: " + cause, cause);
        } finally {
            pending.clear();
        }
    }

    /** Cancels and forgets the acks still pending (after the connection was dropped). */
    public void cancel() {
        pending.forEach(f -> f.cancel(false));
        pending.clear();
    }
}
