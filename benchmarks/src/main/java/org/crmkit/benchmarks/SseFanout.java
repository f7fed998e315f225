package org.crmkit.benchmarks;

import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.record.Record;
import org.crmkit.rest.AuthenticationException;
import org.crmkit.storage.memory.InMemoryStorage;

/**
 * {@code BENCH rest.sse_fanout}: {@code clients} connections (one JDK {@link HttpClient}, HTTP/1.1, a connection per
 * stream, bodies read line by line by a subscriber, so no client thread per stream) hold {@code GET /changes} open;
 * then one contact is updated {@code changes} times through the Java API, and per update the time from before the
 * commit until the last client has read its event is taken (after a warm-up update all clients must see). CRMKit is
 * crm-rest's change stream (each client reads its own access-filtered feed); the baseline is a bare Javalin SSE
 * endpoint on the same Jetty with the same token check, to which a {@code ChangeLog} listener sends each committed
 * change, as JSON, client after client. Prints the median of both sides' times, and {@code FIGURE} lines with
 * crm-rest's median and maximum over the changes and its median client's time. Goal: at most 500 ms.
 */
final class SseFanout {
    static final int DEFAULT_CLIENTS = 1_000;
    static final int DEFAULT_CHANGES = 10;
    private static final long PATIENCE_SECONDS = 120;
    private static final String MARK = "\"new\":\"fanout-";

    private final int clients;
    private final int changes;

    SseFanout(int clients, int changes) {
        this.clients = clients;
        this.changes = changes;
    }

    /** One side's times in nanoseconds: per change, until every client had it; and every client's own time. */
    private record Times(List<Double> allSeen, Latencies perClient) {}

