package org.crmkit.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.security.Principal;
import org.crmkit.storage.memory.InMemoryStorage;
import org.crmkit.testkit.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Worked example 2, lead scoring: +10 per email reply, +20 when the title comes to contain "VP", -5 for every week
 * without activity (a Monday-morning schedule), as four rules on a settable clock.
 */
class LeadScoringExampleTest {
    private final SettableClock clock = SettableClock.at(Instant.parse("2026-01-05T08:00:00Z")); // a Monday
    private Workflow workflow;
    private Crm crm;
    private CrmSession s;

    @BeforeEach
    void start() {
        workflow = Workflow.builder().workers(0).build();
        crm = Crm.builder().storage(InMemoryStorage.create()).clock(clock).workflow(workflow).build();
        crm.schema().addField("lead", Field.datetime("last_activity_at"));
        s = crm.as(Principal.SYSTEM);
        Rules rules = workflow.rules();
        rules.save(Rule.builder("lead_activity_starts").on("lead", Trigger.created())
                .then(Action.setFields(Map.of("last_activity_at", Value.cel("now")))).build());
        rules.save(Rule.builder("email_reply_scores").order(10).on("activity", Trigger.created())
                .when("kind == 'email' && lead != null && subject.startsWith('Re:')")
                .then(Action.adjustScore("score", 10).via("lead"))
                .then(Action.setFields(Map.of("last_activity_at", Value.cel("now"))).via("lead")).build());
        rules.save(Rule.builder("vp_title_scores").order(20).on("lead", Trigger.createdOrUpdated())
                .when("title != null && title.contains('VP') && (is_new || prior.title == null"
                        + " || !prior.title.contains('VP'))")
                .then(Action.adjustScore("score", 20)).build());
        rules.save(Rule.builder("inactivity_decay").order(30).on("lead", Trigger.schedule("0 9 * * MON", "UTC"))
                .when("last_activity_at != null && now - last_activity_at >= duration('168h')")
                .then(Action.adjustScore("score", -5)).build());
    }

    @AfterEach
    void stop() {
        crm.close();
    }

    private long score(Record lead) {
        return (Long) s.records("lead").get(lead.id()).values().get("score");
    }

    private void email(Record lead, String subject) {
        s.records("activity").create(Map.of("kind", "email", "subject", subject, "lead", lead.id()));
    }

    private void at(String instant) {
        clock.set(Instant.parse(instant));
        workflow.jobs().runDue();
    }

    @Test
    void scoresFollowRepliesTitlesAndInactivity() {
        Record ada = s.records("lead").create(Map.of("last_name", "Lovelace", "title", "VP Sales"));
        Record bob = s.records("lead").create(Map.of("last_name", "Babbage", "title", "Engineer"));
        workflow.jobs().runDue();
        assertThat(score(ada)).isEqualTo(20);
        assertThat(score(bob)).isZero();

        email(ada, "Re: pricing");
        email(ada, "Pricing sheet");
        email(ada, "Re: Re: pricing");
        s.records("activity").create(Map.of("kind", "call", "subject", "Re: call", "lead", ada.id()));
        workflow.jobs().runDue();
        assertThat(score(ada)).isEqualTo(40);

        bob = s.records("lead").get(bob.id());
        bob = s.records("lead").update(bob, Map.of("title", "VP Engineering"));
        workflow.jobs().runDue();
        assertThat(score(bob)).isEqualTo(20);
        bob = s.records("lead").get(bob.id());
        s.records("lead").update(bob, Map.of("title", "Senior VP Engineering"));
        workflow.jobs().runDue();
        assertThat(score(bob)).as("still VP: no second bonus").isEqualTo(20);

        at("2026-01-05T09:00:00Z"); // first Monday fire: activity an hour ago
        assertThat(score(ada)).isEqualTo(40);
        assertThat(score(bob)).isEqualTo(20);

        at("2026-01-12T09:00:00Z"); // a week without activity for both
        assertThat(score(ada)).isEqualTo(35);
        assertThat(score(bob)).isEqualTo(15);

        clock.set(Instant.parse("2026-01-14T15:00:00Z"));
        email(ada, "Re: contract");
        workflow.jobs().runDue();
        assertThat(score(ada)).isEqualTo(45);

        at("2026-01-19T09:00:00Z"); // ada was active five days ago
        assertThat(score(ada)).isEqualTo(45);
        assertThat(score(bob)).isEqualTo(10);

        clock.advance(Duration.ofDays(1));
        assertThat(workflow.jobs().runDue()).as("nothing until next Monday").isZero();
        assertThat(workflow.jobs().list(JobView.Status.READY, 10)).singleElement().satisfies(j -> {
            assertThat(j.rule()).isEqualTo("inactivity_decay");
            assertThat(j.runAt()).isEqualTo(Instant.parse("2026-01-26T09:00:00Z"));
        });
        assertThat(workflow.jobs().deadLetters(10)).isEmpty();
    }
}
