package org.crmkit.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crmkit.CrmSession;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /changes}: live changes as Server-Sent Events, filtered by the caller's access, resumable, bounded. */
class ChangeStreamTest {
    private RestFixture f = new RestFixture();
    private final List<SseStream> streams = new ArrayList<>();

    @AfterEach
    void close() {
        streams.forEach(SseStream::close);
        f.close();
    }

    private void fixture(Consumer<CrmRest.Builder> configure) {
        f.close();
        f = new RestFixture(configure);
    }

    private SseStream open(String token, String query, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(f.uri("/changes" + query)).header("Authorization",
                "Bearer " + token);
        if (headers.length > 0) {
            b.headers(headers);
        }
        SseStream s = SseStream.open(f.http, b.GET().build());
        streams.add(s);
        return s;
    }

    private CrmSession admin() {
        return f.crm.as(new Principal("ada", List.of(Role.ADMIN), List.of(), false));
    }

    private JsonNode data(SseStream.Event e) {
        try {
            return f.json.readTree(e.data());
        } catch (IOException x) {
            throw new IllegalStateException(x);
        }
    }

    @Test
    void aChangeMadeThroughTheJavaApiArrivesAsAnEvent() {
        SseStream s = open(f.token("ada", "admin"), "");
        assertThat(s.response.statusCode()).isEqualTo(200);
        assertThat(s.response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("text/event-stream"));
        Record r = admin().records("contact").create(Map.of("last_name", "Hopper", "title", "Rear Admiral"));
        long sequence = f.crm.changeLog().lastSequence();

        SseStream.Event e = s.nextChange();
        assertThat(e.event()).isEqualTo("change");
        assertThat(e.id()).isEqualTo(Long.toString(sequence));
        JsonNode d = data(e);
        assertThat(d.get("sequence").asLong()).isEqualTo(sequence);
        assertThat(d.get("type").asText()).isEqualTo("contact");
        assertThat(d.get("record_id").asText()).isEqualTo(r.id().toString());
        assertThat(d.get("operation").asText()).isEqualTo("create");
        assertThat(d.get("version").asLong()).isEqualTo(1);
        assertThat(d.get("principal").asText()).isEqualTo("ada");
        assertThat(d.get("at").asText()).isNotBlank();
        assertThat(d.get("changes").findValuesAsText("field")).contains("last_name", "title");
        for (JsonNode c : d.get("changes")) {
            if (c.get("field").asText().equals("title")) {
                assertThat(c.get("old").isNull()).isTrue();
                assertThat(c.get("new").asText()).isEqualTo("Rear Admiral");
            }
        }
    }

    @Test
    void typesFiltersTheEvents() {
        String token = f.token("ada", "admin");
        SseStream projects = open(token, "?types=project,deal");
        admin().records("contact").create(Map.of("last_name", "Not a project"));
        Record p = admin().records("project").create(Map.of("name", "Apollo"));
        SseStream.Event e = projects.nextChange();
        assertThat(data(e).get("record_id").asText()).isEqualTo(p.id().toString());
        f.send(HttpRequest.newBuilder(f.uri("/changes?types=nope")).header("Authorization", "Bearer " + token)
                .GET()).problem(404);
        f.send(HttpRequest.newBuilder(f.uri("/changes?types=contact,")).header("Authorization", "Bearer " + token)
                .GET()).problem(400);
    }

