package org.crmkit.relay;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.IntSupplier;
import org.crmkit.Crm;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.relay.spi.ChangePublisher;
import org.crmkit.storage.jdbc.JdbcStorage;

/**
 * The broker modules' common scenario, on H2 in a file shared by three {@code Crm}s (nodes) in this JVM: a writer node
 * writes changes to 8 contacts all along; node a's relay publishes until it is killed between publish and confirm;
 * node b's relay of the same name starts, stands by behind node a's lease, and takes over from the stored position
 * when node a is gone. Returns once node b has confirmed the whole log, with the log, for the test to check what its
 * consumer received.
 */
public final class BrokerScenario {
    private BrokerScenario() {}

    public static List<ChangeLogEntry> killedRelayIsTakenOver(Path dir, ChangePublisher publisherA,
            ChangePublisher publisherB, IntSupplier consumed) {
        String url = "jdbc:h2:file:" + dir.resolve("crm").toAbsolutePath() + ";LOCK_TIMEOUT=10000";
        KillablePublisher killable = new KillablePublisher(publisherA);
        ChangeRelay relayA = relay(killable, "node-a");
        ChangeRelay relayB = relay(publisherB, "node-b");
        try (Crm writerNode = Crm.builder().storage(JdbcStorage.builder().url(url).build()).build()) {
            ChangeWriter writer = new ChangeWriter(writerNode).create(8);
            Crm nodeA = node(url, relayA);
            Crm nodeB = null;
            try {
                writer.update(60);
                Await.until("node a publishes", () -> consumed.getAsInt() >= 40);
                killable.kill(); // mid-stream: what it publishes now is never confirmed
                writer.update(30);
                Await.until("node a fails", () -> relayA.status().state() == RelayState.RETRYING);
                nodeB = node(url, relayB);
                writer.update(60);
                nodeA.close(); // node a is gone: node b takes over from the stored position
                writer.update(40);
                List<ChangeLogEntry> log = ChangeWriter.log(writerNode);
                long last = log.get(log.size() - 1).sequence();
                Await.until("node b confirms the whole log", () -> relayB.status().confirmedSequence() == last,
                        () -> relayB.status().toString());
                if (relayB.status().lag() != 0 || relayA.status().state() != RelayState.STOPPED) {
                    throw new AssertionError("after the take-over: " + relayA.status() + " / " + relayB.status());
                }
                return log;
            } finally {
                nodeA.close();
                if (nodeB != null) {
                    nodeB.close();
                }
            }
        }
    }

    private static Crm node(String url, ChangeRelay relay) {
        return Crm.builder().storage(JdbcStorage.builder().url(url).build()).install(relay).build();
    }

    private static ChangeRelay relay(ChangePublisher publisher, String node) {
        return ChangeRelay.builder("broker", publisher).nodeId(node).window(20).lease(Duration.ofSeconds(3))
                .pollInterval(Duration.ofMillis(200)).backoff(Duration.ofMillis(20), Duration.ofMillis(500)).build();
    }
}
