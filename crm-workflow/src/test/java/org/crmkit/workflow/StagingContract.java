package org.crmkit.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.CrmStorage;
import org.crmkit.record.Record;
import org.crmkit.security.Principal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The jobs a change triggers are written in the change's own transaction: a rolled-back change leaves no job, a
 * committed one exactly one per matching change.
 */
abstract class StagingContract {
    private Crm crm;
    private Workflow workflow;

    protected abstract CrmStorage newStorage();

    @BeforeEach
    void start() {
        workflow = Workflow.builder().workers(0).action("noop", c -> {}).build();
        crm = Crm.builder().storage(newStorage()).workflow(workflow).build();
        workflow.rules().save(Rule.builder("on_deal").on("deal", Trigger.createdOrUpdated())
                .when("amount != null && amount > 1000.0").then(Action.custom("noop", Map.of())).build());
    }

    @AfterEach
    void stop() {
        crm.close();
    }

    private long jobs() {
        return workflow.jobs().counts().values().stream().mapToLong(Long::longValue).sum();
    }

    @Test
    void aRolledBackChangeTriggersNothingAndACommittedOneExactlyOneJob() {
        CrmSession s = crm.as(Principal.SYSTEM);
        assertThatThrownBy(() -> s.inTransactionDo(tx -> {
            tx.records("deal").create(Map.of("name", "Rolled back", "amount", 5000));
            throw new IllegalStateException("changed my mind");
        })).hasMessage("changed my mind");
        assertThat(jobs()).isZero();
        assertThat(s.records("deal").count(org.crmkit.query.Filter.ALL)).isZero();

        Record small = s.records("deal").create(Map.of("name", "Small", "amount", 10));
        assertThat(jobs()).as("condition false: no job").isZero();

        Record big = s.records("deal").create(Map.of("name", "Big", "amount", 5000));
        assertThat(workflow.jobs().counts()).containsEntry(JobView.Status.READY, 1L);
        assertThat(workflow.jobs().list(JobView.Status.READY, 10)).singleElement().satisfies(j -> {
            assertThat(j.key()).isEqualTo("chg:" + big.id() + ":1:create");
            assertThat(j.rule()).isEqualTo("on_deal");
        });
        assertThat(workflow.jobs().runDue()).isEqualTo(1);
        assertThat(workflow.jobs().counts()).containsEntry(JobView.Status.DONE, 1L).containsEntry(JobView.Status.READY,
                0L);
        assertThat(workflow.jobs().list(JobView.Status.DONE, 10)).extracting(JobView::key)
                .as("the small deal's condition stayed false").noneMatch(k -> k.contains(small.id().toString()));
    }

    @Test
    void aRefusedWriteLeavesNoJob() {
        CrmSession s = crm.as(Principal.SYSTEM);
        Record deal = s.records("deal").create(Map.of("name", "Race", "amount", 2000));
        workflow.jobs().runDue();
        long before = jobs();
        s.records("deal").update(deal, Map.of("amount", 3000));
        assertThatThrownBy(() -> s.records("deal").update(deal, Map.of("amount", 4000)))
                .isInstanceOf(org.crmkit.error.ConflictException.class);
        assertThat(jobs()).isEqualTo(before + 1);
    }
}
