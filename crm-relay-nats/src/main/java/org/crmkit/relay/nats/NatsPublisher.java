package org.crmkit.relay.nats;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.crmkit.error.ConfigurationException;
import org.crmkit.relay.spi.ChangePublisher;
import org.crmkit.relay.spi.PendingAcks;
import org.crmkit.relay.spi.RelayMessage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the relay's messages to NATS JetStream: each on subject {@code <prefix>.<type>.<record id>} ({@code prefix}
 * is {@code crm.changes} unless set), with header {@code Nats-Msg-Id} = the change-log sequence, so that the stream's
 * duplicate window (2 minutes by default) drops a message published again after a restart, and headers
 * {@code crm-type}, {@code crm-operation}. A batch counts as delivered when JetStream has acked every message of it
 * (stored in the stream). The stream ({@code CRM_CHANGES} with subjects {@code <prefix>.>} unless set) is created on
 * connect when it does not exist, unless {@code createStream(false)}.
 *
 * <pre>{@code
 * ChangePublisher nats = NatsPublisher.builder().server("nats://nats:4222").stream("CRM_CHANGES").build();
 * }</pre>
 *
 * <p>Connects on the first publish and again after any failure (the client's own reconnect is off: the relay retries).
 */
public final class NatsPublisher implements ChangePublisher {
    private static final Logger LOG = LoggerFactory.getLogger(NatsPublisher.class);

    private final Options options;
    private final String prefix;
    private final String stream;
    private final boolean createStream;
    private final String displayName;
    private final PendingAcks pending;
    private volatile @Nullable Connection connection;
    private @Nullable JetStream jetStream;
    private volatile boolean closed;

    private NatsPublisher(Options options, String prefix, String stream, boolean createStream, String displayName) {
        this.options = options;
        this.prefix = prefix;
        this.stream = stream;
        this.createStream = createStream;
        this.displayName = displayName;
        this.pending = new PendingAcks(displayName);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The subject {@code message} is published on with {@code prefix}: {@code <prefix>.<type>.<record id>}. */
    public static String subject(String prefix, RelayMessage message) {
        return prefix + "." + message.objectType() + "." + message.key();
    }

    @Override
    public String name() {
        return displayName;
    }

    @Override
    public synchronized void publish(List<RelayMessage> messages) {
        JetStream js = jetStream();
        try {
            for (RelayMessage m : messages) {
                Headers headers = new Headers().add("crm-type", m.objectType()).add("crm-operation",
                        m.operation().name());
                PublishOptions po = PublishOptions.builder().messageId(m.messageId()).expectedStream(stream).build();
                pending.add(js.publishAsync(subject(prefix, m), headers, m.body(), po));
            }
        } catch (RuntimeException e) {
            disconnect();
            throw new IllegalStateException(displayName + ": publishing failed: " + e, e);
        }
    }

    @Override
    public synchronized void confirm(Duration timeout) {
        try {
            pending.await(timeout);
        } catch (RuntimeException e) {
            disconnect();
            throw e;
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection c = connection;
        if (c != null) {
            close(c); // also fails the acks another thread waits for
        }
        synchronized (this) {
            disconnect();
        }
    }

    private JetStream jetStream() {
        if (closed) {
            throw new IllegalStateException(displayName + " is closed");
        }
        Connection c = connection;
        JetStream js = jetStream;
        if (c != null && js != null && c.getStatus() == Connection.Status.CONNECTED) {
            return js;
        }
        disconnect();
        try {
            Connection opened = Nats.connect(options);
            connection = opened;
            if (createStream) {
                ensureStream(opened.jetStreamManagement());
            }
            JetStream created = opened.jetStream();
            jetStream = created;
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            disconnect();
            throw new IllegalStateException(displayName + ": interrupted while connecting", e);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            disconnect();
            throw new IllegalStateException(displayName + ": connecting failed: " + e, e);
        }
    }

    private void ensureStream(JetStreamManagement jsm) throws IOException, JetStreamApiException {
        try {
            jsm.getStreamInfo(stream);
        } catch (JetStreamApiException e) {
            if (e.getErrorCode() != 404) {
                throw e;
            }
            jsm.addStream(StreamConfiguration.builder().name(stream).subjects(prefix + ".>")
                    .storageType(StorageType.File).build());
            LOG.info("{}: created stream {} for subjects {}.>", displayName, stream, prefix);
        }
    }

    private void disconnect() {
        Connection c = connection;
        connection = null;
        jetStream = null;
        pending.cancel();
        if (c != null) {
            close(c);
        }
    }

    private void close(Connection c) {
        try {
            c.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("{}: closing failed", displayName, e);
        }
    }

    /** Settings of a {@link NatsPublisher}; {@link #build} reports every problem at once. */
    public static final class Builder {
        private @Nullable String server = "nats://127.0.0.1:4222";
        private @Nullable String prefix = "crm.changes";
        private @Nullable String stream = "CRM_CHANGES";
        private boolean createStream = true;
        private @Nullable Duration connectTimeout = Duration.ofSeconds(10);

        private Builder() {}

        /** The server, {@code nats://host:port} (default: local). */
        public Builder server(@Nullable String server) {
            this.server = server;
            return this;
        }

        /** The subjects' first tokens (default {@code crm.changes}): messages go to {@code <prefix>.<type>.<id>}. */
        public Builder subjectPrefix(@Nullable String prefix) {
            this.prefix = prefix;
            return this;
        }

        /** The JetStream stream that must store the subjects (default {@code CRM_CHANGES}). */
        public Builder stream(@Nullable String stream) {
            this.stream = stream;
            return this;
        }

        /** Whether the stream is created (file storage, subjects {@code <prefix>.>}) when missing (default true). */
        public Builder createStream(boolean create) {
            this.createStream = create;
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
        public NatsPublisher build() {
            List<String> problems = new ArrayList<>();
            if (server == null || !server.matches("(nats|tls)://[^\\s]+")) {
                problems.add("server: must be nats://host:port or tls://host:port");
            }
            if (prefix == null || !prefix.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*")) {
                problems.add("subjectPrefix: must be dot-separated tokens of letters, digits, '-' or '_', was "
                        + prefix);
            }
            if (stream == null || !stream.matches("[A-Za-z0-9_-]{1,255}")) {
                problems.add("stream: must be 1 to 255 letters, digits, '-' or '_', was " + stream);
            }
            if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
                problems.add("connectTimeout: must be positive, was " + connectTimeout);
            }
            if (!problems.isEmpty()) {
                throw new ConfigurationException(problems);
            }
            String s = Objects.requireNonNull(server);
            Options options = new Options.Builder().server(s).connectionName("crmkit-relay").noReconnect()
                    .connectionTimeout(Objects.requireNonNull(connectTimeout)).build();
            String host = s.replaceFirst("//[^@/]*@", "//"); // no credentials in names and messages
            return new NatsPublisher(options, Objects.requireNonNull(prefix), Objects.requireNonNull(stream),
                    createStream, "nats " + host + " stream " + stream);
        }
    }
}
