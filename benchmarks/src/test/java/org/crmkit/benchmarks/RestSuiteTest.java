package org.crmkit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.Crm;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.Test;

/** The rest suite on a tiny scale: it prints its three lines, and both sides answer the same thing. */
class RestSuiteTest {
    @Test
    void theSuitePrintsGetCreateAndFanOutLines() throws Exception {
        List<BenchLine> lines = new ArrayList<>();
        List<String> figures = new ArrayList<>();
        new RestSuite().run(new BenchConfig(20, 42, 1, Map.of("ops", "10", "clients", "5", "changes", "2")),
                new BenchOutput() {
                    @Override
                    public void report(BenchLine line) {
                        lines.add(line);
                    }

                    @Override
                    public void skip(String name, String reason) {
                        throw new AssertionError("skipped " + name + ": " + reason);
                    }

                    @Override
                    public void figure(String name, String key, long value) {
                        figures.add(name + " " + key + "=" + value);
                    }
                });
        assertThat(lines).extracting(BenchLine::name).containsExactly("rest.get", "rest.create", "rest.sse_fanout");
        assertThat(lines).allSatisfy(l -> assertThat(l.crmkitNanos()).isPositive())
                .allSatisfy(l -> assertThat(l.baselineNanos()).isPositive());
        assertThat(figures).contains("rest.sse_fanout clients=5");
        assertThat(figures).anyMatch(f -> f.startsWith("rest.sse_fanout all_seen_max_ms="));
    }

    @Test
    void aBadPartIsRefused() {
        assertThatThrownBy(() -> new RestSuite().check(new BenchConfig(20, 42, 1, Map.of("part", "put"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--part");
    }

    /** The baseline does the same work: the same token check, the same record, the same JSON shape. */
    @Test
    void theBareHandlerAnswersWhatCrmRestAnswers() throws Exception {
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).build();
                RestSides sides = new RestSides(crm, 20, b -> {}, (c, s) -> {})) {
            UUID id = sides.seed(1).get(0);
            HttpClient http = HttpClient.newHttpClient();
            ObjectMapper json = new ObjectMapper();
            JsonNode rest = json.readTree(get(http, sides.restUri(), id, sides.token).body());
            JsonNode bare = json.readTree(get(http, sides.bareUri(), id, sides.token).body());
            assertThat(bare).isEqualTo(rest);
            assertThat(get(http, sides.bareUri(), id, "not-a-token").statusCode()).isNotEqualTo(200);
        }
    }

    private static HttpResponse<String> get(HttpClient http, URI base, UUID id, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve("objects/contact/" + id))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }
}
