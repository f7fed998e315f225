package org.crmkit.relay.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.crmkit.Crm;
import org.crmkit.error.ConfigurationException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.relay.Await;
import org.crmkit.relay.ChangeRelay;
import org.crmkit.relay.ChangeWriter;
import org.crmkit.relay.Delivery;
import org.crmkit.relay.BrokerScenario;
import org.crmkit.relay.RelayState;
import org.crmkit.relay.RequiredService;
import org.crmkit.relay.spi.ChangePublisher;
import org.crmkit.storage.jdbc.JdbcStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay against this machine's RabbitMQ (127.0.0.1:5672, guest): changes written while the relay runs, the relay
 * killed mid-stream and a second one taking over from the stored position; a consumer gets every change, each
 * record's in order, duplicates only with the same message id. Exchange and queue names are unique per run and
 * deleted afterwards.
 */
class RabbitRelayTest {
    private static final String HOST = "127.0.0.1";
    private static final int PORT = 5672;
    private static final String URI = "amqp://guest:guest@" + HOST + ":" + PORT;

    @TempDir
    Path dir;

    private final String exchange = "crmkit-test-" + UUID.randomUUID();
    private final String queue = exchange + ".all";
    private Connection consumer;
    private Channel channel;
    private final List<Delivery> consumed = new CopyOnWriteArrayList<>();
    private final List<String> persistent = new CopyOnWriteArrayList<>();

    @BeforeEach
    void bindQueue() throws Exception {
        RequiredService.requireAvailable("RabbitMQ", HOST, PORT);
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(URI);
        consumer = factory.newConnection("crmkit-relay-test");
        channel = consumer.createChannel();
        channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
        channel.queueDeclare(queue, true, false, false, null);
        channel.queueBind(queue, exchange, "#");
        channel.basicConsume(queue, true, (tag, d) -> {
            consumed.add(new Delivery(String.valueOf(d.getProperties().getMessageId()), d.getEnvelope().getRoutingKey(),
                    new String(d.getBody(), StandardCharsets.UTF_8)));
            if (Integer.valueOf(2).equals(d.getProperties().getDeliveryMode())
                    && "application/json".equals(d.getProperties().getContentType())) {
                persistent.add(d.getProperties().getMessageId());
            }
        }, tag -> {});
    }

    @AfterEach
    void deleteQueue() throws Exception {
        if (channel != null) {
            channel.queueDelete(queue);
            channel.exchangeDelete(exchange);
            consumer.close();
        }
    }

    private String url() {
        return "jdbc:h2:file:" + dir.resolve("crm").toAbsolutePath() + ";LOCK_TIMEOUT=10000";
    }

    private Crm node(ChangeRelay relay) {
        return Crm.builder().storage(JdbcStorage.builder().url(url()).build()).install(relay).build();
    }

    private ChangeRelay relay(ChangePublisher publisher, String node) {
        return ChangeRelay.builder("rabbit", publisher).nodeId(node).window(20).lease(Duration.ofSeconds(3))
                .pollInterval(Duration.ofMillis(200)).backoff(Duration.ofMillis(20), Duration.ofMillis(500)).build();
    }

    @Test
    void everyChangeArrivesInOrderPerRecordAcrossAKilledRelay() {
        List<ChangeLogEntry> log = BrokerScenario.killedRelayIsTakenOver(dir,
                RabbitPublisher.builder().uri(URI).exchange(exchange).build(),
                RabbitPublisher.builder().uri(URI).exchange(exchange).build(), consumed::size);
        Set<String> ids = log.stream().map(e -> Long.toString(e.sequence())).collect(Collectors.toSet());
        Await.until("the consumer has every change",
                () -> consumed.stream().map(Delivery::messageId).collect(Collectors.toSet()).containsAll(ids),
                () -> consumed.size() + " consumed");
        Delivery.assertComplete(consumed, log);
        assertThat(persistent).as("persistent JSON messages").hasSameSizeAs(consumed);
        assertThat(consumed).allSatisfy(d -> assertThat(d.key()).startsWith("contact."));
    }

    @Test
    void aMissingExchangeIsRetriedUntilItExistsAndIsDeclaredWhenConfigured() throws Exception {
        String missing = exchange + ".declared";
        ChangeRelay relay = relay(RabbitPublisher.builder().uri(URI).exchange(missing).declareExchange(false).build(),
                "node");
        try (Crm crm = node(relay)) {
            new ChangeWriter(crm).create(2);
            Await.until("the relay retries", () -> relay.status().consecutiveFailures() >= 2);
            assertThat(relay.status().state()).isEqualTo(RelayState.RETRYING);
            assertThat(relay.status().confirmedSequence()).isZero();
            assertThat(relay.status().lastError()).hasValueSatisfying(e -> assertThat(e).contains("NOT_FOUND"));
        }
        ChangeRelay declaring = relay(RabbitPublisher.builder().uri(URI).exchange(missing).build(), "node");
        try (Crm crm = node(declaring)) {
            long last = crm.changeLog().lastSequence();
            Await.until("the declaring relay confirms", () -> declaring.status().confirmedSequence() == last);
            channel.exchangeDeclarePassive(missing); // throws if it does not exist
        } finally {
            channel.exchangeDelete(missing);
        }
    }

    @Test
    void badSettingsAreAllReportedAtOnceWithoutThePassword() {
        assertThatThrownBy(() -> RabbitPublisher.builder().uri("http://u:pw@host").exchange("").build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems()).hasSize(2))
                .message().doesNotContain("pw");
    }
}
