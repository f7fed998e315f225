package org.crmkit.relay.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import org.crmkit.error.ConfigurationException;
import org.crmkit.relay.spi.ChangePublisher;
import org.crmkit.relay.spi.RelayMessage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the relay's messages to a RabbitMQ exchange (a durable topic exchange, {@code crm.changes} unless set),
 * with publisher confirms: a batch counts as delivered only when the broker has confirmed every message of it.
 * Each message is persistent, its {@code message_id} the change-log sequence, its content type
 * {@code application/json}, its headers {@code crm-sequence}, {@code crm-type}, {@code crm-record-id},
 * {@code crm-operation}, and its routing key {@code <type>.<record id>} (e.g.
 * {@code contact.0193a1b2-...}): bind a queue with {@code #} for everything, {@code deal.*} for one type. One
 * channel publishes in log order, so a queue receives each record's changes in order.
 *
 * <pre>{@code
 * ChangePublisher rabbit = RabbitPublisher.builder().uri("amqp://user:secret@rabbit:5672/crm").exchange("crm.changes").build();
 * }</pre>
 *
 * <p>A message no queue is bound for is dropped by RabbitMQ (and still confirmed): bind the consumers' queues before the
 * relay starts. Connects on the first publish and again after any failure (the relay retries the batch).
 */
public final class RabbitPublisher implements ChangePublisher {
    private static final Logger LOG = LoggerFactory.getLogger(RabbitPublisher.class);

    private final ConnectionFactory factory;
    private final String exchange;
    private final boolean declareExchange;
    private final String displayName;
    private volatile @Nullable Connection connection;
    private @Nullable Channel channel;
    private volatile boolean closed;

    private RabbitPublisher(ConnectionFactory factory, String exchange, boolean declareExchange, String displayName) {
        this.factory = factory;
        this.exchange = exchange;
        this.declareExchange = declareExchange;
        this.displayName = displayName;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The routing key of {@code message}: {@code <type>.<record id>}. */
    public static String routingKey(RelayMessage message) {
        return message.objectType() + "." + message.key();
    }

    @Override
    public String name() {
        return displayName;
    }

    @Override
    public synchronized void publish(List<RelayMessage> messages) {
        Channel ch = channel();
        try {
            for (RelayMessage m : messages) {
                AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().deliveryMode(2)
                        .contentType("application/json").messageId(m.messageId())
                        .headers(Map.of("crm-sequence", m.sequence(), "crm-type", m.objectType(), "crm-record-id",
                                m.key(), "crm-operation", m.operation().name()))
                        .build();
                ch.basicPublish(exchange, routingKey(m), props, m.body());
            }
        } catch (IOException | RuntimeException e) {
            disconnect();
            throw failure("publishing to", e);
        }
    }

    @Override
    public synchronized void confirm(Duration timeout) {
        Channel ch = channel;
        if (ch == null) {
            throw new IllegalStateException(displayName + ": nothing published on this connection");
        }
        try {
            ch.waitForConfirmsOrDie(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            disconnect();
            throw new IllegalStateException(displayName + ": interrupted while waiting for confirms", e);
        } catch (TimeoutException e) {
            disconnect();
            throw new IllegalStateException(displayName + ": no confirms within " + timeout, e);
        } catch (IOException | RuntimeException e) {
            disconnect();
            throw failure("confirms from", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection c = connection;
        if (c != null) {
            try {
                c.abort(2000); // also cuts short a confirm another thread waits for
            } catch (RuntimeException e) {
                LOG.debug("{}: closing failed", displayName, e);
            }
        }
        synchronized (this) {
            disconnect();
        }
    }

    private Channel channel() {
        if (closed) {
            throw new IllegalStateException(displayName + " is closed");
        }
        Channel ch = channel;
        if (ch != null && ch.isOpen()) {
            return ch;
        }
        disconnect();
        try {
            Connection c = factory.newConnection("crmkit-relay");
            connection = c;
            Channel opened = c.createChannel();
            opened.confirmSelect();
            if (declareExchange) {
                opened.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
            }
            channel = opened;
            return opened;
        } catch (IOException | TimeoutException | RuntimeException e) {
            disconnect();
            throw failure("connecting to", e);
        }
    }

    private void disconnect() {
        Connection c = connection;
        connection = null;
        channel = null;
        if (c != null) {
            try {
                c.abort(2000);
            } catch (RuntimeException e) {
                LOG.debug("{}: abort failed", displayName, e);
            }
        }
    }

    private RuntimeException failure(String what, Exception e) {
        String message = displayName + ": " + what + " the broker failed: " + e;
        return e instanceof IOException io ? new UncheckedIOException(message, io)
                : new IllegalStateException(message, e);
    }

    /** Settings of a {@link RabbitPublisher}; {@link #build} reports every problem at once. */
    public static final class Builder {
        private @Nullable String uri = "amqp://guest:guest@127.0.0.1:5672";
        private @Nullable String exchange = "crm.changes";
        private boolean declareExchange = true;
        private @Nullable Duration connectTimeout = Duration.ofSeconds(10);

        private Builder() {}

        /** The broker, {@code amqp://user:password@host:port/vhost} or {@code amqps://...} (default: local guest). */
        public Builder uri(@Nullable String uri) {
            this.uri = uri;
            return this;
        }

        /** The exchange the messages go to (default {@code crm.changes}). */
        public Builder exchange(@Nullable String exchange) {
            this.exchange = exchange;
            return this;
        }

        /**
         * Whether the publisher declares the exchange (durable, topic) when it connects (default true); false for an
         * exchange the operator declares, which must then exist.
         */
        public Builder declareExchange(boolean declare) {
            this.declareExchange = declare;
            return this;
        }

        public Builder connectTimeout(@Nullable Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * The publisher; it connects on its first publish.
         *
         * @throws ConfigurationException listing every problem of the settings
         */
        public RabbitPublisher build() {
            List<String> problems = new ArrayList<>();
            ConnectionFactory factory = new ConnectionFactory();
            factory.setAutomaticRecoveryEnabled(false); // the relay reconnects and retries itself
            String host = "?";
            try {
                factory.setUri(Objects.requireNonNull(uri, "uri"));
                host = factory.getHost() + ":" + factory.getPort() + factory.getVirtualHost();
            } catch (Exception e) {
                problems.add("uri: not an amqp:// or amqps:// URI (" + e.getClass().getSimpleName() + ")");
            }
            if (exchange == null || exchange.isEmpty() || exchange.length() > 255) {
                problems.add("exchange: must be 1 to 255 characters, was " + exchange);
            }
            if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
                problems.add("connectTimeout: must be positive, was " + connectTimeout);
            } else {
                factory.setConnectionTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
            }
            if (!problems.isEmpty()) {
                throw new ConfigurationException(problems);
            }
            String ex = Objects.requireNonNull(exchange);
            return new RabbitPublisher(factory, ex, declareExchange, "rabbitmq " + host + " exchange " + ex);
        }
    }
}