    @Test
    void resumingDeliversExactlyTheMissedEventsInOrder() {
        String token = f.token("ada", "admin");
        Record r = admin().records("contact").create(Map.of("last_name", "A"));
        long before = f.crm.changeLog().lastSequence();
        List<Long> missed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            r = admin().records("contact").update(r, Map.of("title", "t" + i));
            missed.add(f.crm.changeLog().lastSequence());
        }
        SseStream byHeader = open(token, "", "Last-Event-ID", Long.toString(before));
        SseStream byQuery = open(token, "?after=" + before);
        admin().records("contact").create(Map.of("last_name", "sentinel"));
        long last = f.crm.changeLog().lastSequence();
        List<Long> expected = new ArrayList<>(missed);
        expected.add(last);
        for (SseStream s : List.of(byHeader, byQuery)) {
            List<Long> ids = new ArrayList<>();
            List<String> titles = new ArrayList<>();
            while (ids.isEmpty() || ids.get(ids.size() - 1) < last) {
                SseStream.Event e = s.nextChange();
                ids.add(Long.parseLong(e.id()));
                JsonNode title = data(e).get("changes").findValue("new");
                titles.add(title == null ? null : title.asText());
            }
            assertThat(ids).isEqualTo(expected);
            assertThat(titles.subList(0, 5)).containsExactly("t0", "t1", "t2", "t3", "t4");
        }
    }

    @Test
    void aHiddenFieldAndAnOutOfScopeRecordNeverShow() {
        SseStream support = open(f.token("sam", "support"), "");
        SseStream bob = open(f.token("bob", "sales_rep"), "");
        Record c = admin().records("contact").create(Map.of("last_name", "Lovelace", "email", "secret@example.com"));
        c = admin().records("contact").update(c, Map.of("email", "other-secret@example.com"));
        c = admin().records("contact").update(c, Map.of("title", "Countess"));
        long titleChange = f.crm.changeLog().lastSequence();
        List<SseStream.Event> seen = new ArrayList<>();
        while (seen.isEmpty() || Long.parseLong(seen.get(seen.size() - 1).id()) < titleChange) {
            seen.add(support.nextChange());
        }
        assertThat(seen).hasSize(2); // the create and the title change; the email-only update is left out
        assertThat(data(seen.get(1)).get("changes").findValuesAsText("field")).containsExactly("title");
        for (SseStream.Event e : seen) {
            assertThat(e.data()).doesNotContain("email").doesNotContain("secret@example.com")
                    .doesNotContain("other-secret");
        }

        CrmSession alice = f.crm.as(new Principal("alice", List.of(Role.SALES_REP), List.of(), false));
        Record hers = alice.records("contact").create(Map.of("last_name", "Alice's"));
        Record his = f.crm.as(new Principal("bob", List.of(Role.SALES_REP), List.of(), false)).records("contact")
                .create(Map.of("last_name", "Bob's"));
        SseStream.Event first = bob.nextChange();
        assertThat(data(first).get("record_id").asText()).isEqualTo(his.id().toString());
        assertThat(first.data()).doesNotContain(hers.id().toString()).doesNotContain("Alice's")
                .doesNotContain("Lovelace");
    }

    @Test
    void aQuietStreamSendsHeartbeats() {
        fixture(b -> b.heartbeat(Duration.ofMillis(100)));
        SseStream s = open(f.token("ada", "admin"), "");
        SseStream.Event e = s.next();
        assertThat(e.comment()).isEqualTo("keep-alive");
        assertThat(s.next().comment()).isEqualTo("keep-alive");
    }

    @Test
    void aClientThatStopsReadingIsDroppedWithAReasonAndFreesItsPlace() throws Exception {
        fixture(b -> b.maxStreams(1).slowClients(2, Duration.ofMillis(100), Duration.ofSeconds(60))
                .heartbeat(Duration.ofMillis(200)));
        f.crm.schema().addObjectType(ObjectType.custom("memo", "Memo", Field.text("name").required(true),
                Field.longText("body")));
        String token = f.token("ada", "admin");
        String body = "x".repeat(16_000);
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", f.server.port()));
            OutputStream out = socket.getOutputStream();
            out.write(("GET /changes HTTP/1.0\r\nHost: localhost\r\nAuthorization: Bearer " + token + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.").contains(" 200 ");
            // the client reads nothing more while changes are committed, until the server let go of its stream:
            // then its one place (maxStreams 1) is free for another client
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int status = 503;
            while (status == 503) {
                assertThat(System.nanoTime()).as("the slow client was never dropped").isLessThan(deadline);
                for (int i = 0; i < 20; i++) {
                    admin().records("memo").create(Map.of("name", "m" + i, "body", body));
                }
                SseStream other = open(token, "");
                status = other.response.statusCode();
                other.close();
            }
            assertThat(status).isEqualTo(200);
            // the client reads again: what the network held, then the reason, then the end
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            try {
                in.transferTo(rest);
            } catch (SocketException reset) {
                // read up to the reset
            }
            String text = rest.toString(StandardCharsets.UTF_8);
            Matcher error = Pattern.compile("event: error\ndata: (\\{.*})\n\n$").matcher(text);
            assertThat(error.find()).as("ends with the error event: ...%s", tail(text)).isTrue();
            JsonNode reason = f.json.readTree(error.group(1));
            assertThat(reason.get("code").asText()).isEqualTo("CLIENT_TOO_SLOW");
            Matcher ids = Pattern.compile("(?m)^id: (\\d+)$").matcher(text);
            long lastId = 0;
            while (ids.find()) {
                lastId = Long.parseLong(ids.group(1));
            }
            assertThat(reason.get("resume_after").asLong()).isEqualTo(lastId);
            assertThat(lastId).isLessThan(f.crm.changeLog().lastSequence());
        }
        // and the server serves others (once it found, at a heartbeat, that the probe above left)
        SseStream next = openWhenFree(token);
        Record r = admin().records("contact").create(Map.of("last_name", "Still here"));
        assertThat(data(next.nextChange()).get("record_id").asText()).isEqualTo(r.id().toString());
    }

    @Test
    void aClientThatKeepsReadingCatchesUpWithABurstLargerThanItsBuffer() {
        fixture(b -> b.slowClients(2, Duration.ofSeconds(60), Duration.ofSeconds(1)));
        SseStream s = open(f.token("ada", "admin"), "");
        Record r = admin().records("contact").create(Map.of("last_name", "Burst"));
        for (int i = 0; i < 100; i++) {
            r = admin().records("contact").update(r, Map.of("title", "t" + i));
        }
        long last = f.crm.changeLog().lastSequence();
        List<Long> ids = new ArrayList<>();
        while (ids.isEmpty() || ids.get(ids.size() - 1) < last) {
            SseStream.Event e = s.nextChange();
            assertThat(e.event()).as(e.data()).isEqualTo("change");
            ids.add(Long.parseLong(e.id()));
        }
        assertThat(ids).hasSize(101).doesNotHaveDuplicates().isSorted();
    }

    private SseStream openWhenFree(String token) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            SseStream s = open(token, "");
            if (s.response.statusCode() == 200) {
                return s;
            }
            assertThat(s.response.statusCode()).isEqualTo(503);
            s.close();
            assertThat(System.nanoTime()).as("no place became free").isLessThan(deadline);
            try {
                Thread.sleep(200); // pacing only, under the rate limit
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static String tail(String text) {
        return text.substring(Math.max(0, text.length() - 300));
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        return head.toString();
    }

    @Test
    void closingTheServerEndsTheStreams() {
        SseStream s = open(f.token("ada", "admin"), "");
        assertThat(s.response.statusCode()).isEqualTo(200);
        f.server.close();
        SseStream.Event e = s.next();
        while (e != SseStream.EOF) {
            assertThat(e.comment()).isNotNull();
            e = s.next();
        }
    }

    @Test
    void refusedStreamsAreProblems() {
        RestFixture.Res noToken = f.send(HttpRequest.newBuilder(f.uri("/changes")).GET()).problem(401);
        assertThat(noToken.raw().headers().firstValue("Content-Type")).hasValue("application/problem+json");
        String token = f.token("ada", "admin");
        for (String bad : List.of("abc", "-1", "12x", "")) {
            RestFixture.Res r = f.send(HttpRequest.newBuilder(f.uri("/changes")).header("Authorization",
                    "Bearer " + token).header("Last-Event-ID", bad).GET()).problem(400);
            assertThat(r.raw().body()).as(bad).contains("Last-Event-ID");
        }
        f.send(HttpRequest.newBuilder(f.uri("/changes?after=x")).header("Authorization", "Bearer " + token).GET())
                .problem(400);

        fixture(b -> b.maxStreams(1));
        String ada = f.token("ada", "admin");
        SseStream first = open(ada, "");
        assertThat(first.response.statusCode()).isEqualTo(200);
        RestFixture.Res second = f.send(HttpRequest.newBuilder(f.uri("/changes")).header("Authorization",
                "Bearer " + ada).GET()).problem(503);
        assertThat(second.raw().headers().firstValue("Retry-After")).isPresent();
        assertThat(second.body().get("code").asText()).isEqualTo("TOO_MANY_STREAMS");
    }

    /** An authenticator whose one token can be revoked, or made to map to another principal. */
    private static final class Revocable implements Authenticator {
        volatile boolean accepted = true;
        volatile Principal principal = new Principal("ada", List.of(Role.ADMIN), List.of(), false);

        @Override
        public CrmSession authenticate(org.crmkit.Crm crm, @org.jspecify.annotations.Nullable String authorization) {
            if (!accepted || !"Bearer one".equals(authorization)) {
                throw new AuthenticationException("not accepted");
            }
            return crm.as(principal);
        }
    }

    /** The next event that is not a comment (a change or an error), or the end of the stream. */
    private static SseStream.Event nextEvent(SseStream s) {
        while (true) {
            SseStream.Event e = s.next();
            if (e == SseStream.EOF || e.comment() == null) {
                return e;
            }
        }
    }

    @Test
    void aStreamEndsOnceItsTokenIsNoLongerAccepted() {
        Revocable auth = new Revocable();
        fixture(b -> b.authenticator(auth).heartbeat(Duration.ofMillis(100)));
        SseStream s = open("one", "");
        Record r = admin().records("contact").create(Map.of("last_name", "Before"));
        assertThat(data(s.nextChange()).get("record_id").asText()).isEqualTo(r.id().toString());
        long seen = f.crm.changeLog().lastSequence();

        auth.accepted = false; // the token expired or was revoked: the next heartbeat's check ends the stream
        SseStream.Event last = nextEvent(s);
        assertThat(last.event()).isEqualTo("error");
        JsonNode d = data(last);
        assertThat(d.get("code").asText()).isEqualTo("INVALID_TOKEN");
        assertThat(d.get("resume_after").asLong()).isEqualTo(seen);
        assertThat(s.next()).as("the stream ends").isSameAs(SseStream.EOF);
    }

    @Test
    void aStreamEndsWhenItsTokenNowMapsToAnotherPrincipal() {
        Revocable auth = new Revocable();
        fixture(b -> b.authenticator(auth).heartbeat(Duration.ofMillis(100)));
        SseStream s = open("one", "");
        auth.principal = new Principal("ada", List.of(Role.SALES_REP), List.of(), false); // roles changed
        SseStream.Event last = nextEvent(s);
        assertThat(last.event()).isEqualTo("error");
        assertThat(data(last).get("code").asText()).isEqualTo("INVALID_TOKEN");
    }
}
