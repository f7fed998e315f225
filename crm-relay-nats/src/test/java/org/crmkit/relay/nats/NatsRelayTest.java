package org.crmkit.relay.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.MessageInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.crmkit.Crm;
import org.crmkit.error.ConfigurationException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.Operation;
import org.crmkit.relay.Await;
import org.crmkit.relay.BrokerScenario;
import org.crmkit.relay.ChangeRelay;
import org.crmkit.relay.ChangeWriter;
import org.crmkit.relay.Delivery;
import org.crmkit.relay.RelayState;
import org.crmkit.relay.RequiredService;
import org.crmkit.relay.spi.RelayMessage;
import org.crmkit.storage.jdbc.JdbcStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay against this machine's NATS JetStream (127.0.0.1:4222): changes written while the relay runs, the relay
 * killed mid-stream and a second one taking over from the stored position; the stream holds every change, each
 * record's in order, with the sequence as {@code Nats-Msg-Id}, and JetStream's duplicate window drops the copies
 * published again. Stream and subjects are unique per run and deleted afterwards.
 */
class NatsRelayTest {
    private static final String HOST = "127.0.0.1";
    private static final int PORT = 4222;
    private static final String SERVER = "nats://" + HOST + ":" + PORT;

    @TempDir
    Path dir;

    private final String run = UUID.randomUUID().toString().replace("-", "");
    private final String stream = "CRMKIT_TEST_" + run;
    private final String prefix = "crmkit-test." + run;
    private Connection nc;
    private JetStreamManagement jsm;

    @BeforeEach
    void connect() throws Exception {
        RequiredService.requireAvailable("NATS", HOST, PORT);
        nc = Nats.connect(SERVER);
        jsm = nc.jetStreamManagement();
    }

    @AfterEach
    void deleteStream() throws Exception {
        if (nc != null) {
            try {
                jsm.deleteStream(stream);
            } catch (JetStreamApiException e) {
                // the test did not get as far as creating it
            }
            nc.close();
        }
    }

    private Crm node(ChangeRelay relay) {
        String url = "jdbc:h2:file:" + dir.resolve("crm").toAbsolutePath() + ";LOCK_TIMEOUT=10000";
        return Crm.builder().storage(JdbcStorage.builder().url(url).build()).install(relay).build();
    }

    private NatsPublisher publisher() {
        return NatsPublisher.builder().server(SERVER).stream(stream).subjectPrefix(prefix).build();
    }

    /** Every message the stream holds, in stream order. */
    private List<Delivery> streamed() throws Exception {
        List<Delivery> out = new ArrayList<>();
        long last = jsm.getStreamInfo(stream).getStreamState().getLastSequence();
        for (long seq = 1; seq <= last; seq++) {
            MessageInfo m = jsm.getMessage(stream, seq);
            out.add(new Delivery(m.getHeaders().getFirst("Nats-Msg-Id"), m.getSubject(),
                    new String(m.getData(), StandardCharsets.UTF_8)));
        }
        return out;
    }

    private long streamedCount() {
        try {
            return jsm.getStreamInfo(stream).getStreamState().getMsgCount();
        } catch (Exception e) {
            return 0; // not created yet
        }
    }

    @Test
    void everyChangeArrivesInOrderPerRecordAcrossAKilledRelay() throws Exception {
        List<ChangeLogEntry> log = BrokerScenario.killedRelayIsTakenOver(dir, publisher(), publisher(),
                () -> (int) streamedCount());
        List<Delivery> streamed = streamed();
        Delivery.assertComplete(streamed, log);
        assertThat(streamed).as("JetStream dropped the copies published again within its window")
                .hasSameSizeAs(log);
        ObjectMapper json = new ObjectMapper();
        for (Delivery d : streamed) {
            assertThat(json.readTree(d.body()).get("sequence").asText()).isEqualTo(d.messageId());
            assertThat(d.key()).startsWith(prefix + ".contact.");
        }
    }

    @Test
    void aMissingStreamIsRetriedUntilAPublisherCreatesIt() throws Exception {
        ChangeRelay relay = ChangeRelay.builder("nats", NatsPublisher.builder().server(SERVER).stream(stream)
                .subjectPrefix(prefix).createStream(false).build())
                .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .build();
        try (Crm crm = node(relay)) {
            new ChangeWriter(crm).create(3);
            Await.until("the relay retries", () -> relay.status().consecutiveFailures() >= 2);
            assertThat(relay.status().state()).isEqualTo(RelayState.RETRYING);
            assertThat(relay.status().confirmedSequence()).isZero();
        }
        ChangeRelay creating = ChangeRelay.builder("nats", publisher()).build();
        try (Crm crm = node(creating)) {
            List<ChangeLogEntry> log = ChangeWriter.log(crm);
            long last = log.get(log.size() - 1).sequence();
            Await.until("the creating relay confirms", () -> creating.status().confirmedSequence() == last);
            Delivery.assertComplete(streamed(), log);
        }
    }

    @Test
    void aMessagePublishedAgainIsStoredOnce() {
        RelayMessage m = new RelayMessage(7, "contact", UUID.randomUUID(), Operation.CREATE,
                "{}".getBytes(StandardCharsets.UTF_8));
        try (NatsPublisher p = publisher()) {
            for (int i = 0; i < 2; i++) {
                p.publish(List.of(m));
                p.confirm(Duration.ofSeconds(30));
            }
        }
        assertThat(streamedCount()).isEqualTo(1);
    }

    @Test
    void badSettingsAreAllReportedAtOnce() {
        assertThatThrownBy(() -> NatsPublisher.builder().server("http://x").subjectPrefix("a..b").stream("a b")
                .build()).isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.problems()).hasSize(3));
    }
}
