package org.crmkit.relay.spi;

import java.time.Duration;
import java.util.List;

/**
 * Carries the relay's messages to one broker. The relay calls it from one thread: {@link #publish} a batch (at most
 * the relay's in-flight window), then {@link #confirm} it, and only after {@code confirm} returns does it store the
 * batch's last sequence as its position. A publisher connects when it first needs to, and after a failure drops its
 * connection so that the next {@code publish} opens a new one: the relay retries the same entries with backoff.
 *
 * <p>Implementations must send the messages of a batch in the order given (each record's changes stay in order) and
 * carry {@link RelayMessage#messageId()} as the broker's message id or deduplication id.
 */
public interface ChangePublisher extends AutoCloseable {
    /** Short name for messages and the relay's status, e.g. {@code rabbitmq amqp://host:5672 exchange crm.changes}. */
    String name();

    /**
     * Sends {@code messages} in order; may return before the broker has confirmed them.
     *
     * @throws RuntimeException when the broker cannot be reached or refuses a message
     */
    void publish(List<RelayMessage> messages);

    /**
     * Waits until the broker has confirmed every message published since the last confirm (stored it durably, as far
     * as the broker promises), or throws.
     *
     * @throws RuntimeException when a message was refused, the connection failed, or {@code timeout} passed
     */
    void confirm(Duration timeout);

    /** Releases the connection; the relay calls it once, when it stops. */
    @Override
    void close();
}
