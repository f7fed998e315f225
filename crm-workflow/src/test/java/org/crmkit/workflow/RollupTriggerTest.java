package org.crmkit.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crmkit.Crm;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.query.Metric;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.security.Principal;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Roll-up fields in workflow rules: a change of a roll-up is an update of its record like any other, so a rule
 * triggers on it and its condition reads it; a rule cannot set one.
 */
class RollupTriggerTest {
    private final List<Notification> notified = new CopyOnWriteArrayList<>();
    private Workflow workflow;
    private Crm crm;

    @BeforeEach
    void start() {
        workflow = Workflow.builder().workers(0).notifier(notified::add).build();
        crm = Crm.builder().storage(InMemoryStorage.create()).workflow(workflow).build();
        crm.schema().addField("company", Field.rollup("contacts", "contact", "company", Metric.count(), null));
    }

    @AfterEach
    void stop() {
        crm.close();
    }

    @Test
    void aRuleTriggersOnARollUpAndReadsItInItsCondition() {
        workflow.rules().save(Rule.builder("busy_account").on("company", Trigger.fieldChanged("contacts"))
                .when("contacts >= 2").then(Action.notify("email", Value.of("sales-ops"), "{{name}} is busy"))
                .build());
        Record acme = crm.as(Principal.SYSTEM).records("company").create(Map.of("name", "Acme"));
        var contacts = crm.as(Principal.SYSTEM).records("contact");
        contacts.create(Map.of("last_name", "Lovelace", "company", acme.id()));
        workflow.jobs().runDue();
        assertThat(notified).isEmpty();
        contacts.create(Map.of("last_name", "Babbage", "company", acme.id()));
        workflow.jobs().runDue();
        assertThat(notified).singleElement().satisfies(n -> assertThat(n.message()).isEqualTo("Acme is busy"));
    }

    @Test
    void aRuleCannotSetARollUp() {
        assertThatThrownBy(() -> workflow.rules().save(Rule.builder("cheat").on("company", Trigger.created())
                .then(Action.setFields(Map.of("contacts", Value.of(99)))).build()))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .anyMatch(x -> x.field().endsWith("contacts") && x.code() == FieldErrorCode.READ_ONLY));
    }
}
