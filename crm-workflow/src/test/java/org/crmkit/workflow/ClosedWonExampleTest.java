package org.crmkit.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.query.Filters;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.memory.InMemoryStorage;
import org.crmkit.testkit.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Worked example 1: "When a deal moves to Closed Won, set the close date, create onboarding tasks for the owner and
 * tell finance" (a webhook to a local test server), as data, run by the manual job runner on a settable clock.
 */
class ClosedWonExampleTest {
    /** A Standard Webhooks secret: whsec_ and the base64 of 32 bytes. */
    static final String SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString(
            "finance-shared-secret-32-bytes!!".getBytes(StandardCharsets.UTF_8));
    private final SettableClock clock = SettableClock.at(Instant.parse("2026-03-02T10:15:00Z"));
    private final List<Notification> notified = new CopyOnWriteArrayList<>();
    private WebhookServer finance;
    private Workflow workflow;
    private Crm crm;

    @BeforeEach
    void start() throws Exception {
        finance = new WebhookServer();
        workflow = Workflow.builder().workers(0).notifier(notified::add)
                .webhooks(WebhookSettings.defaults().secret(SECRET).allowHosts("127.0.0.1")).build();
        crm = Crm.builder().storage(InMemoryStorage.create()).clock(clock).workflow(workflow).build();
    }

    @AfterEach
    void stop() {
        crm.close();
        finance.close();
    }

    static Rule closedWon(String financeUrl) {
        return Rule.builder("deal_closed_won").description("Closed Won: close date, onboarding, finance")
                .on("deal", Trigger.stageChanged().to("closed_won"))
                .then(Action.setFields(Map.of("close_date", Value.cel("now"))))
                .then(Action.createRecord("task", Map.of("subject", Value.cel("'Kick-off call: ' + name"),
                        "owner", Value.cel("owner"), "deal", Value.cel("id"),
                        "due_date", Value.cel("now + duration('72h')"), "priority", Value.of("high"))))
                .then(Action.createRecord("task", Map.of("subject", Value.cel("'Send welcome pack: ' + name"),
                        "owner", Value.cel("owner"), "deal", Value.cel("id"),
                        "due_date", Value.cel("now + duration('168h')"))))
                .then(Action.notify("email", Value.cel("owner"), "{{name}} is won: onboarding tasks are yours"))
                .then(Action.webhook(financeUrl))
                .runAs(RunAs.user("ops-bot", "admin"))
                .build();
    }

    @Test
    void closedWonSetsTheCloseDateCreatesOnboardingTasksAndTellsFinance() throws Exception {
        Rule saved = workflow.rules().save(closedWon(finance.url("/hooks/won")));
        assertThat(saved.version()).isEqualTo(1);
        CrmSession rep = crm.as(Principal.user("u-ada", Role.SALES_REP));
        Record deal = rep.records("deal").create(Map.of("name", "Skates", "amount", Money.of("12500", "GBP")));
        deal = rep.records("deal").update(deal, Map.of("stage", "negotiation"));
        assertThat(workflow.jobs().runDue()).isZero();

        deal = rep.records("deal").update(deal, Map.of("stage", "closed_won"));
        assertThat(workflow.jobs().runDue()).isGreaterThan(0);

        Record won = rep.records("deal").get(deal.id());
        assertThat(won.<LocalDate>get("close_date")).isEqualTo(LocalDate.of(2026, 3, 2));
        List<Record> tasks = rep.records("task").query(Filters.where("deal").eq(deal.id())).items();
        assertThat(tasks).extracting(t -> t.<String>get("subject"))
                .containsExactlyInAnyOrder("Kick-off call: Skates", "Send welcome pack: Skates");
        assertThat(tasks).allSatisfy(t -> assertThat(t.owner()).isEqualTo("u-ada"));
        assertThat(tasks).extracting(t -> t.<LocalDate>get("due_date"))
                .containsExactlyInAnyOrder(LocalDate.of(2026, 3, 5), LocalDate.of(2026, 3, 9));
        assertThat(notified).singleElement().satisfies(n -> {
            assertThat(n.recipient()).isEqualTo("u-ada");
            assertThat(n.message()).isEqualTo("Skates is won: onboarding tasks are yours");
        });

        assertThat(finance.received).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("/hooks/won");
            assertThat(r.header("webhook-signature")).isEqualTo(standardSignature(SECRET, r.header("webhook-id"),
                    r.header("webhook-timestamp"), r.body()));
            WebhookVerifier.of(SECRET).clock(clock).verify(r.headers(), r.body().getBytes(StandardCharsets.UTF_8));
            assertThat(r.header("Idempotency-Key")).isNotBlank();
            JsonNode body = JsonMapper.builder().build().readTree(r.body());
            assertThat(body.get("rule").asText()).isEqualTo("deal_closed_won");
            assertThat(body.get("recordId").asText()).isEqualTo(won.id().toString());
            assertThat(body.get("record").get("stage").asText()).isEqualTo("closed_won");
            assertThat(body.get("record").get("close_date").asText()).isEqualTo("2026-03-02");
            assertThat(body.get("record").get("amount").get("currency").asText()).isEqualTo("GBP");
        });
        assertThat(workflow.jobs().counts()).containsEntry(JobView.Status.DEAD, 0L)
                .containsEntry(JobView.Status.READY, 0L).containsEntry(JobView.Status.RUNNING, 0L);

        // moving on and back does not fire again for the same change; a new move to closed_won would
        rep.records("deal").update(won, Map.of("description", "signed"));
        assertThat(workflow.jobs().runDue()).isZero();
        assertThat(finance.received).hasSize(1);
    }

    /** The Standard Webhooks signature, computed here from the spec rather than with CRMKit's code. */
    static String standardSignature(String secret, String id, String timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(java.util.Base64.getDecoder().decode(secret.substring("whsec_".length())),
                "HmacSHA256"));
        byte[] signed = (id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8);
        return "v1," + java.util.Base64.getEncoder().encodeToString(mac.doFinal(signed));
    }
}
