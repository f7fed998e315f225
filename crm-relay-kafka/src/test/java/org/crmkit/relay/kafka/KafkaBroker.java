package org.crmkit.relay.kafka;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one), started in a child JVM from the
 * {@code kafka_2.13} jars on this test's class path: its storage formatted with {@code kafka.tools.StorageTool},
 * then {@code kafka.Kafka} run on a properties file; stopped (and its data left to the temporary directory) on close.
 */
final class KafkaBroker implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private KafkaBroker(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    static KafkaBroker start(Path dir) throws Exception {
        int port = freePort();
        int controller = freePort();
        Path config = dir.resolve("server.properties");
        Files.writeString(config, String.join("\n", List.of("process.roles=broker,controller", "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controller,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port, "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT", "log.dirs=" + dir.resolve("data").toAbsolutePath(),
                "num.partitions=3", "auto.create.topics.enable=true", "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3", "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1", "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1", "group.initial.rebalance.delay.ms=0")) + "\n");
        Path log = dir.resolve("broker.log");
        String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
        Process format = java(dir, log, "kafka.tools.StorageTool", "format", "-t", clusterId, "-c",
                config.toString()).start();
        if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new AssertionError("formatting the Kafka broker's storage failed: " + Files.readString(log));
        }
        Process broker = java(dir, log, "kafka.Kafka", config.toString()).start();
        // should this JVM die without closing it, the broker goes with it
        Runtime.getRuntime().addShutdownHook(new Thread(broker::destroyForcibly));
        KafkaBroker started = new KafkaBroker(broker, port, log);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!answers(port)) {
            if (!broker.isAlive() || System.nanoTime() > end) {
                started.close();
                throw new AssertionError("the Kafka broker did not start: " + Files.readString(log));
            }
            Thread.sleep(200);
        }
        return started;
    }

    private static ProcessBuilder java(Path dir, Path log, String main, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx512m", "-cp",
                System.getProperty("java.class.path"), main));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    static String uniqueTopic() {
        return "crmkit-test-" + UUID.randomUUID();
    }
}
