package org.crmkit.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.query.Filters;
import org.crmkit.record.Record;
import org.crmkit.security.Principal;
import org.crmkit.storage.memory.InMemoryStorage;
import org.crmkit.testkit.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Worked example 3: a reminder task 3 days before a task's due date, moved when the due date moves. */
class ReminderExampleTest {
    private final SettableClock clock = SettableClock.at(Instant.parse("2026-02-01T10:00:00Z"));
    private Workflow workflow;
    private Crm crm;
    private CrmSession s;

    @BeforeEach
    void start() {
        workflow = Workflow.builder().workers(0).build();
        crm = Crm.builder().storage(InMemoryStorage.create()).clock(clock).workflow(workflow).build();
        s = crm.as(Principal.SYSTEM);
    }

    @AfterEach
    void stop() {
        crm.close();
    }

    private void saveRule() {
        workflow.rules().save(Rule.builder("task_reminder")
                .on("task", Trigger.relativeTo("due_date", Duration.ofDays(-3)))
                .when("status != 'done' && !subject.startsWith('Reminder: ')")
                .then(Action.createRecord("task", Map.of("subject", Value.cel("'Reminder: ' + subject"),
                        "owner", Value.cel("owner"), "priority", Value.of("high"))))
                .build());
    }

    private List<Record> reminders() {
        return s.records("task").query(Filters.where("subject").startsWith("Reminder: ")).items();
    }

    private List<Instant> planned() {
        return workflow.jobs().list(JobView.Status.READY, 10).stream().map(JobView::runAt).toList();
    }

    @Test
    void theReminderMovesWithTheDueDateAndComesOnce() {
        saveRule();
        Record task = s.records("task").create(Map.of("subject", "Renewal call", "due_date", "2026-02-20"));
        assertThat(planned()).containsExactly(Instant.parse("2026-02-17T00:00:00Z"));

        task = s.records("task").update(task, Map.of("due_date", LocalDate.of(2026, 2, 25)));
        assertThat(planned()).as("moved, not added").containsExactly(Instant.parse("2026-02-22T00:00:00Z"));

        clock.set(Instant.parse("2026-02-18T00:00:00Z"));
        assertThat(workflow.jobs().runDue()).isZero();
        assertThat(reminders()).isEmpty();

        clock.set(Instant.parse("2026-02-22T00:00:00Z"));
        assertThat(workflow.jobs().runDue()).isPositive();
        assertThat(reminders()).singleElement().satisfies(r -> {
            assertThat(r.<String>get("subject")).isEqualTo("Reminder: Renewal call");
            assertThat(r.<String>get("priority")).isEqualTo("high");
        });
        clock.advance(Duration.ofDays(10));
        workflow.jobs().runDue();
        assertThat(reminders()).hasSize(1);
    }

    @Test
    void clearedDatesDeletedTasksAndDoneTasksGetNoReminder() {
        saveRule();
        Record cleared = s.records("task").create(Map.of("subject", "Cleared", "due_date", "2026-02-10"));
        Record deleted = s.records("task").create(Map.of("subject", "Deleted", "due_date", "2026-02-10"));
        Record done = s.records("task").create(Map.of("subject", "Done", "due_date", "2026-02-10"));
        assertThat(planned()).hasSize(3);
        s.records("task").update(cleared, Map.of("due_date", ""));
        s.records("task").delete(deleted.id(), deleted.version());
        assertThat(planned()).hasSize(1);
        s.records("task").update(done, Map.of("status", "done"));
        clock.set(Instant.parse("2026-02-09T00:00:00Z"));
        workflow.jobs().runDue();
        assertThat(reminders()).isEmpty();
        assertThat(workflow.jobs().deadLetters(10)).isEmpty();
    }

    @Test
    void aRuleSavedLaterPlansTheTasksThatExistAndPastTimesAreSkipped() {
        s.records("task").create(Map.of("subject", "Soon", "due_date", "2026-02-02"));
        s.records("task").create(Map.of("subject", "Later", "due_date", "2026-03-01"));
        saveRule();
        assertThat(planned()).containsExactly(Instant.parse("2026-02-26T00:00:00Z"));
        clock.set(Instant.parse("2026-02-26T00:00:00Z"));
        workflow.jobs().runDue();
        assertThat(reminders()).extracting(r -> r.<String>get("subject")).containsExactly("Reminder: Later");
    }
}
