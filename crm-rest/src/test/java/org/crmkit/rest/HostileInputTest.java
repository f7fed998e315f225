package org.crmkit.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.crmkit.query.Filter;
import org.crmkit.security.Principal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Malformed and hostile input: every answer is a clean 4xx problem+json (never a 500, a stack trace or a class name)
 * and nothing is written.
 */
class HostileInputTest {
    private final RestFixture f = storage();

    /** The in-memory storage; {@link HostileInputOnH2Test} runs the same tests on SQL. */
    RestFixture storage() {
        return new RestFixture();
    }

    private final String ada = f.token("ada", "admin");
    private String id;

    @BeforeEach
    void seed() {
        id = f.create(ada, "project", "{\"name\":\"Apollo\",\"budget\":5}");
    }

    @AfterEach
    void close() {
        f.close();
    }

    private void nothingWritten() {
        assertThat(f.crm.as(Principal.SYSTEM).records("project").count(Filter.ALL)).isEqualTo(1);
        assertThat(f.get(ada, "/objects/project/" + id).header("ETag")).isEqualTo("\"1\"");
    }

    @Test
    void malformedBodiesAre400() {
        List<String> bodies = List.of("", "{", "{\"name\":", "[]", "\"text\"", "42", "null",
                "{\"name\":\"a\"} trailing",
                "{'name':'a'}", "{\"name\":\"a\",\"name\":\"b\"}", "{\"name\":\"a\"" + "}".repeat(3),
                "{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}", "{\"a\":" + "{\"b\":".repeat(50) + "1"
                        + "}".repeat(51));
        for (String body : bodies) {
            RestFixture.Res created = f.post(ada, "/objects/project", body);
            assertThat(created.status()).as(body).isEqualTo(400);
            created.problem(400);
            f.patch(ada, "/objects/project/" + id, body, "If-Match", "\"1\"").problem(400);
        }
        nothingWritten();
    }

    @Test
    void invalidUtf8IsRefused() {
        byte[] bad = {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        f.send(HttpRequest.newBuilder(f.uri("/objects/project")).header("Authorization", "Bearer " + ada)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bad)))
                .problem(400);
        nothingWritten();
    }

    @Test
    void wrongValuesAre422NeverA500() {
        List<String> bodies = List.of("{\"name\":{\"$gt\":\"\"}}", "{\"name\":[1,2]}", "{\"budget\":1e400}",
                "{\"budget\":123456789012345678901234567890}", "{\"budget\":\"NaN\"}", "{\"budget\":true}",
                "{\"name\":\"a\\u0000b\"}", "{\"name\":\"" + "x".repeat(100_000) + "\"}",
                "{\"name\":\"x\",\"budget\":{\"a\":{\"b\":{\"c\":[[[[1]]]]}}}}");
        for (String body : bodies) {
            RestFixture.Res r = f.post(ada, "/objects/project", body);
            assertThat(r.status()).as(body.length() > 100 ? body.substring(0, 100) : body).isIn(400, 413, 422);
            r.problem(r.status());
        }
        nothingWritten();
    }

    @Test
    void hostileFilterValuesAreDataNotSyntax() {
        List<String> values = List.of("'", "\"", "' OR '1'='1", "Apollo' --", "Apollo\"; DROP TABLE crm_x_project; --",
                "%", "_", "\\", "\u0130\u0131\u00df\ud83d\ude00", "\u202eollopA", "${jndi:ldap://x}", "[]", "{}",
                "filter[name][eq]=Apollo", "x".repeat(3_000));
        for (String v : values) {
            String q = URLEncoder.encode(v, StandardCharsets.UTF_8);
            for (String op : List.of("eq", "ne", "contains", "starts_with", "in")) {
                RestFixture.Res r = f.get(ada, "/objects/project?filter[name][" + op + "]=" + q);
                assertThat(r.status()).as(op + " " + v).isIn(200, 400);
                if (r.status() == 400) {
                    r.problem(400); // a value the engine refuses (too long for a text match, say)
                } else {
                    boolean matches = !op.equals("ne") && r.body().get("items").size() > 0;
                    assertThat(matches).as(op + " " + v).isFalse();
                }
            }
            f.get(ada, "/objects/project?filter[budget][gt]=" + q).problem(400);
        }
        nothingWritten();
    }

    @Test
    void hostileParameterNamesArePoliteErrors() {
        List<String> names = List.of("filter[name' OR 1=1][eq]", "filter[]", "filter[name][]", "filter[[name]][eq]",
                "filter[name][eq][x]", "filter[NAME][eq]", "filter[" + "a".repeat(1_000) + "][eq]",
                "filter[name][" + "e".repeat(1_000) + "]", "filter[a.b.c.d.e.f.g][eq]", "sort", "sort=-", "limit",
                "\u0000", "filter[name]\u0000[eq]", "filter[name][eq");
        for (String n : names) {
            RestFixture.Res r = f.get(ada, "/objects/project?" + URLEncoder.encode(n, StandardCharsets.UTF_8)
                    + "=x");
            assertThat(r.status()).as(n).isEqualTo(400);
            r.problem(400);
            assertThat(r.body().get("errors").get(0).get("field").asText().length()).isLessThanOrEqualTo(63);
        }
        nothingWritten();
    }

    @Test
    void brokenPercentEncodingIsA400() {
        for (String q : List.of("filter[name]=%zz", "filter[name]=%", "filter%5Bname%5D=%E0%A4%A", "where=%7B%zz")) {
            String response = raw("GET /objects/project?" + q + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + ada + "\r\nConnection: close\r\n\r\n");
            assertThat(response).as(q).startsWith("HTTP/1.1 400");
            assertThat(response).as(q).containsIgnoringCase("content-type: application/problem+json")
                    .doesNotContain("Exception").doesNotContain("at org.");
        }
    }

    /** Sends bytes the JDK's HTTP client would refuse to send; returns the whole response. */
    private String raw(String request) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", f.server.port())) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void tooManyConditionsOrValuesAre400() {
        StringBuilder q = new StringBuilder("/objects/project?");
        for (int i = 0; i < 1_001; i++) {
            q.append("filter[name][in]=v").append(i).append('&');
        }
        RestFixture.Res r = f.send(HttpRequest.newBuilder(f.uri(q.toString())).header("Authorization", "Bearer " + ada)
                .GET());
        assertThat(r.status()).isIn(400, 414, 431);
        r.problem(r.status());
        nothingWritten();
    }

    @Test
    void absurdlyLongUrlsAreAProblemToo() {
        RestFixture.Res r = f.get(ada, "/objects/project?filter[name][eq]=" + "x".repeat(100_000));
        assertThat(r.status()).isIn(414, 431);
        r.problem(r.status());
    }
}
