package org.crmkit.benchmarks;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.relay.ChangeRelay;
import org.crmkit.relay.rabbitmq.RabbitPublisher;
import org.crmkit.security.Principal;

/**
 * {@code events.relay_lag}: contacts created at {@code --rate} per second (default 1,000) by 8 threads for
 * {@code --seconds} (default 10) on PostgreSQL, after {@code --warmup} seconds (default 5) at the same rate whose
 * changes are not measured (a cold JVM reaches only about 770 of 1,000 creates per second in its first ten),
 * relayed by {@link ChangeRelay} to RabbitMQ
 * ({@code $CRMKIT_BENCH_RABBITMQ_URI}, default {@code amqp://guest:guest@127.0.0.1:5672}); a consumer on a queue bound
 * to the exchange notes when each record's create arrives. The latency of a change is its arrival minus the moment
 * its {@code create} returned (the commit is a little earlier, so the figure errs low by the commit's return). Printed
 * as {@code BENCH events.relay_lag crmkit=<p99> baseline=<100 ms goal>} (ratio below 1 meets the goal), with p50,
 * p99 and max as {@code FIGURE} lines in microseconds.
 */
final class RelaySuite implements Suite {
    private static final String URI_ENV = "CRMKIT_BENCH_RABBITMQ_URI";
    private static final int THREADS = 8;

    @Override
    public String name() {
        return "events";
    }

    @Override
    public String description() {
        return "commit-to-delivery latency of the change-log relay on RabbitMQ at a steady rate (size unused)";
    }

    @Override
    public Map<String, String> options() {
        return Map.of("rate", "changes per second (default 1000)", "seconds", "duration (default 10)", "warmup",
                "seconds at the same rate before the measured ones (default 5)");
    }

    @Override
    public void run(BenchConfig config, BenchOutput out) throws Exception {
        String url = BenchDatabase.answeringPostgres("events.relay_lag", out);
        if (url == null) {
            return;
        }
        String uri = System.getenv().getOrDefault(URI_ENV, "amqp://guest:guest@127.0.0.1:5672");
        int rate = config.positive("rate", 1000);
        int seconds = config.positive("seconds", 10);
        int warmup = config.positive("warmup", 5);
        String exchange = "crmkit.bench." + UUID.randomUUID();
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri);
        Map<UUID, Long> committed = new ConcurrentHashMap<>();
        Map<UUID, Long> arrived = new ConcurrentHashMap<>();
        try (Connection connection = factory.newConnection("crmkit-bench");
                Channel channel = connection.createChannel();
                BenchDatabase database = BenchDatabase.postgres(url)) {
            channel.exchangeDeclare(exchange, "topic", false, true, null);
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, exchange, "contact.#");
            channel.basicConsume(queue, true, (tag, d) -> {
                String key = d.getEnvelope().getRoutingKey();
                arrived.putIfAbsent(UUID.fromString(key.substring(key.indexOf('.') + 1)), System.nanoTime());
            }, tag -> {});
            ChangeRelay relay = ChangeRelay.builder("bench", RabbitPublisher.builder().uri(uri).exchange(exchange)
                    .declareExchange(false).build()).startAtEnd(true).build();
            try (Crm crm = Crm.builder().storage(database.crmkitStorage("")).install(relay).build()) {
                RecordSet contacts = crm.as(Principal.SYSTEM).records("contact");
                contacts.create(Map.of("last_name", "Warm")); // opens the relay's path before the clock starts
                drive(contacts, rate, rate * warmup, "RelayWarm", new ConcurrentHashMap<>());
                long start = System.nanoTime();
                int total = rate * seconds;
                drive(contacts, rate, total, "Relay", committed);
                double achieved = total / ((System.nanoTime() - start) / 1e9);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!arrived.keySet().containsAll(committed.keySet()) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                Latencies lags = new Latencies();
                committed.forEach((id, at) -> {
                    Long arrival = arrived.get(id);
                    if (arrival != null) {
                        lags.record(arrival - at);
                    }
                });
                if (lags.count() < committed.size()) {
                    out.skip("events.relay_lag", (committed.size() - lags.count()) + " of " + committed.size()
                            + " changes did not arrive within 60 s");
                    return;
                }
                long p50 = (long) lags.percentile(50);
                long p99 = (long) lags.percentile(99);
                long max = (long) lags.percentile(100);
                StorageSuite.note("events.relay_lag", "%d changes at %.0f/s (asked %d/s): p50 %.1f ms, p99 %.1f ms,"
                        + " max %.1f ms", lags.count(), achieved, rate, p50 / 1e6, p99 / 1e6, max / 1e6);
                out.figure("events.relay_lag", "p50_us", p50 / 1000);
                out.figure("events.relay_lag", "p99_us", p99 / 1000);
                out.figure("events.relay_lag", "max_us", max / 1000);
                out.figure("events.relay_lag", "rate_per_s", Math.round(achieved));
                out.report(new BenchLine("events.relay_lag", p99, Duration.ofMillis(100).toNanos()));
            }
        }
    }

    /**
     * Creates {@code total} contacts at {@code rate} per second on {@link #THREADS} threads, noting each commit; a
     * writer's failure fails the run (it would otherwise leave fewer changes measured, silently).
     */
    private static void drive(RecordSet contacts, int rate, int total, String name, Map<UUID, Long> committed)
            throws InterruptedException, java.util.concurrent.ExecutionException {
        long interval = 1_000_000_000L / rate;
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<java.util.concurrent.Future<?>> writers = new java.util.ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            writers.add(pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < total;) {
                    long wait = start + i * interval - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    UUID id = contacts.create(Map.of("last_name", name + i)).id();
                    committed.put(id, System.nanoTime());
                }
                return null;
            }));
        }
        pool.shutdown();
        try {
            for (java.util.concurrent.Future<?> w : writers) {
                w.get(total / rate * 20L + 60, TimeUnit.SECONDS);
            }
        } catch (java.util.concurrent.TimeoutException e) {
            pool.shutdownNow();
            throw new IllegalStateException("the writers did not finish " + total + " creates in time", e);
        }
    }
}
