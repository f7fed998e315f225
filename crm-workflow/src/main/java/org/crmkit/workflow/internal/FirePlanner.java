package org.crmkit.workflow.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.crmkit.CrmSession;
import org.crmkit.query.Filters;
import org.crmkit.query.Page;
import org.crmkit.query.Query;
import org.crmkit.record.Record;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.Principal;
import org.crmkit.storage.spi.StorageTransaction;
import org.crmkit.workflow.Trigger;
import org.crmkit.workflow.spi.JobQueue.NewJob;

/**
 * Plans the schedule and date fires of rules outside the commit hook: when a rule is saved (its waiting schedule fire
 * replaced, its date fires planned for the records that have the date, up to {@value #MAX_PLANNED}) and when the node
 * starts (the next fire of every schedule rule; the fire's key dedupes it across nodes).
 */
final class FirePlanner {
    private static final int MAX_PLANNED = 100_000;

    private final CrmBinding crm;
    private final RuleCatalog rules;
    private final JobFactory jobs;

    FirePlanner(CrmBinding crm, RuleCatalog rules, JobFactory jobs) {
        this.crm = crm;
        this.rules = rules;
        this.jobs = jobs;
    }

    /** Drops the waiting schedule fire of the rule and plans the next one; plans date rules for existing records. */
    void replan(StorageTransaction tx, CrmSession session, CompiledRule rule) {
        crm.queue().cancel(tx, "cron:" + rule.name());
        if (!rule.rule.enabled()) {
            return;
        }
        List<NewJob> planned = new ArrayList<>();
        Instant now = crm.now();
        if (rule.cron != null) {
            NewJob next = jobs.cronJob(rule, now);
            if (next != null) {
                planned.add(next);
            }
        }
        ObjectType type = rule.type;
        if (rule.rule.trigger() instanceof Trigger.RelativeToDate d && type != null) {
            String after = null;
            int seen = 0;
            do {
                Page<Record> page = session.records(type.name()).query(Query.where(Filters.where(d.field())
                        .isNotNull()).limit(500).after(after));
                for (Record r : page.items()) {
                    crm.queue().cancel(tx, JobFactory.dateGroup(rule.name(), r.id()));
                    NewJob j = jobs.dateJob(rule, r, now);
                    if (j != null) {
                        planned.add(j);
                    }
                }
                seen += page.items().size();
                after = page.nextCursor();
            } while (after != null && seen < MAX_PLANNED);
        }
        crm.queue().enqueue(tx, planned);
    }

    /** Plans the next fire of every enabled schedule rule (idempotent: the fire's key dedupes across nodes). */
    void planSchedules() {
        List<NewJob> planned = new ArrayList<>();
        for (CompiledRule r : rules.ruleSet().inOrder()) {
            if (r.cron != null && r.rule.enabled()) {
                NewJob next = jobs.cronJob(r, crm.now());
                if (next != null) {
                    planned.add(next);
                }
            }
        }
        if (!planned.isEmpty()) {
            crm.transaction(Principal.SYSTEM, (s, tx) -> {
                crm.queue().enqueue(tx, planned);
                return null;
            });
        }
    }
}
