package org.crmkit.examples.workflow;

import static org.crmkit.query.Filters.where;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.jdbc.JdbcStorage;
import org.crmkit.workflow.Action;
import org.crmkit.workflow.JobView;
import org.crmkit.workflow.Notification;
import org.crmkit.workflow.Rule;
import org.crmkit.workflow.RunAs;
import org.crmkit.workflow.Rules;
import org.crmkit.workflow.Trigger;
import org.crmkit.workflow.Value;
import org.crmkit.workflow.Workflow;

/**
 * Automation rules on the embedded default: a Closed Won rule built in Java (set the close date, create an onboarding
 * task for the deal's owner, notify them) and a lead-scoring rule loaded from JSON, both stored in the database; two
 * background workers run the jobs the changes commit. Runs on an H2 file ({@code data/workflow/crm}, or the path
 * given as the first argument); a second run finds the rules saved by the first and leaves them as they are.
 *
 * <pre>mvn -q -Pquickstart -DskipTests verify -Dquickstart.mainClass=org.crmkit.examples.workflow.WorkflowExample</pre>
 */
public final class WorkflowExample {
    /** The lead-scoring rule as an admin would upload it. */
    static final String VP_SCORES = """
            {
              "name": "vp_title_scores",
              "description": "+20 for a lead whose title says VP",
              "order": 20,
              "objectType": "lead",
              "trigger": {"type": "created_or_updated"},
              "condition": "title != null && title.contains('VP') && (is_new || prior.title == null || !prior.title.contains('VP'))",
              "actions": [{"type": "adjust_score", "field": "score", "delta": 20}]
            }
            """;

    private WorkflowExample() {}

    static Rule closedWon() {
        return Rule.builder("deal_closed_won").description("Closed Won: close date, onboarding task, owner told")
                .on("deal", Trigger.stageChanged().to("closed_won"))
                .then(Action.setFields(Map.of("close_date", Value.cel("now"))))
                .then(Action.createRecord("task", Map.of("subject", Value.cel("'Kick-off call: ' + name"),
                        "owner", Value.cel("owner"), "deal", Value.cel("id"),
                        "due_date", Value.cel("now + duration('72h')"), "priority", Value.of("high"))))
                .then(Action.notify("email", Value.cel("owner"), "{{name}} is won: the kick-off call is yours"))
                .runAs(RunAs.user("ops-bot", "admin"))
                .build();
    }

    public static void main(String[] args) throws InterruptedException {
        Path file = Path.of(args.length > 0 ? args[0] : "data/workflow/crm");
        List<Notification> sent = new CopyOnWriteArrayList<>();
        Workflow workflow = Workflow.builder().workers(2).pollInterval(Duration.ofMillis(100)).notifier(n -> {
            sent.add(n);
            System.out.printf("  notifier: %s to %s: %s%n", n.channel(), n.recipient(), n.message());
        }).build();
        try (Crm crm = Crm.builder().storage(JdbcStorage.h2File(file)).workflow(workflow).build()) {
            Rules rules = workflow.rules();
            if (rules.find("deal_closed_won").isEmpty()) {
                rules.save(closedWon());
                rules.saveJson(VP_SCORES);
            }
            for (Rule r : rules.list()) {
                System.out.printf("rule %s v%d on %s: %s%n", r.name(), r.version(), r.objectType(), r.description());
            }

            CrmSession ada = crm.as(Principal.user("u-ada", Role.SALES_REP));
            Record lead = ada.records("lead").create(Map.of("first_name", "Grace", "last_name", "Hopper",
                    "title", "VP Engineering"));
            Record deal = ada.records("deal").create(Map.of("name", "Compiler licences",
                    "amount", Money.of("48000.00", "USD")));
            deal = ada.records("deal").update(deal, Map.of("stage", "negotiation"));
            ada.records("deal").update(deal, Map.of("stage", "closed_won"));
            System.out.println("changes committed; the workers run their jobs:");
            awaitIdle(workflow, Duration.ofSeconds(30));

            Record won = ada.records("deal").get(deal.id());
            System.out.printf("deal '%s' %s, close date %s%n", won.getString("name"), won.getString("stage"),
                    won.get("close_date"));
            for (Record task : ada.records("task").query(where("deal").eq(deal.id())).items()) {
                System.out.printf("task '%s' for %s, due %s, priority %s%n", task.getString("subject"), task.owner(),
                        task.get("due_date"), task.getString("priority"));
            }
            System.out.printf("lead %s %s, score %s%n", lead.getString("first_name"), lead.getString("last_name"),
                    ada.records("lead").get(lead.id()).get("score"));
            System.out.printf("jobs: %s; %d notification(s) sent%n", workflow.jobs().counts(), sent.size());
        }
    }

    /** Waits until no job is ready or running (the rules' follow-up jobs included). */
    private static void awaitIdle(Workflow workflow, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Map<JobView.Status, Long> counts = workflow.jobs().counts();
            if (counts.getOrDefault(JobView.Status.READY, 0L) == 0
                    && counts.getOrDefault(JobView.Status.RUNNING, 0L) == 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("jobs still waiting after " + timeout + ": " + workflow.jobs().counts());
    }
}
