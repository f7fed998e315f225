package org.crmkit.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.crmkit.Crm;
import org.crmkit.security.Principal;
import org.crmkit.storage.memory.InMemoryStorage;
import org.crmkit.testkit.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhooks against a local HTTP server: signature, idempotency key, retries on the backoff schedule, dead letters. */
class WebhookTest {
    private static final Instant T0 = Instant.parse("2026-04-01T08:00:00Z");
    private final SettableClock clock = SettableClock.at(T0);
    private WebhookServer server;
    private Crm crm;
    private Workflow workflow;

    @BeforeEach
    void start() throws Exception {
        server = new WebhookServer();
        workflow = Workflow.builder().workers(0)
                .retry(new RetryPolicy(3, Duration.ofSeconds(10), 2.0, Duration.ofMinutes(5), 0))
                .webhooks(WebhookSettings.defaults().secret(ClosedWonExampleTest.SECRET).allowHosts("127.0.0.1")
                        .timeout(Duration.ofMillis(500))
                        .resolver(host -> host.equals("hooks.example.test")
                                ? List.of(InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 216, 34}),
                                        InetAddress.getByAddress(host, new byte[] {10, 0, 0, 7}))
                                : WebhookSettings.Resolver.SYSTEM.resolve(host)))
                .build();
        crm = Crm.builder().storage(InMemoryStorage.create()).clock(clock).workflow(workflow).build();
    }

    @AfterEach
    void stop() {
        crm.close();
        server.close();
    }

    private void ruleCalling(String url) {
        workflow.rules().save(Rule.builder("notify_finance").on("company", Trigger.created())
                .then(Action.webhook(url)).build());
    }

    private JobView onlyJob() {
        return workflow.jobs().find(workflow.jobs().list(JobView.Status.READY, 10).isEmpty()
                ? anyJob().id() : workflow.jobs().list(JobView.Status.READY, 10).get(0).id()).orElseThrow();
    }

    private JobView anyJob() {
        for (JobView.Status s : JobView.Status.values()) {
            List<JobView> l = workflow.jobs().list(s, 10);
            if (!l.isEmpty()) {
                return l.get(0);
            }
        }
        throw new AssertionError("no job");
    }

    private void createCompany() {
        crm.as(Principal.SYSTEM).records("company").create(Map.of("name", "Acme"));
    }

    @Test
    void failedCallsAreRetriedOnTheBackoffScheduleWithTheSameKeyAndSignature() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        server.answer(() -> calls.incrementAndGet() < 3 ? 500 : 200);
        ruleCalling(server.url("/finance"));
        createCompany();

        assertThat(workflow.jobs().runDue()).isEqualTo(1);
        JobView afterFirst = onlyJob();
        assertThat(afterFirst.status()).isEqualTo(JobView.Status.READY);
        assertThat(afterFirst.attempts()).isEqualTo(1);
        assertThat(afterFirst.runAt()).isEqualTo(T0.plusSeconds(10));
        assertThat(afterFirst.lastError()).contains("HTTP 500");

        clock.advance(Duration.ofSeconds(9));
        assertThat(workflow.jobs().runDue()).as("not due before the backoff").isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(workflow.jobs().runDue()).isEqualTo(1);
        assertThat(onlyJob().runAt()).isEqualTo(T0.plusSeconds(10 + 20));
        clock.advance(Duration.ofSeconds(20));
        assertThat(workflow.jobs().runDue()).isEqualTo(1);
        assertThat(anyJob().status()).isEqualTo(JobView.Status.DONE);

        assertThat(server.received).hasSize(3);
        String key = server.received.get(0).header("Idempotency-Key");
        assertThat(key).isNotBlank();
        String id = server.received.get(0).header("webhook-id");
        assertThat(id).startsWith("msg_").doesNotContain(".");
        for (WebhookServer.Received r : server.received) {
            assertThat(r.header("Idempotency-Key")).isEqualTo(key);
            assertThat(r.header("webhook-id")).as("the same on every attempt").isEqualTo(id);
            assertThat(r.header("webhook-signature")).isEqualTo(ClosedWonExampleTest.standardSignature(
                    ClosedWonExampleTest.SECRET, id, r.header("webhook-timestamp"), r.body()));
            assertThat(r.header("Content-Type")).startsWith("application/json");
            assertThat(r.body()).contains("\"objectType\":\"company\"").contains("\"name\":\"Acme\"");
        }
        assertThat(server.received).extracting(r -> r.header("webhook-timestamp")).as("attempts at T0, +10 s, +30 s")
                .containsExactly(Long.toString(T0.getEpochSecond()), Long.toString(T0.getEpochSecond() + 10),
                        Long.toString(T0.getEpochSecond() + 30));
        assertThat(server.received.get(0).header("webhook-signature")).isNotEqualTo(
                ClosedWonExampleTest.standardSignature(WebhookSettings.newSecret(), id,
                        server.received.get(0).header("webhook-timestamp"), server.received.get(0).body()));
    }

    @Test
    void afterTheLastAttemptTheJobIsADeadLetterThatAnAdminCanRetry() {
        server.answer(() -> 503);
        ruleCalling(server.url("/down"));
        createCompany();
        for (int i = 0; i < 3; i++) {
            workflow.jobs().runDue();
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(workflow.jobs().deadLetters(10)).singleElement().satisfies(j -> {
            assertThat(j.attempts()).isEqualTo(3);
            assertThat(j.lastError()).contains("HTTP 503");
            assertThat(j.rule()).isEqualTo("notify_finance");
        });
        assertThat(server.received).hasSize(3);
        assertThat(workflow.jobs().runDue()).isZero();

        server.answer(() -> 204);
        java.util.UUID dead = workflow.jobs().deadLetters(10).get(0).id();
        assertThat(workflow.jobs().retry(dead)).isTrue();
        assertThat(workflow.jobs().runDue()).isEqualTo(1);
        assertThat(workflow.jobs().find(dead).orElseThrow().status()).isEqualTo(JobView.Status.DONE);
        assertThat(workflow.jobs().deadLetters(10)).isEmpty();
    }

    @Test
    void clientErrorsAndRedirectsDieAtOnceAndRedirectsAreNotFollowed() throws Exception {
        try (WebhookServer elsewhere = new WebhookServer()) {
            server.answer(() -> 302);
            server.redirectTo(elsewhere.url("/stolen"));
            ruleCalling(server.url("/moved"));
            createCompany();
            workflow.jobs().runDue();
            assertThat(workflow.jobs().deadLetters(10)).singleElement().satisfies(j -> {
                assertThat(j.attempts()).isEqualTo(1);
                assertThat(j.lastError()).contains("HTTP 302").contains("redirects are not followed");
            });
            assertThat(elsewhere.received).isEmpty();
        }
        server.redirectTo(null);
        server.answer(() -> 404);
        createCompany();
        workflow.jobs().runDue();
        assertThat(workflow.jobs().deadLetters(10)).hasSize(2).anySatisfy(j -> assertThat(j.lastError())
                .contains("HTTP 404"));
    }

    @Test
    void aSlowServerTimesOutAndIsRetried() {
        server.delay(2_000);
        ruleCalling(server.url("/slow"));
        createCompany();
        workflow.jobs().runDue();
        JobView j = onlyJob();
        assertThat(j.status()).isEqualTo(JobView.Status.READY);
        assertThat(j.lastError()).contains("timed out");
    }

    @Test
    void aNameWhoseDnsAnswersPointInsideIsRefusedWhenCalled() {
        ruleCalling("https://hooks.example.test/in");
        createCompany();
        workflow.jobs().runDue();
        assertThat(workflow.jobs().deadLetters(10)).singleElement().satisfies(j -> {
            assertThat(j.attempts()).isEqualTo(1);
            assertThat(j.lastError()).contains("resolves to 10.0.0.7");
        });
    }

    @Test
    void aRuleCallingAPrivateAddressIsRefusedWhenSaved() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ruleCalling("http://169.254.169.254/latest/meta-data"))
                .isInstanceOfSatisfying(org.crmkit.error.ValidationException.class, e -> {
                    assertThat(e.hasErrorOn("actions[0].url")).isTrue();
                    assertThat(e.getMessage()).contains("inside the network");
                });
        assertThat(workflow.rules().list()).isEmpty();
    }

}
