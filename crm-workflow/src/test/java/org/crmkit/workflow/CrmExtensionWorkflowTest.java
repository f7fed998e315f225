package org.crmkit.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.crmkit.Crm;
import org.crmkit.CrmWorkflow;
import org.crmkit.query.Filters;
import org.crmkit.security.Principal;
import org.crmkit.storage.memory.InMemoryStorage;
import org.crmkit.testkit.CrmExtension;
import org.crmkit.testkit.JobRunner;
import org.crmkit.testkit.SettableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** crm-testkit's CrmExtension with a workflow: the test gets the Workflow it built and a bounded job runner. */
class CrmExtensionWorkflowTest {
    @RegisterExtension
    static CrmExtension extension = CrmExtension.inMemory().withWorkflow(() -> Workflow.builder().workers(0)
            .action("note", c -> c.session().records("task").create(Map.of("subject", c.parameters().get("s"))))
            .build());

    @Test
    void theTestGetsTheWorkflowItsCrmRunsAndRunsDueJobsUntilIdle(Crm crm, Workflow workflow, CrmWorkflow same,
            JobRunner jobs, SettableClock clock) {
        assertThat(same).isSameAs(workflow);
        workflow.jobs().submit("note", Map.of("s", "now"), "k1", clock.instant());
        workflow.jobs().submit("note", Map.of("s", "later"), "k2", clock.instant().plus(Duration.ofHours(1)));
        assertThat(jobs.runUntilIdle()).isEqualTo(1);
        assertThat(tasks(crm)).isEqualTo(1);
        assertThat(jobs.runUntilIdle()).as("nothing due until the clock moves").isZero();
        clock.advance(Duration.ofHours(1));
        assertThat(jobs.runUntilIdle()).isEqualTo(1);
        assertThat(tasks(crm)).isEqualTo(2);
    }

    @Test
    void eachTestHasItsOwnWorkflow(Crm crm, Workflow workflow, JobRunner jobs) {
        assertThat(workflow.jobs().counts().values().stream().mapToLong(Long::longValue).sum()).isZero();
        assertThat(jobs.runUntilIdle()).isZero();
        assertThat(tasks(crm)).isZero();
    }

    @Test
    void jobsThatKeepMakingJobsFailTheRunAfterItsRounds(SettableClock clock) {
        Workflow[] self = new Workflow[1];
        self[0] = Workflow.builder().workers(0).action("again", c -> self[0].jobs().submit("again", Map.of(),
                "again-" + UUID.randomUUID(), clock.instant())).build();
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).clock(clock)
                .workflow(self[0]).build()) {
            self[0].jobs().submit("again", Map.of(), "first", clock.instant());
            assertThatThrownBy(() -> JobRunner.of(self[0]).maxRounds(3).runUntilIdle())
                    .isInstanceOf(AssertionError.class).hasMessageContaining("still due after 3 rounds");
        }
    }

    @Test
    void boundsMustBePositive() {
        assertThatThrownBy(() -> JobRunner.of(Workflow.defaults()).maxRounds(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Workflow.defaults().runDueJobs(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static long tasks(Crm crm) {
        return crm.as(Principal.SYSTEM).records("task").count(Filters.all());
    }
}
