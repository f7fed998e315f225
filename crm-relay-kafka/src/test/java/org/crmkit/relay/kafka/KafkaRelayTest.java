package org.crmkit.relay.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.crmkit.error.ConfigurationException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.relay.Await;
import org.crmkit.relay.BrokerScenario;
import org.crmkit.relay.Delivery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay against a real single-node Kafka broker (KRaft) this test starts from the {@code kafka_2.13} jars: changes
 * written while the relay runs, the relay killed mid-stream and a second node's relay taking over from the stored
 * position; a consumer gets every change, each record's in order (one partition per record id), duplicates only with
 * the same {@code crm-sequence}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaRelayTest {
    private KafkaBroker broker;

    @BeforeAll
    void startBroker(@TempDir Path brokerDir) throws Exception {
        broker = KafkaBroker.start(brokerDir);
    }

    @AfterAll
    void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    private KafkaPublisher publisher(String topic) {
        return KafkaPublisher.builder().bootstrapServers(broker.bootstrapServers()).topic(topic).build();
    }

    @Test
    void everyChangeArrivesInOrderPerRecordAcrossAKilledRelay(@TempDir Path dir) throws Exception {
        String topic = KafkaBroker.uniqueTopic();
        List<Delivery> consumed = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread consumer = Thread.ofPlatform().name("kafka-test-consumer").start(() -> consume(topic, consumed, stop));
        try {
            List<ChangeLogEntry> log = BrokerScenario.killedRelayIsTakenOver(dir, publisher(topic), publisher(topic),
                    consumed::size);
            Set<String> ids = log.stream().map(e -> Long.toString(e.sequence())).collect(Collectors.toSet());
            Await.until("the consumer has every change",
                    () -> consumed.stream().map(Delivery::messageId).collect(Collectors.toSet()).containsAll(ids),
                    () -> consumed.size() + " consumed");
            Delivery.assertComplete(consumed, log);
        } finally {
            stop.set(true);
            consumer.join(Duration.ofSeconds(30));
        }
    }

    private void consume(String topic, List<Delivery> into, AtomicBoolean stop) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, topic, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            while (!stop.get()) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    into.add(new Delivery(
                            new String(r.headers().lastHeader("crm-sequence").value(), StandardCharsets.UTF_8),
                            r.key(), new String(r.value(), StandardCharsets.UTF_8)));
                }
            }
        }
    }

    @Test
    void theGuaranteesSettingsCannotBeOverriddenAndBadSettingsAreAllReported() {
        assertThatThrownBy(() -> KafkaPublisher.builder().bootstrapServers("no port").topic("a b")
                .property("acks", "0").build()).isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.problems()).hasSize(3));
    }
}
