package org.crmkit.relay.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.crmkit.error.ConfigurationException;
import org.crmkit.relay.spi.ChangePublisher;
import org.crmkit.relay.spi.PendingAcks;
import org.crmkit.relay.spi.RelayMessage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the relay's messages to a Kafka topic ({@code crm.changes} unless set) with an idempotent producer and
 * {@code acks=all}: the message key is the record id, so one partition holds each record's changes in order; headers
 * {@code crm-sequence} (the message id consumers drop duplicates by), {@code crm-type} and {@code crm-operation}; the
 * value the JSON body. A batch counts as delivered when every send of it is acknowledged ({@code confirm} flushes and
 * waits). The topic must exist or the brokers must create topics on first use.
 *
 * <pre>{@code
 * ChangePublisher kafka = KafkaPublisher.builder().bootstrapServers("kafka-1:9092,kafka-2:9092").topic("crm.changes")
 *         .property("security.protocol", "SSL").build();
 * }</pre>
 *
 * <p>Creates its producer on the first publish and again after any failure (the relay retries the batch).
 */
public final class KafkaPublisher implements ChangePublisher {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);

    private final Map<String, String> config;
    private final String topic;
    private final String displayName;
    private final PendingAcks pending;
    private volatile @Nullable KafkaProducer<String, byte[]> producer;
    private volatile boolean closed;

    private KafkaPublisher(Map<String, String> config, String topic, String displayName) {
        this.config = config;
        this.topic = topic;
        this.displayName = displayName;
        this.pending = new PendingAcks(displayName);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return displayName;
    }

    @Override
    public synchronized void publish(List<RelayMessage> messages) {
        KafkaProducer<String, byte[]> p = producer();
        try {
            for (RelayMessage m : messages) {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, m.key(), m.body());
                record.headers().add("crm-sequence", m.messageId().getBytes(StandardCharsets.UTF_8))
                        .add("crm-type", m.objectType().getBytes(StandardCharsets.UTF_8))
                        .add("crm-operation", m.operation().name().getBytes(StandardCharsets.UTF_8));
                pending.add(p.send(record));
            }
        } catch (RuntimeException e) {
            drop();
            throw new IllegalStateException(displayName + ": sending failed: " + e, e);
        }
    }

    @Override
    public synchronized void confirm(Duration timeout) {
        try {
            KafkaProducer<String, byte[]> p = producer;
            if (p != null) {
                p.flush();
            }
            pending.await(timeout);
        } catch (RuntimeException e) {
            drop();
            throw e instanceof IllegalStateException ? e : new IllegalStateException(displayName + ": " + e, e);
        }
    }

    @Override
    public void close() {
        closed = true;
        KafkaProducer<String, byte[]> p = producer;
        producer = null;
        if (p != null) {
            try {
                p.close(Duration.ZERO); // fails the sends another thread may wait for
            } catch (RuntimeException e) {
                LOG.debug("{}: closing failed", displayName, e);
            }
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        if (closed) {
            throw new IllegalStateException(displayName + " is closed");
        }
        KafkaProducer<String, byte[]> p = producer;
        if (p != null) {
            return p;
        }
        Properties props = new Properties();
        props.putAll(config);
        try {
            KafkaProducer<String, byte[]> created = new KafkaProducer<>(props, new StringSerializer(),
                    new ByteArraySerializer());
            producer = created;
            return created;
        } catch (RuntimeException e) {
            throw new IllegalStateException(displayName + ": cannot create the producer: " + e, e);
        }
    }

    private void drop() {
        KafkaProducer<String, byte[]> p = producer;
        producer = null;
        pending.cancel();
        if (p != null) {
            try {
                p.close(Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.debug("{}: closing failed", displayName, e);
            }
        }
    }

    /** Settings of a {@link KafkaPublisher}; {@link #build} reports every problem at once. */
    public static final class Builder {
        private @Nullable String bootstrapServers = "127.0.0.1:9092";
        private @Nullable String topic = "crm.changes";
        private final Map<String, String> properties = new java.util.LinkedHashMap<>();

        private Builder() {}

        /** {@code host:port[,host:port...]} (default {@code 127.0.0.1:9092}). */
        public Builder bootstrapServers(@Nullable String servers) {
            this.bootstrapServers = servers;
            return this;
        }

        /** The topic (default {@code crm.changes}). */
        public Builder topic(@Nullable String topic) {
            this.topic = topic;
            return this;
        }

        /**
         * A further producer property (security, timeouts, compression); the ones the relay's guarantees rest on
         * (idempotence, acks, serializers) cannot be changed.
         */
        public Builder property(String key, String value) {
            properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * The publisher; it creates its producer on its first publish.
         *
         * @throws ConfigurationException listing every problem of the settings
         */
        public KafkaPublisher build() {
            List<String> problems = new ArrayList<>();
            if (bootstrapServers == null || !bootstrapServers.matches("[^\\s,]+:\\d+(,[^\\s,]+:\\d+)*")) {
                problems.add("bootstrapServers: must be host:port[,host:port...], was " + bootstrapServers);
            }
            if (topic == null || !topic.matches("[A-Za-z0-9._-]{1,249}")) {
                problems.add("topic: must be 1 to 249 letters, digits, '.', '_' or '-', was " + topic);
            }
            for (String fixed : List.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, ProducerConfig.ACKS_CONFIG,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
                if (properties.containsKey(fixed)) {
                    problems.add("property " + fixed + ": set by the publisher, cannot be changed");
                }
            }
            if (!problems.isEmpty()) {
                throw new ConfigurationException(problems);
            }
            Map<String, String> config = new java.util.LinkedHashMap<>(properties);
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(bootstrapServers));
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "crmkit-relay");
            config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
            config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
            String t = Objects.requireNonNull(topic);
            return new KafkaPublisher(Map.copyOf(config), t, "kafka " + bootstrapServers + " topic " + t);
        }
    }
}
