package org.crmkit.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.record.Record;
import org.crmkit.schema.DataPolicy;
import org.crmkit.schema.Field;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.memory.InMemoryStorage;
import org.crmkit.testkit.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rules as data: checks when saved, versions and history, JSON, enable/disable, order, run-as permissions, loops. */
class RulesTest {
    private final SettableClock clock = SettableClock.at(Instant.parse("2026-05-04T12:00:00Z"));
    private final List<String> ran = new CopyOnWriteArrayList<>();
    private final List<Notification> notified = new CopyOnWriteArrayList<>();
    private Workflow workflow;
    private Crm crm;
    private CrmSession s;

    @BeforeEach
    void start() {
        workflow = Workflow.builder().workers(0).maxDepth(3).notifier(notified::add)
                .webhooks(WebhookSettings.defaults().secret(ClosedWonExampleTest.SECRET))
                .action("log", c -> ran.add(c.rule() + ":" + c.parameters().getOrDefault("tag", "")))
                .teams(team -> team.equals("emea") ? List.of("u-1", "u-2", "u-3") : List.of()).build();
        crm = Crm.builder().storage(InMemoryStorage.create()).clock(clock).workflow(workflow).build();
        s = crm.as(Principal.SYSTEM);
    }

    @AfterEach
    void stop() {
        crm.close();
    }

    private static Rule.Builder log(String name, String tag) {
        return Rule.builder(name).then(Action.custom("log", Map.of("tag", tag)));
    }

