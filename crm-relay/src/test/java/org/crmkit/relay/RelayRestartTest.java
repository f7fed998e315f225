package org.crmkit.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.crmkit.Crm;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.relay.spi.RelayMessage;
import org.crmkit.storage.jdbc.JdbcStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The position survives a restart (H2 in a file): a relay stopped between publish and confirm is followed by a new
 * relay of the same name that publishes the unconfirmed entries again and goes on, with no gap; and of two nodes
 * running a relay of one name, one publishes while the other stands by, taking over when the first one's lease lapses.
 */
class RelayRestartTest {
    @TempDir
    Path dir;

    private String url() {
        return "jdbc:h2:file:" + dir.resolve("crm").toAbsolutePath() + ";LOCK_TIMEOUT=10000";
    }

    private Crm node(ChangeRelay relay) {
        return Crm.builder().storage(JdbcStorage.builder().url(url()).build()).install(relay).build();
    }

    private static ChangeRelay.Builder relay(FakePublisher broker) {
        return ChangeRelay.builder("restart", broker).window(4).pollInterval(Duration.ofMillis(100))
                .backoff(Duration.ofMillis(5), Duration.ofMillis(50)).checkpointInterval(Duration.ZERO);
    }

    private static List<Delivery> deliveries(List<RelayMessage> messages) {
        return messages.stream()
                .map(m -> new Delivery(m.messageId(), m.key(), new String(m.body(), StandardCharsets.UTF_8)))
                .toList();
    }

    @Test
    void aRestartedRelayResumesAfterTheLastConfirmedEntryWithoutAGap() {
        FakePublisher first = new FakePublisher();
        ChangeRelay before = relay(first).build();
        long confirmedBefore;
        try (Crm crm = node(before)) {
            ChangeWriter writer = new ChangeWriter(crm).create(3).update(6);
            long ninth = ChangeWriter.log(crm).get(8).sequence();
            Await.until("the first changes are confirmed", () -> before.status().confirmedSequence() == ninth);
            first.hold(true);
            writer.update(10);
            Await.until("more changes are published, unconfirmed", () -> first.published().size() > 9);
            before.close(); // stopped between publish and confirm
            confirmedBefore = before.status().confirmedSequence();
            assertThat(confirmedBefore).isEqualTo(ninth);
        }

        FakePublisher second = new FakePublisher();
        ChangeRelay after = relay(second).build();
        try (Crm crm = node(after)) {
            new ChangeWriter(crm).create(2);
            List<ChangeLogEntry> log = ChangeWriter.log(crm);
            long last = log.get(log.size() - 1).sequence();
            Await.until("the restarted relay catches up", () -> after.status().confirmedSequence() == last);
            assertThat(second.confirmed().get(0).sequence()).as("resumes right after the stored position")
                    .isEqualTo(confirmedBefore + 1);
            List<RelayMessage> all = new ArrayList<>(first.published());
            all.addAll(second.published());
            Delivery.assertComplete(deliveries(all), log);
            assertThat(all.size()).as("the unconfirmed entries came again").isGreaterThan(log.size());
        }
    }

