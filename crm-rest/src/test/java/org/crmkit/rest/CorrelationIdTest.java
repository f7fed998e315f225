package org.crmkit.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every response carries the request's correlation id in {@code X-Request-Id}: the caller's when it is a plain token,
 * a new one otherwise (a value that could forge a log line is replaced, never echoed). That the id is in the MDC of
 * every log line of the request is checked end to end in crm-micrometer's {@code RestLogContextTest}, which has an
 * SLF4J backend with a real MDC.
 */
class CorrelationIdTest {
    private final RestFixture f = new RestFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aValidIdIsEchoed() {
        RestFixture.Res r = f.send(HttpRequest.newBuilder(f.uri("/objects/contact")).header("Authorization",
                "Bearer " + f.token("u-1", "admin")).header("X-Request-Id", "req-42.a:b_c").GET());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("X-Request-Id")).isEqualTo("req-42.a:b_c");
    }

    @Test
    void aMissingOrHostileIdIsReplacedByANewOne() {
        RestFixture.Res none = f.get(f.token("u-1", "admin"), "/objects/contact");
        assertThat(none.header("X-Request-Id")).matches("[0-9a-f-]{36}");
        RestFixture.Res hostile = f.send(HttpRequest.newBuilder(f.uri("/objects/contact"))
                .header("Authorization", "Bearer " + f.token("u-1", "admin"))
                .header("X-Request-Id", "x\" level=ERROR forged=1").GET());
        assertThat(hostile.header("X-Request-Id")).matches("[0-9a-f-]{36}");
        assertThat(hostile.header("X-Request-Id")).isNotEqualTo(none.header("X-Request-Id"));
    }

    @Test
    void problemsCarryTheIdToo() {
        RestFixture.Res denied = f.send(HttpRequest.newBuilder(f.uri("/objects/contact"))
                .header("X-Request-Id", "req-401").GET());
        assertThat(denied.status()).isEqualTo(401);
        assertThat(denied.header("X-Request-Id")).isEqualTo("req-401");
    }
}