    void run(BenchOutput out) throws Exception {
        Set<SseClient> open = ConcurrentHashMap.newKeySet();
        ExecutorService broadcaster = Executors.newSingleThreadExecutor();
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).build();
                RestSides sides = new RestSides(crm, clients + 200, b -> b.maxStreams(clients + 10),
                        (config, self) -> config.routes.get("/changes", new SseHandler(client -> {
                            try {
                                self.session(client.ctx());
                            } catch (AuthenticationException e) {
                                client.close();
                                return;
                            }
                            open.add(client);
                            client.onClose(() -> open.remove(client));
                            client.keepAlive();
                        })))) {
            AutoCloseable subscription = crm.changeLog().subscribe(entries -> broadcaster.execute(() -> {
                for (ChangeLogEntry e : entries) {
                    String data = new String(sides.write(eventJson(e)), java.nio.charset.StandardCharsets.UTF_8);
                    for (SseClient c : open) {
                        c.sendEvent("change", data, Long.toString(e.sequence()));
                    }
                }
            }));
            try {
                measure(crm, sides, out);
            } finally {
                subscription.close();
            }
        } finally {
            broadcaster.shutdownNow();
        }
    }

    private void measure(Crm crm, RestSides sides, BenchOutput out) throws Exception {
        RecordSet contacts = crm.as(RestSides.ADMIN).records("contact");
        Record[] contact = {contacts.create(Map.of("last_name", "Fanout"))};
        // the bare side first: its closed clients are gone at its first write after, while crm-rest's streams
        // would go on reading the change log until their next heartbeat finds the client gone
        Times bare = side("bare", sides.bareUri(), sides.token, contacts, contact);
        Times rest = side("crm-rest", sides.restUri(), sides.token, contacts, contact);
        out.report(new BenchLine("rest.sse_fanout", RestSuite.median(rest.allSeen()),
                RestSuite.median(bare.allSeen())));
        out.figure("rest.sse_fanout", "clients", clients);
        out.figure("rest.sse_fanout", "all_seen_p50_ms", Math.round(RestSuite.median(rest.allSeen()) / 1e6));
        out.figure("rest.sse_fanout", "all_seen_max_ms",
                Math.round(rest.allSeen().stream().mapToDouble(Double::doubleValue).max().orElse(0) / 1e6));
        out.figure("rest.sse_fanout", "client_p50_ms", Math.round(rest.perClient().percentile(50) / 1e6));
    }

    /** A change as the bare side sends it: crm-rest's event shape, with the changed fields' old and new values. */
    private static Map<String, Object> eventJson(ChangeLogEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sequence", e.sequence());
        m.put("at", e.at().toString());
        m.put("principal", e.principalId());
        m.put("type", e.objectType());
        m.put("record_id", e.recordId().toString());
        m.put("operation", e.operation().name().toLowerCase(java.util.Locale.ROOT));
        m.put("version", e.version());
        List<Map<String, Object>> fields = new ArrayList<>();
        for (FieldChange c : e.changes()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("field", c.field());
            f.put("old", String.valueOf(c.oldValue()));
            f.put("new", String.valueOf(c.newValue()));
            fields.add(f);
        }
        m.put("changes", fields);
        return m;
    }

    private Times side(String name, URI base, String token, RecordSet contacts, Record[] contact)
            throws Exception {
        // index 0 is the warm-up change, 1..changes the timed ones
        AtomicLongArray[] arrivals = new AtomicLongArray[changes + 1];
        CountDownLatch[] seen = new CountDownLatch[changes + 1];
        for (int k = 0; k <= changes; k++) {
            arrivals[k] = new AtomicLongArray(clients);
            seen[k] = new CountDownLatch(clients);
        }
        CountDownLatch connected = new CountDownLatch(clients);
        AtomicInteger refused = new AtomicInteger();
        ExecutorService io = Executors.newFixedThreadPool(4);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(io).build();
        try {
            HttpRequest request = HttpRequest.newBuilder(base.resolve("changes?types=contact"))
                    .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build();
            for (int i = 0; i < clients; i++) {
                int client = i;
                http.sendAsync(request, info -> {
                    if (info.statusCode() == 200) {
                        connected.countDown();
                    } else {
                        refused.incrementAndGet();
                    }
                    return HttpResponse.BodySubscribers.fromLineSubscriber(new Lines(line -> {
                        int at = line.startsWith("data:") ? line.indexOf(MARK) : -1;
                        if (at < 0) {
                            return;
                        }
                        int end = at + MARK.length();
                        int stop = end;
                        while (stop < line.length() && Character.isDigit(line.charAt(stop))) {
                            stop++;
                        }
                        int k = Integer.parseInt(line.substring(end, stop));
                        if (k <= changes && arrivals[k].compareAndSet(client, 0, System.nanoTime())) {
                            seen[k].countDown();
                        }
                    }));
                });
            }
            if (!connected.await(PATIENCE_SECONDS, TimeUnit.SECONDS) || refused.get() > 0) {
                throw new IllegalStateException(name + ": " + (clients - connected.getCount()) + " of " + clients
                        + " streams open, " + refused.get() + " refused");
            }
            StorageSuite.note("rest.sse_fanout", "%s: %d streams open", name, clients);
            List<Double> allSeen = new ArrayList<>();
            Latencies perClient = new Latencies();
            for (int k = 0; k <= changes; k++) {
                Thread.sleep(200);
                long start = System.nanoTime();
                contact[0] = contacts.update(contact[0], Map.of("title", "fanout-" + k));
                if (!seen[k].await(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(name + ": change " + k + " reached " + (clients
                            - seen[k].getCount()) + " of " + clients + " clients");
                }
                if (k == 0) {
                    continue;
                }
                long last = 0;
                for (int c = 0; c < clients; c++) {
                    long t = arrivals[k].get(c);
                    last = Math.max(last, t);
                    perClient.record(t - start);
                }
                allSeen.add((double) (last - start));
            }
            StorageSuite.note("rest.sse_fanout", "%s: all %d clients had the change after %s ms", name, clients,
                    allSeen.stream().map(v -> Long.toString(Math.round(v / 1e6))).toList());
            return new Times(allSeen, perClient);
        } finally {
            http.shutdownNow();
            io.shutdownNow();
        }
    }

    /** Hands each line of a response body to a callback, asking for lines one at a time without end. */
    private static final class Lines implements Flow.Subscriber<String> {
        private final java.util.function.Consumer<String> line;

        Lines(java.util.function.Consumer<String> line) {
            this.line = line;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String item) {
            line.accept(item);
        }

        @Override
        public void onError(Throwable throwable) {}

        @Override
        public void onComplete() {}
    }
}