    @Test
    void oneNodePublishesAtATimeAndAnotherTakesOverWhenItsLeaseLapses() {
        FakePublisher brokerA = new FakePublisher();
        FakePublisher brokerB = new FakePublisher();
        ChangeRelay a = relay(brokerA).nodeId("node-a").lease(Duration.ofSeconds(2)).build();
        ChangeRelay b = relay(brokerB).nodeId("node-b").lease(Duration.ofSeconds(2)).build();
        try (Crm nodeA = node(a)) {
            Await.until("node a holds the lease", () -> a.status().state() == RelayState.RUNNING);
            try (Crm nodeB = node(b)) {
                ChangeWriter writer = new ChangeWriter(nodeA).create(3).update(5);
                long eighth = ChangeWriter.log(nodeA).get(7).sequence();
                Await.until("node a publishes", () -> a.status().confirmedSequence() == eighth);
                Await.until("node b stands by", () -> b.status().state() == RelayState.STANDBY);
                assertThat(brokerB.published()).isEmpty();

                brokerA.hold(true); // node a hangs in a confirm: it no longer renews its lease
                writer.update(6);
                List<ChangeLogEntry> log = ChangeWriter.log(nodeA);
                long last = log.get(log.size() - 1).sequence();
                Await.until("node b takes over and catches up", () -> b.status().confirmedSequence() == last,
                        () -> b.status().toString());
                assertThat(b.status().state()).isEqualTo(RelayState.RUNNING);

                brokerA.hold(false); // node a wakes up: its next save finds the lease taken and it stands by
                Await.until("node a stands by", () -> a.status().state() == RelayState.STANDBY,
                        () -> a.status().toString());
                List<RelayMessage> all = new ArrayList<>(brokerA.published());
                all.addAll(brokerB.published());
                Delivery.assertComplete(deliveries(all), log);
                assertThat(brokerB.confirmed().get(0).sequence()).isLessThanOrEqualTo(eighth + 1);
            }
        }
    }

    @Test
    void startAtEndSkipsTheHistoryOnlyWhenNoPositionIsStored() {
        try (Crm crm = Crm.builder().storage(JdbcStorage.builder().url(url()).build()).build()) {
            new ChangeWriter(crm).create(3);
        }
        FakePublisher broker = new FakePublisher();
        ChangeRelay fresh = relay(broker).startAtEnd(true).build();
        List<ChangeLogEntry> log;
        try (Crm crm = node(fresh)) {
            new ChangeWriter(crm).create(2);
            log = ChangeWriter.log(crm);
            long last = log.get(log.size() - 1).sequence();
            Await.until("the new changes are confirmed", () -> fresh.status().confirmedSequence() == last);
        }
        assertThat(broker.confirmed()).extracting(RelayMessage::sequence)
                .containsExactlyElementsOf(log.subList(3, 5).stream().map(ChangeLogEntry::sequence).toList());

        FakePublisher again = new FakePublisher();
        ChangeRelay restarted = relay(again).startAtEnd(true).build();
        try (Crm crm = node(restarted)) {
            new ChangeWriter(crm).create(1);
            long last = ChangeWriter.log(crm).get(5).sequence();
            Await.until("the restart resumes from the stored position", () -> restarted.status()
                    .confirmedSequence() == last);
        }
        assertThat(again.confirmed()).hasSize(1);
    }

    @Test
    void aStoredPositionPastTheLogsEndIsResetSoNewEntriesAreNotSkipped() {
        try (Crm crm = Crm.builder().storage(JdbcStorage.builder().url(url()).build()).build()) {
            new ChangeWriter(crm).create(3);
        }
        // as a restore of an older backup or to a point in time leaves it: the position ahead of the log
        JdbcStorage handle = JdbcStorage.builder().url(url()).build();
        org.crmkit.storage.spi.Storage storage = org.crmkit.plugin.spi.Installation.storageOf(handle);
        try (org.crmkit.storage.spi.StorageTransaction tx = storage.begin()) {
            storage.extension(org.crmkit.storage.spi.DocumentStore.class).orElseThrow().save(tx, "relay_position",
                    "restart", 0, "{\"sequence\":1000,\"holder\":\"gone\",\"leaseUntil\":\"2000-01-01T00:00:00Z\"}",
                    "system", java.time.Instant.now());
            tx.commit();
        } finally {
            storage.close();
        }
        FakePublisher broker = new FakePublisher();
        ChangeRelay relay = relay(broker).build();
        try (Crm crm = node(relay)) {
            new ChangeWriter(crm).create(2);
            List<ChangeLogEntry> log = ChangeWriter.log(crm);
            long last = log.get(log.size() - 1).sequence();
            assertThat(last).isLessThan(1000);
            Await.until("the new entries are confirmed", () -> relay.status().confirmedSequence() == last,
                    () -> relay.status().toString());
            assertThat(broker.confirmed()).extracting(RelayMessage::sequence)
                    .containsExactlyElementsOf(log.subList(3, 5).stream().map(ChangeLogEntry::sequence).toList());
        }
    }
}
