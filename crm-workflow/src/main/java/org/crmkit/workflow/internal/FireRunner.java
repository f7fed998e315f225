package org.crmkit.workflow.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.crmkit.query.Filter;
import org.crmkit.query.Page;
import org.crmkit.query.Query;
import org.crmkit.record.Record;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.Principal;
import org.crmkit.workflow.Trigger;
import org.crmkit.workflow.spi.JobQueue.ClaimedJob;
import org.crmkit.workflow.spi.JobQueue.NewJob;

/**
 * Runs schedule and date fires: a schedule fire plans a rules run for the rule (or for each record of its type whose
 * condition holds, up to {@value #MAX_RECORDS_PER_FIRE}) and the next fire; a date fire plans a run for its record
 * when the date still says so. A fire of a rule that changed or went off since it was planned does nothing.
 */
final class FireRunner {
    private static final int MAX_RECORDS_PER_FIRE = 100_000;

    private final CrmBinding crm;
    private final RuleCatalog rules;
    private final RunAsPrincipals principals;
    private final JobFactory jobs;
    private final JobCompletion completion;

    FireRunner(CrmBinding crm, RuleCatalog rules, RunAsPrincipals principals, JobFactory jobs,
            JobCompletion completion) {
        this.crm = crm;
        this.rules = rules;
        this.principals = principals;
        this.jobs = jobs;
        this.completion = completion;
    }

    void cron(ClaimedJob job, Payloads.Cron c) {
        CompiledRule rule = rules.currentRule(c.rule(), c.version());
        CompiledRule live = rule != null && rule.rule.enabled() && rule.rule.version() == c.version()
                && rule.cron != null ? rule : null;
        Principal principal = live == null ? Principal.SYSTEM : principals.of(live.rule);
        crm.transaction(principal, (session, tx) -> {
            List<NewJob> follow = new ArrayList<>();
            if (live != null) {
                Instant now = crm.now();
                String base = "cron:" + live.name() + ":v" + c.version() + ":" + c.fire().toEpochMilli();
                ObjectType type = live.type;
                if (type == null) {
                    if (live.condition == null
                            || Planner.holds(live, RuleCel.variables(null, null, null, Set.of(), "schedule", now))) {
                        follow.add(jobs.rulesJob(base, live, null, "schedule", now));
                    }
                } else {
                    String after = null;
                    int seen = 0;
                    do {
                        Page<Record> page = session.records(type.name())
                                .query(Query.where(Filter.ALL).limit(500).after(after));
                        for (Record r : page.items()) {
                            if (live.condition == null || Planner.holds(live, RuleCel.variables(type, r, null,
                                    Set.of(), "schedule", now))) {
                                follow.add(jobs.rulesJob(base + ":" + r.id(), live, r.id(), "schedule", now));
                            }
                        }
                        seen += page.items().size();
                        after = page.nextCursor();
                    } while (after != null && seen < MAX_RECORDS_PER_FIRE);
                }
                NewJob next = jobs.cronJob(live, c.fire().isAfter(now) ? c.fire() : now);
                if (next != null) {
                    follow.add(next);
                }
            }
            completion.complete(tx, job, follow);
            return null;
        });
    }

    void date(ClaimedJob job, Payloads.DateFire d) {
        CompiledRule rule = rules.currentRule(d.rule(), d.version());
        CompiledRule live = rule != null && rule.rule.enabled() && rule.rule.trigger() instanceof Trigger.RelativeToDate
                && rule.type != null ? rule : null;
        Principal principal = live == null ? Principal.SYSTEM : principals.of(live.rule);
        crm.transaction(principal, (session, tx) -> {
            List<NewJob> follow = new ArrayList<>();
            ObjectType type = live == null ? null : live.type;
            if (live != null && type != null) {
                Record r = session.records(type.name()).find(d.record()).orElse(null);
                Instant now = crm.now();
                if (r != null && d.target().equals(JobFactory.dateTarget(live, r)) && (live.condition == null
                        || Planner.holds(live, RuleCel.variables(type, r, null, Set.of(), "date", now)))) {
                    follow.add(jobs.rulesJob("datefire:" + job.key(), live, r.id(), "date", now));
                }
            }
            completion.complete(tx, job, follow);
            return null;
        });
    }
}
