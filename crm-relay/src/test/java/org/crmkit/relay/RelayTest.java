package org.crmkit.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.crmkit.Crm;
import org.crmkit.error.ConfigurationException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.plugin.spi.Installation;
import org.crmkit.relay.spi.RelayMessage;
import org.crmkit.storage.memory.InMemoryStorage;
import org.crmkit.storage.spi.DocumentStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The relay on the in-memory storage with a fake broker that fails on demand. */
class RelayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final InMemoryStorage storage = InMemoryStorage.create();
    private Crm crm;

    @AfterEach
    void close() {
        if (crm != null) {
            crm.close();
        }
    }

    private ChangeRelay start(FakePublisher publisher, EntryFilter filter) {
        ChangeRelay relay = ChangeRelay.builder("test", publisher).filter(filter).window(7)
                .backoff(Duration.ofMillis(5), Duration.ofMillis(50)).pollInterval(Duration.ofMillis(200))
                .checkpointInterval(Duration.ZERO).build();
        crm = Crm.builder().storage(storage).install(relay).build();
        return relay;
    }

    private long storedPosition() {
        DocumentStore documents = Installation.storageOf(storage).extension(DocumentStore.class).orElseThrow();
        return documents.find("relay_position", "test").map(d -> {
            try {
                return JSON.readTree(d.body()).get("sequence").asLong();
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }).orElse(-1L);
    }

    private static List<Delivery> deliveries(List<RelayMessage> messages) {
        return messages.stream()
                .map(m -> new Delivery(m.messageId(), m.key(), new String(m.body(), StandardCharsets.UTF_8)))
                .toList();
    }

    @Test
    void publishesEveryChangeInOrderWithItsSequenceAsMessageId() throws Exception {
        FakePublisher broker = new FakePublisher();
        ChangeRelay relay = start(broker, EntryFilter.all());
        ChangeWriter writer = new ChangeWriter(crm).create(5).update(20);
        List<ChangeLogEntry> log = ChangeWriter.log(crm);
        long last = log.get(log.size() - 1).sequence();

        Await.until("the relay confirms the whole log", () -> relay.status().confirmedSequence() == last);
        Delivery.assertComplete(deliveries(broker.confirmed()), log);
        assertThat(broker.confirmed()).extracting(RelayMessage::sequence)
                .containsExactlyElementsOf(log.stream().map(ChangeLogEntry::sequence).toList());
        RelayStatus status = relay.status();
        assertThat(status.state()).isEqualTo(RelayState.RUNNING);
        assertThat(status.lag()).isZero();
        assertThat(status.publisher()).isEqualTo("fake");
        Await.until("the position is stored", () -> storedPosition() == last);

        ChangeLogEntry update = log.get(log.size() - 1);
        RelayMessage m = broker.confirmed().get(broker.confirmed().size() - 1);
        JsonNode body = JSON.readTree(m.body());
        assertThat(body.get("sequence").asLong()).isEqualTo(update.sequence());
        assertThat(body.get("type").asText()).isEqualTo("contact");
        assertThat(body.get("recordId").asText()).isEqualTo(update.recordId().toString());
        assertThat(body.get("operation").asText()).isEqualTo("UPDATE");
        assertThat(body.get("version").asLong()).isEqualTo(update.version());
        assertThat(body.get("principal").asText()).isEqualTo(update.principalId());
        assertThat(body.get("at").asText()).isEqualTo(update.at().toString());
        JsonNode change = body.get("changes").get(0);
        assertThat(change.get("field").asText()).isEqualTo("last_name");
        assertThat(change.get("old").asText()).isEqualTo(update.changes().get(0).oldValue());
        assertThat(change.get("new").asText()).isEqualTo(update.changes().get(0).newValue());
        assertThat(m.key()).isEqualTo(update.recordId().toString());
        assertThat(writer.ids()).contains(update.recordId());
    }

    @Test
    void brokerDownThenBackLosesNothingAndNeverStoresAnUnconfirmedPosition() {
        FakePublisher broker = new FakePublisher().down(true);
        ChangeRelay relay = start(broker, EntryFilter.all());
        new ChangeWriter(crm).create(3).update(30);
        List<ChangeLogEntry> log = ChangeWriter.log(crm);
        long last = log.get(log.size() - 1).sequence();

        Await.until("the relay retries", () -> broker.publishCalls() >= 3 && relay.status().consecutiveFailures() >= 3);
        RelayStatus down = relay.status();
        assertThat(down.state()).isEqualTo(RelayState.RETRYING);
        assertThat(down.lastError()).hasValueSatisfying(e -> assertThat(e).contains("unreachable"));
        assertThat(down.confirmedSequence()).isZero();
        assertThat(down.lag()).isEqualTo(last);
        assertThat(storedPosition()).isZero();

        // back, but refusing the batch that holds the 20th entry: the position stops below it
        long refused = log.get(19).sequence();
        broker.refuse(s -> s == refused).down(false);
        Await.until("the relay is stuck below the refused entry",
                () -> relay.status().confirmedSequence() > 0 && relay.status().consecutiveFailures() >= 2);
        assertThat(relay.status().confirmedSequence()).isLessThan(refused);
        assertThat(storedPosition()).isLessThan(refused);
        assertThat(broker.confirmed()).extracting(RelayMessage::sequence).allMatch(s -> s < refused);

        broker.refuse(s -> false);
        Await.until("the relay catches up", () -> relay.status().confirmedSequence() == last);
        Delivery.assertComplete(deliveries(broker.published()), log);
        assertThat(broker.confirmed()).extracting(RelayMessage::sequence)
                .containsExactlyElementsOf(log.stream().map(ChangeLogEntry::sequence).toList());
        assertThat(relay.status().state()).isEqualTo(RelayState.RUNNING);
        assertThat(relay.status().lastError()).isEmpty();
        Await.until("the position is stored", () -> storedPosition() == last);
    }

    @Test
    void underRandomNacksEveryEntryIsConfirmedOnceInOrderAndTheStoredPositionNeverLeadsTheConfirms() {
        java.util.Random random = new java.util.Random(18);
        FakePublisher broker = new FakePublisher().refuse(s -> {
            synchronized (random) {
                return random.nextInt(10) < 3; // about a third of the messages' batches are nacked
            }
        });
        ChangeRelay relay = start(broker, EntryFilter.all());
        ChangeWriter writer = new ChangeWriter(crm).create(6);
        List<String> leads = new java.util.ArrayList<>();
        for (int round = 0; round < 10; round++) {
            writer.update(12);
            long stored = storedPosition();
            List<RelayMessage> confirmed = broker.confirmed();
            long confirmedLast = confirmed.isEmpty() ? 0 : confirmed.get(confirmed.size() - 1).sequence();
            if (stored > confirmedLast) {
                leads.add(stored + " stored, " + confirmedLast + " confirmed");
            }
        }
        List<ChangeLogEntry> log = ChangeWriter.log(crm);
        long last = log.get(log.size() - 1).sequence();
        broker.refuse(s -> false);
        Await.until("the relay confirms the whole log", () -> relay.status().confirmedSequence() == last);
        assertThat(leads).isEmpty();
        assertThat(relay.status().consecutiveFailures()).isZero();
        assertThat(broker.confirmed()).extracting(RelayMessage::sequence)
                .containsExactlyElementsOf(log.stream().map(ChangeLogEntry::sequence).toList());
        Delivery.assertComplete(deliveries(broker.published()), log);
    }

    @Test
    void theFilterHooksRemovedFieldsNeverReachTheBroker() {
        FakePublisher broker = new FakePublisher();
        EntryFilter noEmail = EntryFilter.withoutFields("contact", Set.of("email"))
                .andThen(e -> e.changes().isEmpty() ? Optional.empty() : Optional.of(e));
        ChangeRelay relay = start(broker, noEmail);
        ChangeWriter writer = new ChangeWriter(crm).create(4).update(2);
        org.crmkit.RecordSet contacts = crm.as(org.crmkit.security.Principal.SYSTEM).records("contact");
        contacts.update(contacts.get(writer.ids().get(0)), java.util.Map.of("email", "secret-only@example.com"));
        List<ChangeLogEntry> log = ChangeWriter.log(crm);
        long last = log.get(log.size() - 1).sequence();

        Await.until("the relay passes the whole log", () -> relay.status().confirmedSequence() == last);
        assertThat(log).anyMatch(e -> e.change("email").isPresent());
        assertThat(broker.published()).isNotEmpty().allSatisfy(m -> {
            String body = new String(m.body(), StandardCharsets.UTF_8);
            assertThat(body).doesNotContain("\"email\"").doesNotContain("@example.com");
        });
        // the email-only update became an empty entry, which the second filter dropped: the position moved past it
        long emailOnly = log.stream().filter(e -> e.changes().size() == 1 && e.change("email").isPresent())
                .findFirst().orElseThrow().sequence();
        assertThat(broker.published()).extracting(RelayMessage::sequence).doesNotContain(emailOnly)
                .hasSize(log.size() - 1);
    }

    @Test
    void encryptedFieldsAreLeftOutUnlessTheRelayIsToldToPublishThem() {
        for (boolean publish : new boolean[] {false, true}) {
            FakePublisher broker = new FakePublisher();
            ChangeRelay relay = ChangeRelay.builder("enc", broker).publishEncryptedFields(publish)
                    .pollInterval(Duration.ofMillis(200)).build();
            try (Crm withKeys = Crm.builder().storage(InMemoryStorage.create())
                    .keys(org.crmkit.keys.KeyProviders.generated()).install(relay).build()) {
                withKeys.schema().addField("contact",
                        org.crmkit.schema.Field.text("national_id").encrypted(true));
                org.crmkit.RecordSet contacts = withKeys.as(org.crmkit.security.Principal.SYSTEM).records("contact");
                org.crmkit.record.Record r = contacts.create(java.util.Map.of("last_name", "Lovelace",
                        "national_id", "AB-123-secret"));
                contacts.update(r.id(), r.version(), java.util.Map.of("national_id", "CD-456-secret"));
                long last = withKeys.changeLog().lastSequence();
                Await.until("the relay passes the whole log", () -> relay.status().confirmedSequence() == last);
                String bodies = broker.published().stream().map(m -> new String(m.body(), StandardCharsets.UTF_8))
                        .reduce("", String::concat);
                assertThat(bodies).contains("Lovelace");
                if (publish) {
                    assertThat(bodies).contains("AB-123-secret").contains("CD-456-secret");
                } else {
                    assertThat(bodies).doesNotContain("national_id").doesNotContain("-secret");
                }
            }
        }
    }

    @Test
    void anUnconfirmedBatchAbandonedByCloseIsNotStored() {
        FakePublisher broker = new FakePublisher();
        ChangeRelay relay = start(broker, EntryFilter.all());
        new ChangeWriter(crm).create(2);
        long first = ChangeWriter.log(crm).get(1).sequence();
        Await.until("the first changes are confirmed", () -> relay.status().confirmedSequence() == first);
        Await.until("the position is stored", () -> storedPosition() == first);

        broker.hold(true);
        new ChangeWriter(crm).create(3);
        Await.until("the next batch is published", () -> broker.published().size() > 2);
        relay.close(); // the confirm never comes: closing cuts it short, as a crash would
        assertThat(broker.closed()).isTrue();
        assertThat(relay.status().state()).isEqualTo(RelayState.STOPPED);
        assertThat(relay.status().confirmedSequence()).isEqualTo(first);
        assertThat(storedPosition()).isEqualTo(first);
        assertThat(broker.confirmed()).hasSize(2);
        assertThat(broker.published()).extracting(RelayMessage::sequence).allMatch(s -> s > 0);
    }

    @Test
    void badSettingsAreAllReportedAtOnce() {
        assertThatThrownBy(() -> ChangeRelay.builder("bad name!", new FakePublisher()).window(0).lease(Duration.ZERO)
                .backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).filter(null).build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems()).hasSize(5)
                        .anyMatch(p -> p.startsWith("name:")).anyMatch(p -> p.startsWith("window:"))
                        .anyMatch(p -> p.startsWith("lease:")).anyMatch(p -> p.startsWith("backoff:"))
                        .anyMatch(p -> p.startsWith("filter:")));
    }

    @Test
    void aRelayServesOneCrm() {
        ChangeRelay relay = start(new FakePublisher(), EntryFilter.all());
        assertThatThrownBy(() -> Crm.builder().storage(InMemoryStorage.create()).install(relay).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("already started");
    }
}
