package org.crmkit.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.error.AccessDeniedException;
import org.crmkit.error.ValidationException;
import org.crmkit.plugin.spi.Installation;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.security.AdminPermission;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.crmkit.storage.jdbc.JdbcStorage;
import org.crmkit.storage.memory.InMemoryStorage;
import org.crmkit.storage.spi.StorageTransaction;
import org.crmkit.testkit.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules run as whom they were saved by, unless an admin says otherwise: saving needs {@code MANAGE_RULES}, naming
 * another run-as needs {@code RUN_RULES_AS_OTHERS}, and a rule's trigger, condition and actions are checked against
 * its principal's access when saved, when the rules are loaded, and when its jobs run (the probe of issue 10).
 */
class RuleRunAsTest {
    /** A sales rep who may automate her own work; the deal margin is hidden from her. */
    static Role repRules(FieldAccess margin) {
        return Role.builder("rep_rules").grant(Role.ANY_TYPE, RecordScope.OWN, Permission.CREATE, Permission.READ,
                Permission.UPDATE, Permission.DELETE).field("deal", "margin", margin)
                .allow(AdminPermission.MANAGE_RULES).build();
    }

    /** A rep who may also hand over her own records. */
    private static final Role REP_MOVER = Role.builder("rep_mover").grant(Role.ANY_TYPE, RecordScope.OWN,
            Permission.CREATE, Permission.READ, Permission.UPDATE, Permission.TRANSFER)
            .allow(AdminPermission.MANAGE_RULES).build();

    private final SettableClock clock = SettableClock.at(Instant.parse("2026-05-04T12:00:00Z"));
    private final Principal ann = Principal.user("u-ann", repRules(FieldAccess.HIDDEN));
    private final Principal admin = Principal.user("u-admin", Role.ADMIN);
    private Workflow workflow;
    private Crm crm;
    private CrmSession system;

    @BeforeEach
    void start() {
        workflow = Workflow.builder().workers(0).roles(repRules(FieldAccess.HIDDEN), REP_MOVER).build();
        crm = Crm.builder().storage(InMemoryStorage.create()).clock(clock).workflow(workflow).build();
        crm.schema().addField("deal", Field.decimal("margin"));
        system = crm.as(Principal.SYSTEM);
    }

    @AfterEach
    void stop() {
        crm.close();
    }

    private static Rule.Builder describe(String name) {
        return Rule.builder(name).on("deal", Trigger.updated())
                .then(Action.setFields(Map.of("description", Value.of("high margin"))));
    }

    /** A deal of Ann's with a margin she cannot see, and one of Bob's. */
    private Record annsDeal() {
        Record d = crm.as(ann).records("deal").create(Map.of("name", "Ann's"));
        return system.records("deal").update(d, Map.of("margin", 5000));
    }

