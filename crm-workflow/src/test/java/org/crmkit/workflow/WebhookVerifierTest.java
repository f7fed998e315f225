package org.crmkit.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.error.ConfigurationException;
import org.crmkit.security.Principal;
import org.crmkit.storage.memory.InMemoryStorage;
import org.crmkit.testkit.SettableClock;
import org.junit.jupiter.api.Test;

/**
 * Webhook deliveries sign id, timestamp and body (Standard Webhooks), so a receiver using {@link WebhookVerifier}
 * accepts a real delivery and refuses a tampered body, a replay with a fresh timestamp and a stale timestamp.
 */
class WebhookVerifierTest {
    private static final Instant T0 = Instant.parse("2026-04-01T08:00:00Z");
    private static final String SECRET = ClosedWonExampleTest.SECRET;

    /** One delivery as the receiver got it, sent by a workflow rule to a local server. */
    private static WebhookServer.Received deliver(SettableClock clock) throws Exception {
        try (WebhookServer server = new WebhookServer()) {
            Workflow workflow = Workflow.builder().workers(0)
                    .webhooks(WebhookSettings.defaults().secret(SECRET).allowHosts("127.0.0.1")).build();
            try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).clock(clock).workflow(workflow).build()) {
                workflow.rules().save(Rule.builder("hook").on("company", Trigger.created())
                        .then(Action.webhook(server.url("/in"))).build());
                crm.as(Principal.SYSTEM).records("company").create(Map.of("name", "Acme"));
                workflow.jobs().runDue();
            }
            assertThat(server.received).hasSize(1);
            return server.received.get(0);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aDeliveryVerifiesAndTamperingReplayingOrStaleTimestampsDoNot() throws Exception {
        SettableClock clock = SettableClock.at(T0);
        WebhookServer.Received r = deliver(clock);
        WebhookVerifier verifier = WebhookVerifier.of(SECRET).clock(clock);
        String id = r.header("webhook-id");
        String timestamp = r.header("webhook-timestamp");
        String signature = r.header("webhook-signature");
        assertThat(timestamp).isEqualTo(Long.toString(T0.getEpochSecond()));
        assertThat(signature).startsWith("v1,");

        verifier.verify(r.headers(), bytes(r.body()));
        assertThat(verifier.isValid(r.headers(), bytes(r.body()))).isTrue();

        // the body changed on the way
        String tampered = r.body().replace("Acme", "Evil");
        assertThat(tampered).isNotEqualTo(r.body());
        assertThatThrownBy(() -> verifier.verify(id, timestamp, signature, bytes(tampered)))
                .isInstanceOf(WebhookVerificationException.class).hasMessageContaining("no signature matches");

        // a captured delivery replayed an hour later with a fresh timestamp: the signature covers the old one
        clock.advance(Duration.ofHours(1));
        String fresh = Long.toString(clock.instant().getEpochSecond());
        assertThatThrownBy(() -> verifier.verify(id, fresh, signature, bytes(r.body())))
                .isInstanceOf(WebhookVerificationException.class).hasMessageContaining("no signature matches");
        // ... and as it was: its timestamp is now outside the tolerance
        assertThatThrownBy(() -> verifier.verify(id, timestamp, signature, bytes(r.body())))
                .isInstanceOf(WebhookVerificationException.class).hasMessageContaining("from now");
        // the id is signed too
        clock.set(T0);
        assertThatThrownBy(() -> verifier.verify("msg_other", timestamp, signature, bytes(r.body())))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void theToleranceIsAWindowOnBothSides() {
        SettableClock clock = SettableClock.at(T0);
        byte[] body = bytes("{\"a\":1}");
        WebhookVerifier verifier = WebhookVerifier.of(SECRET).clock(clock).tolerance(Duration.ofSeconds(30));
        long t = T0.getEpochSecond();
        for (long at : List.of(t - 30, t, t + 30)) {
            verifier.verify("msg_1", Long.toString(at), WebhookVerifier.sign(SECRET, "msg_1", at, body), body);
        }
        for (long at : List.of(t - 31, t + 31)) {
            assertThatThrownBy(() -> verifier.verify("msg_1", Long.toString(at),
                    WebhookVerifier.sign(SECRET, "msg_1", at, body), body))
                    .isInstanceOf(WebhookVerificationException.class).hasMessageContaining("from now");
        }
        assertThatThrownBy(() -> verifier.verify("msg_1", "soon", "v1,AAAA", body))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> verifier.verify(Map.of("webhook-id", List.of("msg_1")), body))
                .isInstanceOf(WebhookVerificationException.class).hasMessageContaining("missing header");
    }

    @Test
    void signaturesAreAListAndSecretsCanBeRotated() {
        SettableClock clock = SettableClock.at(T0);
        byte[] body = bytes("{}");
        long t = T0.getEpochSecond();
        String old = WebhookSettings.newSecret();
        String next = WebhookSettings.newSecret();
        assertThat(next).startsWith("whsec_").isNotEqualTo(old);
        String both = WebhookVerifier.sign(next, "msg_1", t, body) + " " + WebhookVerifier.sign(old, "msg_1", t, body);
        WebhookVerifier.of(old).clock(clock).verify("msg_1", Long.toString(t), both, body);
        WebhookVerifier.of(next, old).clock(clock).verify("msg_1", Long.toString(t),
                WebhookVerifier.sign(old, "msg_1", t, body), body);
        assertThatThrownBy(() -> WebhookVerifier.of(WebhookSettings.newSecret()).clock(clock)
                .verify("msg_1", Long.toString(t), both + " v1a,xyz v2,abc", body))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void secretsMustBeStandardWebhooksSecrets() {
        assertThatThrownBy(() -> WebhookVerifier.of("s3cret")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("whsec_");
        assertThatThrownBy(() -> WebhookVerifier.of("whsec_c2hvcnQ=")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("24 to 64 bytes");
        assertThatThrownBy(() -> Workflow.builder().webhooks(WebhookSettings.defaults().secret("s3cret")).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("webhook secret");
        Workflow noSecret = Workflow.builder().workers(0).webhooks(WebhookSettings.defaults().allowHosts("127.0.0.1"))
                .build();
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).workflow(noSecret).build()) {
            assertThatThrownBy(() -> noSecret.rules().save(Rule.builder("hook").on("company", Trigger.created())
                    .then(Action.webhook("http://127.0.0.1:9/in")).build()))
                    .isInstanceOfSatisfying(org.crmkit.error.ValidationException.class, e -> assertThat(e.getMessage())
                            .contains("no webhook secret"));
        }
    }
}
