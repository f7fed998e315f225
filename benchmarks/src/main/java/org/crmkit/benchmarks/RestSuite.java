package org.crmkit.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.IntFunction;
import org.crmkit.Crm;
import org.jspecify.annotations.Nullable;
import org.crmkit.storage.memory.InMemoryStorage;

/**
 * crm-rest over HTTP (issue 17, item 8), on {@link InMemoryStorage} so that the HTTP layer is what differs:
 *
 * <ul>
 *   <li>{@code BENCH rest.get} and {@code BENCH rest.create}: one request at a time over one keep-alive connection
 *       ({@link HttpClient}, HTTP/1.1), through crm-rest against a bare Javalin handler on the same Jetty that verifies
 *       the same JWT with the same authenticator, calls {@code CrmSession} and writes the record with Jackson
 *       ({@link RestSides}). {@code --ops} requests a round (default {@value #DEFAULT_OPS}), a warm-up round per side,
 *       then {@code --rounds} rounds with the sides alternating which goes first; the median time per request. Goal:
 *       ratio at most 1.3.</li>
 *   <li>{@code BENCH rest.sse_fanout}: {@code --clients} (default {@value SseFanout#DEFAULT_CLIENTS}) open change
 *       streams, then {@code --changes} (default {@value SseFanout#DEFAULT_CHANGES}) updates; per update the time from
 *       before the commit until the last client has the event ({@link SseFanout}). Goal: at most 500 ms.</li>
 * </ul>
 *
 * {@code --size} contacts are stored first (default 1,000); {@code --part get|create|sse|all} picks parts.
 */
final class RestSuite implements Suite {
    static final int DEFAULT_OPS = 2_000;

    @Override
    public String name() {
        return "rest";
    }

    @Override
    public String description() {
        return "crm-rest: HTTP get/create vs a bare Javalin handler on the Java API; SSE fan-out to 1,000 clients";
    }

    @Override
    public int defaultSize() {
        return 1_000;
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("part", "get|create|sse|all (default all)");
        o.put("ops", "requests per round and side for get and create (default " + DEFAULT_OPS + ")");
        o.put("clients", "SSE clients for sse_fanout (default " + SseFanout.DEFAULT_CLIENTS + ")");
        o.put("changes", "changes whose fan-out is timed (default " + SseFanout.DEFAULT_CHANGES + ")");
        return o;
    }

    @Override
    public void check(BenchConfig config) {
        parts(config);
        config.ops(DEFAULT_OPS);
        config.positive("clients", SseFanout.DEFAULT_CLIENTS);
        config.positive("changes", SseFanout.DEFAULT_CHANGES);
    }

    private static List<String> parts(BenchConfig config) {
        String part = config.option("part", "all");
        return switch (part) {
            case "all" -> List.of("get", "create", "sse");
            case "get", "create", "sse" -> List.of(part);
            default -> throw new IllegalArgumentException("--part must be get, create, sse or all, got '" + part + "'");
        };
    }

    @Override
    public void run(BenchConfig config, BenchOutput out) throws Exception {
        List<String> parts = parts(config);
        if (parts.contains("get") || parts.contains("create")) {
            try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).build();
                    RestSides sides = new RestSides(crm, 200, b -> {}, (c, s) -> {})) {
                List<UUID> ids = sides.seed(config.size());
                StorageSuite.note("rest", "%d contacts; crm-rest at %s, bare Javalin at %s", ids.size(),
                        sides.restUri(), sides.bareUri());
                Random random = new Random(config.seed());
                int[] order = random.ints(Math.max(ids.size(), 1) * 4L, 0, ids.size()).toArray();
                if (parts.contains("get")) {
                    out.report(compare("rest.get", config, sides,
                            i -> get(sides, ids.get(order[i % order.length]))));
                }
                if (parts.contains("create")) {
                    out.report(compare("rest.create", config, sides, i -> create(sides, i)));
                }
            }
        }
        if (parts.contains("sse")) {
            new SseFanout(config.positive("clients", SseFanout.DEFAULT_CLIENTS),
                    config.positive("changes", SseFanout.DEFAULT_CHANGES)).run(out);
        }
    }

    /** A request to either side: the path and body are the same, only the base differs. */
    private record Call(String path, byte @Nullable [] body) {}

    private static Call get(RestSides sides, UUID id) {
        return new Call("objects/contact/" + id, null);
    }

    private static Call create(RestSides sides, int i) {
        return new Call("objects/contact", sides.write(Map.of("first_name", "New", "last_name", "Created " + i,
                "email", "n" + i + "@bench.example")));
    }

    private static BenchLine compare(String name, BenchConfig config, RestSides sides, IntFunction<Call> calls)
            throws Exception {
        int ops = config.ops(DEFAULT_OPS);
        HttpClient restClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpClient bareClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int[] next = {0};
        IntFunction<Call> numbered = i -> calls.apply(next[0]++);
        round(restClient, sides.restUri(), sides.token, numbered, ops);
        round(bareClient, sides.bareUri(), sides.token, numbered, ops);
        List<Double> rest = new ArrayList<>();
        List<Double> bare = new ArrayList<>();
        for (int r = 0; r < config.rounds(); r++) {
            if (r % 2 == 0) {
                rest.add(round(restClient, sides.restUri(), sides.token, numbered, ops));
                bare.add(round(bareClient, sides.bareUri(), sides.token, numbered, ops));
            } else {
                bare.add(round(bareClient, sides.bareUri(), sides.token, numbered, ops));
                rest.add(round(restClient, sides.restUri(), sides.token, numbered, ops));
            }
        }
        StorageSuite.note(name, "rounds crm-rest %s us, bare %s us", micros(rest), micros(bare));
        return new BenchLine(name, median(rest), median(bare));
    }

    /** Sends {@code ops} requests one after another; the mean time per request in nanoseconds. */
    private static double round(HttpClient client, URI base, String token, IntFunction<Call> calls, int ops)
            throws Exception {
        Call[] prepared = new Call[ops];
        for (int i = 0; i < ops; i++) {
            prepared[i] = calls.apply(i);
        }
        long start = System.nanoTime();
        for (Call call : prepared) {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(call.path()))
                    .header("Authorization", "Bearer " + token);
            byte[] body = call.body();
            if (body != null) {
                b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
            }
            HttpResponse<byte[]> response = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != (call.body() == null ? 200 : 201)) {
                throw new IllegalStateException(base + call.path() + " answered " + response.statusCode() + ": "
                        + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return (System.nanoTime() - start) / (double) ops;
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String micros(List<Double> nanos) {
        return Arrays.toString(nanos.stream().mapToLong(v -> Math.round(v / 1_000)).toArray());
    }
}
