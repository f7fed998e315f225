package org.crmkit.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.time.Duration;
import org.crmkit.query.Filter;
import org.crmkit.security.Principal;
import org.junit.jupiter.api.Test;

/** Idempotency-Key replays, the rate limit, body size and content type, and CORS. */
class RequestLimitsTest {
    private static long projects(RestFixture f) {
        return f.crm.as(Principal.SYSTEM).records("project").count(Filter.ALL);
    }

    @Test
    void theSameIdempotencyKeyReplaysTheFirstResponseWithoutASecondRecord() {
        try (RestFixture f = new RestFixture()) {
            String ada = f.token("ada", "admin");
            RestFixture.Res first = f.post(ada, "/objects/project", "{\"name\":\"Apollo\"}", "Idempotency-Key", "k-1");
            RestFixture.Res again = f.post(ada, "/objects/project", "{\"name\":\"Apollo\"}", "Idempotency-Key", "k-1");
            assertThat(first.status()).isEqualTo(201);
            assertThat(again.status()).isEqualTo(201);
            assertThat(again.raw().body()).isEqualTo(first.raw().body());
            assertThat(again.header("ETag")).isEqualTo(first.header("ETag"));
            assertThat(again.header("Location")).isEqualTo(first.header("Location"));
            assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(projects(f)).isEqualTo(1);

            // another body under the same key: refused, nothing written
            f.post(ada, "/objects/project", "{\"name\":\"Gemini\"}", "Idempotency-Key", "k-1").problem(422);
            // another principal's key of the same name is its own
            String bob = f.token("bob", "admin");
            assertThat(f.post(bob, "/objects/project", "{\"name\":\"Apollo\"}", "Idempotency-Key", "k-1").status())
                    .isEqualTo(201);
            // no key: every POST creates
            assertThat(f.post(ada, "/objects/project", "{\"name\":\"Apollo\"}").status()).isEqualTo(201);
            assertThat(projects(f)).isEqualTo(3);
        }
    }

    @Test
    void aRefusedWriteIsReplayedAsRefused() {
        try (RestFixture f = new RestFixture()) {
            String ada = f.token("ada", "admin");
            f.post(ada, "/objects/project", "{\"budget\":1}", "Idempotency-Key", "k-2").problem(422);
            RestFixture.Res again = f.post(ada, "/objects/project", "{\"budget\":1}", "Idempotency-Key", "k-2")
                    .problem(422);
            assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
            f.post(ada, "/objects/project", "{\"name\":\"x\"}", "Idempotency-Key", "bad key\u00e9").problem(400);
            assertThat(projects(f)).isZero();
        }
    }

    @Test
    void theRateLimitAnswers429WithRetryAfterPerPrincipal() {
        try (RestFixture f = new RestFixture(b -> b.rateLimit(new RateLimit(3, Duration.ofHours(1))))) {
            String ada = f.token("ada", "admin");
            for (int i = 0; i < 3; i++) {
                assertThat(f.get(ada, "/objects/project").status()).isEqualTo(200);
            }
            RestFixture.Res limited = f.get(ada, "/objects/project").problem(429);
            assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 3600L);
            f.post(ada, "/objects/project", "{\"name\":\"x\"}").problem(429);
            assertThat(projects(f)).isZero();
            // bob has his own bucket
            assertThat(f.get(f.token("bob", "admin"), "/objects/project").status()).isEqualTo(200);
        }
    }

    @Test
    void bodiesOverTheLimitAre413AndWriteNothing() {
        try (RestFixture f = new RestFixture(b -> b.maxBodyBytes(1_000))) {
            String ada = f.token("ada", "admin");
            f.post(ada, "/objects/project", "{\"name\":\"" + "x".repeat(2_000) + "\"}").problem(413);
            // without Content-Length (chunked): found while reading
            HttpRequest.Builder chunked = HttpRequest.newBuilder(f.uri("/objects/project"))
                    .header("Authorization", "Bearer " + ada).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                            ("{\"name\":\"" + "y".repeat(5_000) + "\"}").getBytes())));
            f.send(chunked).problem(413);
            assertThat(projects(f)).isZero();
        }
    }

    @Test
    void writesMustBeJson() {
        try (RestFixture f = new RestFixture()) {
            String ada = f.token("ada", "admin");
            for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "application/xml"}) {
                f.send(HttpRequest.newBuilder(f.uri("/objects/project")).header("Authorization", "Bearer " + ada)
                        .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}")))
                        .problem(415);
            }
            f.send(HttpRequest.newBuilder(f.uri("/objects/project")).header("Authorization", "Bearer " + ada)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}"))).problem(415);
            assertThat(projects(f)).isZero();
            RestFixture.Res ok = f.send(HttpRequest.newBuilder(f.uri("/objects/project"))
                    .header("Authorization", "Bearer " + ada).header("Content-Type", "application/json; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}")));
            assertThat(ok.status()).isEqualTo(201);
        }
    }

    @Test
    void corsAnswersOnlyConfiguredOrigins() {
        try (RestFixture f = new RestFixture(b -> b.corsOrigins("https://app.example.com"))) {
            String ada = f.token("ada", "admin");
            RestFixture.Res allowed = f.send(HttpRequest.newBuilder(f.uri("/objects/project"))
                    .header("Authorization", "Bearer " + ada).header("Origin", "https://app.example.com").GET());
            assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
            assertThat(allowed.header("Access-Control-Expose-Headers")).contains("ETag");
            RestFixture.Res other = f.send(HttpRequest.newBuilder(f.uri("/objects/project"))
                    .header("Authorization", "Bearer " + ada).header("Origin", "https://evil.example.com").GET());
            assertThat(other.header("Access-Control-Allow-Origin")).isNull();
            RestFixture.Res preflight = f.send(HttpRequest.newBuilder(f.uri("/objects/project"))
                    .header("Origin", "https://app.example.com").header("Access-Control-Request-Method", "PATCH")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
            assertThat(preflight.status()).isEqualTo(204);
            assertThat(preflight.header("Access-Control-Allow-Methods")).contains("PATCH");
            assertThat(preflight.header("Access-Control-Allow-Headers")).contains("If-Match", "Idempotency-Key");
        }
        try (RestFixture none = new RestFixture()) {
            RestFixture.Res r = none.send(HttpRequest.newBuilder(none.uri("/objects/project"))
                    .header("Authorization", "Bearer " + none.token("ada", "admin"))
                    .header("Origin", "https://app.example.com").GET());
            assertThat(r.header("Access-Control-Allow-Origin")).isNull();
        }
    }
}
