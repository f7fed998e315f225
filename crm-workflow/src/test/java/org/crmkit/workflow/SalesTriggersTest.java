package org.crmkit.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.error.ValidationException;
import org.crmkit.lead.ConversionResult;
import org.crmkit.merge.FieldChoices;
import org.crmkit.query.Filters;
import org.crmkit.record.Record;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sales triggers: {@code converted} fires once per lead conversion, in its transaction, and only for leads;
 * {@code merged} once per merge, for the survivor, in the merge's transaction.
 */
class SalesTriggersTest {
    private Workflow workflow;
    private Crm crm;

    @BeforeEach
    void start() {
        workflow = Workflow.builder().workers(0).build();
        crm = Crm.builder().storage(InMemoryStorage.create()).workflow(workflow).build();
    }

    @AfterEach
    void stop() {
        crm.close();
    }

    @Test
    void aConversionFiresTheRuleWithTheLinksInPlace() {
        workflow.rules().save(Rule.builder("welcome").on("lead", Trigger.converted())
                .then(Action.createRecord("task", Map.of("subject", Value.cel("'Welcome ' + last_name"),
                        "owner", Value.cel("owner"), "contact", Value.cel("converted_contact"))))
                .runAs(RunAs.user("ops-bot", "admin")).build());
        CrmSession rep = crm.as(Principal.user("u-ada", Role.SALES_REP));
        Record lead = rep.records("lead").create(Map.of("last_name", "Lovelace", "company_name", "Engines"));
        rep.records("lead").update(lead, Map.of("status", "qualified"));
        assertThat(workflow.jobs().runDue()).as("other updates do not fire it").isZero();

        ConversionResult r = rep.leads().convert(lead.id());
        assertThat(workflow.jobs().runDue()).isGreaterThan(0);

        List<Record> tasks = rep.records("task").query(Filters.where("contact").eq(r.contactId())).items();
        assertThat(tasks).singleElement().satisfies(t -> {
            assertThat(t.getString("subject")).isEqualTo("Welcome Lovelace");
            assertThat(t.owner()).isEqualTo("u-ada");
        });
        assertThat(workflow.jobs().runDue()).isZero();
    }

    @Test
    void theTriggerIsForLeadsOnly() {
        assertThatThrownBy(() -> workflow.rules().save(Rule.builder("wrong").on("deal", Trigger.converted())
                .then(Action.custom("log", Map.of())).build())).isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.errors()).anySatisfy(f -> assertThat(f.field()).isEqualTo("trigger")));
    }

    @Test
    void aMergeFiresTheRuleOnceForTheSurvivor() {
        workflow.rules().save(Rule.builder("after_merge").on("contact", Trigger.merged())
                .then(Action.createRecord("task", Map.of("subject", Value.cel("'Check merged ' + last_name"),
                        "owner", Value.cel("owner"), "contact", Value.cel("id"))))
                .runAs(RunAs.user("ops-bot", "admin")).build());
        CrmSession rep = crm.as(Principal.user("u-ada", Role.SALES_MANAGER));
        Record ada = rep.records("contact").create(Map.of("last_name", "Lovelace", "email", "ada@example.com"));
        Record dup = rep.records("contact").create(Map.of("last_name", "Lovelace", "first_name", "Ada"));
        Record dup2 = rep.records("contact").create(Map.of("last_name", "Lovelace"));
        rep.records("contact").update(ada, Map.of("title", "Countess"));
        assertThat(workflow.jobs().runDue()).as("creates and updates do not fire it").isZero();

        rep.records("contact").merge(ada.id(), List.of(dup.id(), dup2.id()), FieldChoices.defaults());
        assertThat(workflow.jobs().runDue()).isEqualTo(1);

        List<Record> tasks = rep.records("task").query(Filters.where("contact").eq(ada.id())).items();
        assertThat(tasks).singleElement().satisfies(t -> assertThat(t.getString("subject"))
                .isEqualTo("Check merged Lovelace"));
        assertThat(workflow.jobs().runDue()).isZero();
    }
}