    @Test
    void badRulesAreRefusedWithEveryProblemNamedAndNothingSaved() {
        Rule bad = Rule.builder("Bad Name").on("deal", Trigger.fieldChanged("stagee"))
                .when("amount > 'ten'")
                .then(Action.setFields(Map.of("close_dat", Value.of("2026-01-01"), "amount", Value.cel("name"))))
                .then(Action.custom("nope", Map.of()))
                .then(Action.createRecord("task", Map.of("priority", Value.of("high"))))
                .then(Action.waitFor(Duration.ZERO))
                .runAs(RunAs.user("u-9", "wizard")).build();
        assertThatThrownBy(() -> workflow.rules().save(bad)).isInstanceOfSatisfying(ValidationException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
            assertThat(e.errors()).extracting(org.crmkit.error.FieldError::field).contains("name", "trigger.field",
                    "condition", "actions[0].values.close_dat", "actions[0].values.amount", "actions[1].name",
                    "actions[2].values.subject", "actions[3].duration", "runAs.roles");
        });
        assertThatThrownBy(() -> workflow.rules().save(Rule.builder("bad_cron")
                .on("lead", Trigger.schedule("61 * * * *", "UTC")).then(Action.adjustScore("score", 1)).build()))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.hasErrorOn("trigger.cron")).isTrue());
        assertThatThrownBy(() -> workflow.rules().save(Rule.builder("bad_zone")
                .on("lead", Trigger.schedule("0 9 * * *", "Mars/Olympus")).then(Action.adjustScore("score", 1))
                .build()))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.hasErrorOn("trigger.zone")).isTrue());
        assertThatThrownBy(() -> workflow.rules().save(Rule.builder("typo").on("deal", Trigger.created())
                .when("ammount > 10.0").then(Action.custom("log", Map.of())).build()))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.hasErrorOn("condition")).isTrue();
                    assertThat(e.getMessage()).contains("ammount");
                });
        assertThatThrownBy(() -> workflow.rules().save(Rule.builder("score_text").on("deal", Trigger.created())
                .then(Action.adjustScore("name", 1)).build()))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.hasErrorOn("actions[0].field")).isTrue());
        assertThat(workflow.rules().list()).isEmpty();
    }

    @Test
    void rulesAreVersionedWithHistoryAndOptimisticSaves() {
        Rule v1 = workflow.rules(Principal.user("admin-1", Role.ADMIN))
                .save(log("tag_deals", "a").on("deal", Trigger.created()).build());
        assertThat(v1.version()).isEqualTo(1);
        Rule v2 = workflow.rules(Principal.user("admin-2", Role.ADMIN))
                .save(v1.toBuilder().description("now described").build().withVersion(1));
        assertThat(v2.version()).isEqualTo(2);
        assertThatThrownBy(() -> workflow.rules().save(v1)).isInstanceOfSatisfying(CrmException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        Rule v3 = workflow.rules().setEnabled("tag_deals", false);
        assertThat(v3.version()).isEqualTo(3);
        assertThat(v3.enabled()).isFalse();
        workflow.rules().delete("tag_deals");
        assertThat(workflow.rules().find("tag_deals")).isEmpty();
        assertThat(workflow.rules().history("tag_deals")).extracting(RuleVersion::version, RuleVersion::savedBy,
                RuleVersion::deleted).containsExactly(org.assertj.core.groups.Tuple.tuple(1L, "admin-1", false),
                        org.assertj.core.groups.Tuple.tuple(2L, "admin-2", false),
                        org.assertj.core.groups.Tuple.tuple(3L, "system", false),
                        org.assertj.core.groups.Tuple.tuple(4L, "system", true));
        assertThat(workflow.rules().history("tag_deals").get(1).rule().description()).isEqualTo("now described");
    }

    @Test
    void jsonRoundTripsEveryTriggerAndActionAndReportsBadJsonByPath() {
        Rule full = Rule.builder("everything").description("all parts").order(7)
                .on("deal", Trigger.fieldChanged("stage").from("proposal").to("closed_won"))
                .when("amount != null && amount > 10.0")
                .then(Action
                        .setFields(Map.of("description", Value.cel("'won: ' + name"), "probability", Value.of(100L))))
                .then(Action.createRecord("task", Map.of("subject", Value.of("Call"), "deal", Value.cel("id"))))
                .then(Action.notify("slack", Value.of("#sales"), "{{name}} won"))
                .then(Action.webhook("https://finance.example.com/won"))
                .then(Action.assignRoundRobin("u-1", "u-2"))
                .then(Action.assignInTeam(Action.AssignStrategy.LEAST_LOADED, "emea"))
                .then(new Action.AdjustScore("probability", new java.math.BigDecimal("-2.5"), null))
                .then(Action.waitFor(Duration.ofHours(2)))
                .then(Action.custom("log", Map.of("tag", "x")))
                .runAs(RunAs.user("u-ops", "admin").inTeams("emea")).build();
        String json = workflow.rules().toJson(full);
        assertThat(workflow.rules().fromJson(json)).isEqualTo(full);
        for (Trigger t : List.of(Trigger.created(), Trigger.updated(), Trigger.createdOrUpdated(), Trigger.deleted(),
                Trigger.stageChanged().to("x"), Trigger.schedule("0 9 * * MON", "Europe/London"),
                Trigger.relativeTo("close_date", Duration.ofDays(-3)), Trigger.manual())) {
            Rule r = full.toBuilder().on("deal", t).build();
            assertThat(workflow.rules().fromJson(workflow.rules().toJson(r))).isEqualTo(r);
        }
        Rule saved = workflow.rules().saveJson(json);
        assertThat(saved.version()).isEqualTo(1);

        assertThatThrownBy(() -> workflow.rules().fromJson("{\"name\":\"x\",\"trigger\":{\"type\":\"sometimes\"},"
                + "\"actions\":[{\"type\":\"wait\",\"duration\":\"soon\"},{\"type\":\"teleport\"}]}"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .extracting(org.crmkit.error.FieldError::field)
                        .containsExactlyInAnyOrder("trigger.type", "actions[0].duration", "actions[1].type"));
        assertThatThrownBy(() -> workflow.rules().fromJson("{not json")).isInstanceOf(ValidationException.class);
    }

    @Test
    void matchingRulesRunInOrderAndDisabledOnesDoNot() {
        workflow.rules().save(log("third", "3").order(3).on("company", Trigger.created()).build());
        workflow.rules().save(log("first", "1").order(1).on("company", Trigger.created()).build());
        workflow.rules().save(log("second", "2").order(2).on("company", Trigger.createdOrUpdated()).build());
        workflow.rules().save(log("off", "x").order(0).on("company", Trigger.created()).enabled(false).build());
        workflow.rules().save(log("updates_only", "u").on("company", Trigger.updated()).build());
        Record acme = s.records("company").create(Map.of("name", "Acme"));
        assertThat(workflow.rules().simulate(null, acme)).containsExactly("first", "second", "third");
        workflow.jobs().runDue();
        assertThat(ran).containsExactly("first:1", "second:2", "third:3");
        ran.clear();
        s.records("company").update(acme, Map.of("domain", "acme.test"));
        workflow.jobs().runDue();
        assertThat(ran).as("updates_only has order 0").containsExactly("updates_only:u", "second:2");
    }

    @Test
    void fieldAndStageTriggersMatchFromAndTo() {
        workflow.rules().save(log("to_negotiation", "n").on("deal", Trigger.stageChanged().to("negotiation")).build());
        workflow.rules().save(log("from_negotiation", "f").on("deal", Trigger.stageChanged().from("negotiation"))
                .build());
        workflow.rules().save(log("amount_changed", "a").on("deal", Trigger.fieldChanged("amount")).build());
        workflow.rules().save(log("deleted", "d").on("deal", Trigger.deleted()).build());
        Record d = s.records("deal").create(Map.of("name", "D"));
        d = s.records("deal").update(d, Map.of("stage", "negotiation"));
        workflow.jobs().runDue();
        d = s.records("deal").update(d, Map.of("stage", "closed_won", "amount", 10));
        workflow.jobs().runDue();
        s.records("deal").delete(d.id(), d.version());
        workflow.jobs().runDue();
        assertThat(ran).containsExactly("to_negotiation:n", "amount_changed:a", "from_negotiation:f", "deleted:d");
    }

    @Test
    void actionsRunAsTheRulesOwnerWithItsPermissions() {
        CrmSession rep = crm.as(Principal.user("u-rep", Role.SALES_REP));
        Record mine = rep.records("company").create(Map.of("name", "Mine"));
        Record theirs = s.records("company").create(Map.of("name", "Theirs"));
        workflow.rules().save(Rule.builder("rep_tags").on("company", Trigger.manual())
                .then(Action.setFields(Map.of("description", Value.of("tagged by rep"))))
                .runAs(RunAs.user("u-rep", "sales_rep")).build());
        assertThat(workflow.rules().run("rep_tags", mine.id())).isPresent();
        workflow.jobs().runDue();
        assertThat(s.records("company").get(mine.id()).get("description")).isEqualTo("tagged by rep");
        assertThat(s.records("company").get(mine.id()).updatedBy()).isEqualTo("u-rep");
        assertThatThrownBy(() -> workflow.rules().run("rep_tags", theirs.id()))
                .isInstanceOf(org.crmkit.error.NotFoundException.class);
        assertThat(s.records("company").get(theirs.id()).get("description")).isNull();
    }

    @Test
    void rulesThatTriggerThemselvesStopAtTheCycleAndChainsAtTheDepthLimit() {
        workflow.rules().save(Rule.builder("bump").on("company", Trigger.updated())
                .then(Action.setFields(Map.of("employees", Value.cel("employees == null ? 1 : employees + 1"))))
                .build());
        Record c = s.records("company").create(Map.of("name", "Loop"));
        s.records("company").update(c, Map.of("domain", "loop.test"));
        workflow.jobs().runDue();
        assertThat(s.records("company").get(c.id()).get("employees")).as("ran once, then the cycle stopped it")
                .isEqualTo(1L);
        assertThat(workflow.jobs().deadLetters(10)).singleElement().satisfies(j -> {
            assertThat(j.lastError()).startsWith("cycle: bump@" + c.id() + " -> bump@" + c.id());
            assertThat(j.rule()).isEqualTo("bump");
        });

        // a chain through different records: each step creates a record that triggers the next level
        workflow.rules().delete("bump");
        workflow.rules().save(Rule.builder("spawn").on("task", Trigger.created())
                .then(Action.createRecord("task", Map.of("subject", Value.cel("subject + '+'"))))
                .build());
        s.records("task").create(Map.of("subject", "t"));
        workflow.jobs().runDue();
        assertThat(s.records("task").count(org.crmkit.query.Filter.ALL))
                .as("the first task and one from each run at depths 0 to 3").isEqualTo(5);
        assertThat(workflow.jobs().deadLetters(10)).anySatisfy(j -> assertThat(j.lastError())
                .startsWith("depth limit 3 passed"));
    }

    @Test
    void assignNotifyWaitAndSchemaChangesThatBreakARule() {
        workflow.rules().save(Rule.builder("route").on("lead", Trigger.created())
                .then(Action.assignInTeam(Action.AssignStrategy.ROUND_ROBIN, "emea"))
                .then(Action.waitFor(Duration.ofHours(1)))
                .then(Action.notify("email", Value.cel("owner"), "new lead {{last_name}} for you"))
                .build());
        for (String n : List.of("A", "B", "C", "D")) {
            s.records("lead").create(Map.of("last_name", n));
        }
        workflow.jobs().runDue();
        assertThat(s.records("lead").query(org.crmkit.query.Query.all()).items()).extracting(Record::owner)
                .containsExactly("u-1", "u-2", "u-3", "u-1");
        assertThat(notified).isEmpty();
        clock.advance(Duration.ofHours(1));
        workflow.jobs().runDue();
        assertThat(notified).extracting(Notification::recipient).containsExactlyInAnyOrder("u-1", "u-2", "u-3", "u-1");
        assertThat(notified).extracting(Notification::message).contains("new lead A for you");
        assertThat(notified.stream().map(Notification::idempotencyKey).distinct()).hasSize(4);

        s.records("deal").create(Map.of("name", "x", "owner", "u-1"));
        s.records("deal").create(Map.of("name", "y", "owner", "u-1"));
        workflow.rules().save(Rule.builder("least").on("deal", Trigger.created())
                .then(Action.assignLeastLoaded("u-1", "u-2")).build());
        Record d = s.records("deal").create(Map.of("name", "z", "owner", "u-1"));
        workflow.jobs().runDue();
        assertThat(s.records("deal").get(d.id()).owner()).isEqualTo("u-2");

        crm.schema().addField("company", Field.text("segment"));
        workflow.rules().save(Rule.builder("segment").on("company", Trigger.created()).when("segment == 'smb'")
                .then(Action.custom("log", Map.of())).build());
        crm.schema().deleteField("company", "segment", DataPolicy.DISCARD_DATA);
        assertThat(workflow.rules().broken()).containsKey("segment");
        s.records("company").create(Map.of("name", "after"));
        workflow.jobs().runDue();
        assertThat(ran).isEmpty();
    }
}