    @Test
    void aRepWithoutThePermissionCannotSaveOrReadRules() {
        Rules rules = workflow.rules(Principal.user("u-rep", Role.SALES_REP));
        assertThatThrownBy(() -> rules.save(describe("mine").build())).isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("u-rep").hasMessageContaining("MANAGE_RULES");
        assertThatThrownBy(() -> rules.saveJson("{\"name\":\"j\",\"objectType\":\"deal\",\"trigger\":{\"type\":"
                + "\"updated\"},\"actions\":[{\"type\":\"set_fields\",\"values\":{\"description\":\"x\"}}]}"))
                .isInstanceOf(AccessDeniedException.class);
        workflow.rules().save(describe("hosts").build());
        assertThatThrownBy(rules::list).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> rules.setEnabled("hosts", false)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> rules.delete("hosts")).isInstanceOf(AccessDeniedException.class);
        assertThat(workflow.rules().list()).extracting(Rule::name).containsExactly("hosts");
        assertThat(workflow.rules().get("hosts").enabled()).isTrue();
    }

    @Test
    void aFormulaOverAFieldHiddenFromTheSaverIsHiddenFromHerRulesToo() {
        crm.schema().addField("deal", Field.formula("margin_x2", FieldType.DECIMAL, "margin * 2.0"));
        Rules rules = workflow.rules(ann);
        assertThatThrownBy(() -> rules.save(describe("leak2").when("margin_x2 > 1000.0").build()))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.getMessage()).contains("margin_x2").contains("runs as u-ann"));
        assertThat(workflow.rules().list()).isEmpty();
    }

    @Test
    void aConditionOrExpressionOnAFieldHiddenFromTheSaverIsRefusedWhenSaved() {
        Rules rules = workflow.rules(ann);
        assertThatThrownBy(() -> rules.save(describe("leak").when("margin > 1000.0").build()))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.hasErrorOn("condition")).isTrue();
                    assertThat(e.getMessage()).contains("margin").contains("runs as u-ann");
                });
        assertThatThrownBy(() -> rules.save(Rule.builder("copy").on("deal", Trigger.updated())
                .then(Action.setFields(Map.of("description", Value.cel("string(margin)")))).build()))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.hasErrorOn("actions[0].values.description")).isTrue());
        assertThatThrownBy(() -> rules.save(describe("was").when("prior['margin'] > 1000.0").build()))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.hasErrorOn("condition")).isTrue();
                    assertThat(e.getMessage()).contains("prior has no field 'margin'");
                });
        assertThatThrownBy(() -> workflow.rules().save(describe("typo").when("prior.stagee == 'x'").build()))
                .as("the same for a field that does not exist").isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.getMessage()).contains("prior has no field 'stagee'"));
        assertThatThrownBy(() -> rules.save(Rule.builder("watch").on("deal", Trigger.fieldChanged("margin"))
                .then(Action.setFields(Map.of("description", Value.of("margin moved")))).build()))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.hasErrorOn("trigger.field")).isTrue());
        assertThatThrownBy(() -> rules.save(Rule.builder("write").on("deal", Trigger.updated())
                .then(Action.setFields(Map.of("margin", Value.of(1L)))).build()))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.hasErrorOn("actions[0].values.margin")).isTrue());
        assertThat(workflow.rules().list()).isEmpty();

        Record d = annsDeal();
        crm.as(ann).records("deal").update(d.id(), d.version(), Map.of("name", "Ann's deal"));
        workflow.jobs().runDue();
        assertThat(system.records("deal").get(d.id()).get("description")).isNull();
    }

    @Test
    void aRuleThatWouldTakeOverAnotherUsersDealIsRefusedWhenSavedAndCannotReachItWhenRun() {
        assertThatThrownBy(() -> workflow.rules(ann).save(describe("take").build().toBuilder()
                .then(Action.setFields(Map.of("owner", Value.of("u-ann")))).build()))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.hasErrorOn("actions[1].values.owner")).isTrue();
                    assertThat(e.getMessage()).contains("u-ann").contains("owner");
                });
        assertThatThrownBy(() -> workflow.rules(ann).save(describe("route").build().toBuilder()
                .then(Action.assignRoundRobin("u-ann")).build()))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.hasErrorOn("actions[1]")).isTrue());

        // a rep who may hand over her own records saves it; it runs as her, so Bob's deal is out of its reach
        Principal mover = Principal.user("u-mia", REP_MOVER);
        Rule take = workflow.rules(mover).save(Rule.builder("take").on("deal", Trigger.updated())
                .then(Action.setFields(Map.of("owner", Value.of("u-mia"), "description", Value.of("taken"))))
                .build());
        assertThat(take.runAs()).isEqualTo(RunAs.of(mover));
        CrmSession bob = crm.as(Principal.user("u-bob", Role.SALES_REP));
        Record bobs = bob.records("deal").create(Map.of("name", "Bob's"));
        bob.records("deal").update(bobs, Map.of("stage", "negotiation"));
        Record mias = crm.as(mover).records("deal").create(Map.of("name", "Mia's"));
        crm.as(mover).records("deal").update(mias, Map.of("stage", "negotiation"));
        workflow.jobs().runDue();
        Record after = system.records("deal").get(bobs.id());
        assertThat(after.owner()).isEqualTo("u-bob");
        assertThat(after.get("description")).isNull();
        assertThat(system.records("deal").get(mias.id()).get("description")).isEqualTo("taken");
        assertThat(system.records("deal").get(mias.id()).updatedBy()).isEqualTo("u-mia");
    }

    @Test
    void aRuleRunsAsItsSaverUnlessAnAdminNamesSomeoneElse() {
        Rule mine = workflow.rules(ann).save(describe("mine").when("stage == 'negotiation'").build());
        assertThat(mine.runAs()).isEqualTo(RunAs.user("u-ann", "rep_rules"));
        assertThat(mine.savedBy()).isEqualTo("u-ann");
        assertThat(workflow.rules().history("mine")).extracting(RuleVersion::savedBy).containsExactly("u-ann");
        Record d = annsDeal();
        crm.as(ann).records("deal").update(d.id(), d.version(), Map.of("stage", "negotiation"));
        workflow.jobs().runDue();
        Record after = system.records("deal").get(d.id());
        assertThat(after.get("description")).isEqualTo("high margin");
        assertThat(after.updatedBy()).isEqualTo("u-ann");

        // only someone with RUN_RULES_AS_OTHERS may name another principal, the system one included
        assertThatThrownBy(() -> workflow.rules(ann).save(describe("as_system").runAs(RunAs.system()).build()))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("RUN_RULES_AS_OTHERS");
        assertThatThrownBy(() -> workflow.rules(ann).save(describe("as_bob").runAs(RunAs.user("u-bob",
                "sales_rep")).build())).isInstanceOf(AccessDeniedException.class);

        // an admin's rule with explicit run-as system reads the hidden margin and hands the deal over
        Rule boss = workflow.rules(admin).save(Rule.builder("big_margin").on("deal", Trigger.updated())
                .when("margin != null && margin > 1000.0")
                .then(Action.setFields(Map.of("owner", Value.of("u-boss"), "description",
                        Value.cel("'margin ' + string(margin)"))))
                .runAs(RunAs.system()).build());
        assertThat(boss.runAs()).isEqualTo(RunAs.system());
        assertThat(boss.savedBy()).isEqualTo("u-admin");
        workflow.rules(admin).delete("mine");
        Record now = system.records("deal").get(d.id());
        crm.as(ann).records("deal").update(now.id(), now.version(), Map.of("name", "again"));
        workflow.jobs().runDue();
        Record bossed = system.records("deal").get(d.id());
        assertThat(bossed.owner()).isEqualTo("u-boss");
        assertThat(bossed.getString("description")).startsWith("margin 5000");

        // Ann may switch the admin's rule off, but not on again, nor change it
        assertThat(workflow.rules(ann).setEnabled("big_margin", false).enabled()).isFalse();
        assertThatThrownBy(() -> workflow.rules(ann).setEnabled("big_margin", true))
                .isInstanceOf(AccessDeniedException.class);
        Rule off = workflow.rules().get("big_margin");
        assertThatThrownBy(() -> workflow.rules(ann).save(off.toBuilder().description("mine now").build()
                .withVersion(off.version()))).isInstanceOf(AccessDeniedException.class);
        assertThat(workflow.rules(admin).setEnabled("big_margin", true).enabled()).isTrue();
    }

    @Test
    void aRuleWhoseSaverLosesAccessAfterSavingIsOffAndItsWaitingJobsDie(@TempDir Path dir) {
        Path file = dir.resolve("crm");
        Principal annCanSee = Principal.user("u-ann", repRules(FieldAccess.READ_ONLY));
        java.util.UUID deal;
        Workflow before = Workflow.builder().workers(0).roles(repRules(FieldAccess.READ_ONLY)).build();
        try (Crm first = Crm.builder().storage(JdbcStorage.h2File(file)).clock(clock).workflow(before).build()) {
            first.schema().addField("deal", Field.decimal("margin"));
            before.rules(annCanSee).save(describe("margin_rule").when("margin != null && margin > 1000.0").build());
            Record d = first.as(annCanSee).records("deal").create(Map.of("name", "Ann's"));
            d = first.as(Principal.SYSTEM).records("deal").update(d, Map.of("margin", 5000));
            deal = d.id();
            assertThat(before.jobs().counts()).containsEntry(JobView.Status.READY, 1L);
        }
        // the host now hides the margin from the role: the rule no longer passes its checks
        Workflow after = Workflow.builder().workers(0).roles(repRules(FieldAccess.HIDDEN)).build();
        try (Crm second = Crm.builder().storage(JdbcStorage.h2File(file)).clock(clock).workflow(after).build()) {
            assertThat(after.rules().broken()).hasEntrySatisfying("margin_rule",
                    reason -> assertThat(reason).contains("margin").contains("u-ann"));
            after.jobs().runDue();
            assertThat(after.jobs().deadLetters(10)).singleElement().satisfies(j -> {
                assertThat(j.rule()).isEqualTo("margin_rule");
                assertThat(j.lastError()).contains("margin_rule is off").contains("margin");
            });
            Record d = second.as(Principal.SYSTEM).records("deal").get(deal);
            assertThat(d.get("description")).isNull();
            second.as(Principal.SYSTEM).records("deal").update(d, Map.of("margin", 6000));
            assertThat(after.jobs().runDue()).as("the rule is off: no new job").isZero();
            assertThat(second.as(Principal.SYSTEM).records("deal").get(deal).get("description")).isNull();
        }
    }

    @Test
    void rulesStoredBeforeRunAsWasRecordedRunAsSystemOnlyIfTheSystemSavedThem() {
        InMemoryStorage storage = InMemoryStorage.create();
        String legacy = "{\"name\":\"%s\",\"objectType\":\"company\",\"enabled\":true,\"order\":0,\"version\":0,"
                + "\"trigger\":{\"type\":\"created\"},\"runAs\":{\"user\":\"%s\"%s},\"actions\":[{\"type\":"
                + "\"set_fields\",\"values\":{\"description\":\"%s\"}}]}";
        try (StorageTransaction tx = Installation.storageOf(storage).begin()) {
            var docs = Installation.storageOf(storage).extension(org.crmkit.storage.spi.DocumentStore.class)
                    .orElseThrow();
            docs.save(tx, "workflow_rule", "by_rep", 0, legacy.formatted("by_rep", "system", "", "rep"), "u-ann",
                    clock.instant());
            docs.save(tx, "workflow_rule", "by_host", 0, legacy.formatted("by_host", "system", "", "host"), "system",
                    clock.instant());
            docs.save(tx, "workflow_rule", "named", 0, legacy.formatted("named", "u-ops", ",\"roles\":[\"admin\"]",
                    "named"), "u-ann", clock.instant());
            tx.commit();
        }
        Workflow wf = Workflow.builder().workers(0).build();
        try (Crm old = Crm.builder().storage(storage).clock(clock).workflow(wf).build()) {
            assertThat(wf.rules().broken()).containsOnlyKeys("by_rep");
            assertThat(wf.rules().broken().get("by_rep")).contains("saved before rules recorded whom they run as");
            assertThat(wf.rules().get("by_host").savedBy()).isEqualTo("system");
            Record c = old.as(Principal.SYSTEM).records("company").create(Map.of("name", "Acme"));
            wf.jobs().runDue();
            Record after = old.as(Principal.SYSTEM).records("company").get(c.id());
            assertThat(after.get("description")).isIn("host", "named");
            assertThat(wf.rules().list()).extracting(Rule::name).contains("by_rep");
            // an admin saving it again decides whom it runs as
            wf.rules(admin).save(wf.rules().get("by_rep"));
            assertThat(wf.rules().broken()).isEmpty();
        }
    }
}
