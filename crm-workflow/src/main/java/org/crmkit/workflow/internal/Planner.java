package org.crmkit.workflow.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.event.Operation;
import org.crmkit.plugin.spi.CommitHook;
import org.crmkit.record.Record;
import org.crmkit.storage.spi.StorageTransaction;
import org.crmkit.storage.support.StorageJson;
import org.crmkit.workflow.Trigger;
import org.crmkit.workflow.spi.JobQueue.NewJob;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commit hook: for each change staged in a transaction, the enabled rules of its type whose trigger fires and
 * whose condition holds become one job (run in rule order), written in the same transaction; date-relative rules are
 * planned (and re-planned) as their date fields change. Changes made by a rule's own actions carry the run's
 * {@link RunContext}: past the depth limit, or when a rule would run again for a record it already ran for in the same
 * chain (a cycle), a refused job reports it as a dead letter instead.
 */
final class Planner implements CommitHook {
    private static final Logger LOG = LoggerFactory.getLogger(Planner.class);

    private final RuleCatalog rules;
    private final CrmBinding crm;
    private final RunContexts runContexts;
    private final JobFactory jobs;
    private final StorageJson json;
    private final int maxDepth;

    Planner(RuleCatalog rules, CrmBinding crm, RunContexts runContexts, JobFactory jobs, StorageJson json,
            int maxDepth) {
        this.rules = rules;
        this.crm = crm;
        this.runContexts = runContexts;
        this.jobs = jobs;
        this.json = json;
        this.maxDepth = maxDepth;
    }

    /** One change with the record before and after it (after null: purged). */
    record Change(ChangeLogEntry entry, @Nullable Record before, @Nullable Record after) {}

    @Override
    public void beforeCommit(StorageTransaction tx, List<ChangeLogEntry> staged) {
        RuleSet rules = this.rules.ruleSet();
        if (rules.recordRules.isEmpty() && rules.dateRules.isEmpty()) {
            return;
        }
        Map<UUID, List<ChangeLogEntry>> byRecord = new LinkedHashMap<>();
        for (ChangeLogEntry e : staged) {
            if (rules.watches(e.objectType())) {
                byRecord.computeIfAbsent(e.recordId(), k -> new ArrayList<>()).add(e);
            }
        }
        if (byRecord.isEmpty()) {
            return;
        }
        Instant now = crm.now();
        RunContext context = runContexts.current();
        List<NewJob> jobs = new ArrayList<>();
        for (List<ChangeLogEntry> entries : byRecord.values()) {
            ChangeLogEntry last = entries.get(entries.size() - 1);
            Record latest = tx.find(last.objectType(), last.recordId()).orElse(null);
            for (Change c : changes(entries, latest)) {
                planDates(tx, rules, c, now, jobs);
                if (c.after() != null) {
                    jobs.addAll(jobsFor(rules, c, context, now));
                }
            }
        }
        crm.queue().enqueue(tx, jobs);
    }

    /** Each entry with the states around it, worked back from the latest state. */
    static List<Change> changes(List<ChangeLogEntry> entries, @Nullable Record latest) {
        Change[] out = new Change[entries.size()];
        Record after = latest;
        for (int i = entries.size() - 1; i >= 0; i--) {
            ChangeLogEntry e = entries.get(i);
            Record before = e.operation() == Operation.CREATE || after == null ? null : revert(after, e);
            out[i] = new Change(e, before, e.operation() == Operation.PURGE ? null : after);
            after = before;
        }
        return List.of(out);
    }

    /** The record as it was before {@code e}, from the record after it. */
    static Record revert(Record after, ChangeLogEntry e) {
        Map<String, Object> values = new HashMap<>(after.values());
        String owner = after.owner();
        String team = after.team();
        for (FieldChange c : e.changes()) {
            switch (c.field()) {
                case "owner" -> owner = c.oldValue() == null ? owner : (String) c.oldValue();
                case "team" -> team = (String) c.oldValue();
                default -> {
                    if (c.oldValue() == null) {
                        values.remove(c.field());
                    } else {
                        values.put(c.field(), c.oldValue());
                    }
                }
            }
        }
        Instant deletedAt = switch (e.operation()) {
            case DELETE -> null;
            case RESTORE -> e.at();
            default -> after.deletedAt();
        };
        return new Record(after.id(), after.type(), Math.max(1, e.version() - 1), owner, team, after.createdAt(),
                after.createdBy(), after.updatedAt(), after.updatedBy(), deletedAt, values);
    }

    static String event(Operation op) {
        return switch (op) {
            case CREATE -> "created";
            case UPDATE -> "updated";
            case DELETE -> "deleted";
            case RESTORE -> "restored";
            case PURGE -> "purged";
        };
    }

    static Set<String> changedFields(ChangeLogEntry e) {
        Set<String> out = new LinkedHashSet<>();
        e.changes().forEach(c -> out.add(c.field()));
        return out;
    }

    /** The enabled rules of the change's type that fire and whose condition holds, in run order. */
    static List<CompiledRule> matching(RuleSet rules, Change c, Instant now) {
        List<CompiledRule> candidates = rules.recordRules.get(c.entry().objectType());
        if (candidates == null || c.after() == null) {
            return List.of();
        }
        List<CompiledRule> out = new ArrayList<>(candidates.size());
        // one set of variables per type a rule sees (the type, or a view of it for rules of restricted principals)
        Map<org.crmkit.schema.ObjectType, Map<String, Object>> varsByView = new java.util.IdentityHashMap<>(2);
        for (CompiledRule r : candidates) {
            if (!r.fires(c.entry(), c.before(), c.after())) {
                continue;
            }
            if (r.condition != null) {
                Map<String, Object> vars = varsByView.computeIfAbsent(r.type, t -> RuleCel.variables(t, c.after(),
                        c.before(), r.visible(changedFields(c.entry())), event(c.entry().operation()), now));
                if (!holds(r, vars)) {
                    continue;
                }
            }
            out.add(r);
        }
        return out;
    }

    /** Whether the rule's condition holds (a rule without one always fires; one that fails to evaluate does not). */
    static boolean holds(CompiledRule r, Map<String, Object> vars) {
        RuleCel.Program condition = r.condition;
        if (condition == null) {
            return true;
        }
        try {
            return condition.test(vars);
        } catch (Exception e) {
            LOG.warn("condition of rule {} could not be evaluated ({}); the rule does not fire", r.name(),
                    e.getMessage());
            return false;
        }
    }

    private List<NewJob> jobsFor(RuleSet rules, Change c, @Nullable RunContext context, Instant now) {
        List<CompiledRule> matched = matching(rules, c, now);
        if (matched.isEmpty()) {
            return List.of();
        }
        ChangeLogEntry e = c.entry();
        int depth = context == null ? 0 : context.depth() + 1;
        List<String> chain = context == null ? List.of() : context.chain();
        String base = "chg:" + e.recordId() + ":" + e.version() + ":"
                + e.operation().name().toLowerCase(java.util.Locale.ROOT);
        List<NewJob> out = new ArrayList<>();
        List<String> allowed = new ArrayList<>();
        for (CompiledRule r : matched) {
            String link = r.name() + "@" + e.recordId();
            String refusal = chain.contains(link) ? "cycle: " + String.join(" -> ", chain) + " -> " + link
                    : depth > maxDepth ? "depth limit " + maxDepth + " passed: "
                            + String.join(" -> ", chain) + " -> " + link
                    : null;
            if (refusal != null) {
                LOG.warn("rule {} not run for {} {}: {}", r.name(), e.objectType(), e.recordId(), refusal);
                out.add(jobs.refusedJob("refused:" + base + ":" + r.name(), r.name(), refusal, now));
            } else {
                allowed.add(RuleJson.write(r.rule));
            }
        }
        if (!allowed.isEmpty()) {
            Map<String, String> prior = new LinkedHashMap<>();
            List<String> priorInLog = new ArrayList<>();
            org.crmkit.schema.ObjectType type = crm.schema().findObjectType(e.objectType()).orElse(null);
            for (FieldChange fc : e.changes()) {
                boolean encrypted = type != null
                        && type.findField(fc.field()).map(org.crmkit.schema.Field::encrypted).orElse(false);
                if (encrypted) {
                    priorInLog.add(fc.field()); // never as plaintext in a job row: read from the log when run
                } else {
                    prior.put(fc.field(), json.writeValue(fc.oldValue()));
                }
            }
            Payloads.RulesRun run = new Payloads.RulesRun(base, e.objectType(), e.recordId(), allowed, 0, 0, depth,
                    chain, event(e.operation()), List.copyOf(changedFields(e)), prior, e.version(),
                    List.copyOf(priorInLog));
            out.add(jobs.runJob(base, run, now));
        }
        return out;
    }

    /** Re-plans the date-relative rules whose field this change touched. */
    private void planDates(StorageTransaction tx, RuleSet rules, Change c, Instant now, List<NewJob> planned) {
        List<CompiledRule> dated = rules.dateRules.get(c.entry().objectType());
        if (dated == null) {
            return;
        }
        ChangeLogEntry e = c.entry();
        for (CompiledRule r : dated) {
            Trigger.RelativeToDate t = (Trigger.RelativeToDate) r.rule.trigger();
            boolean touched = switch (e.operation()) {
                case CREATE -> c.after() != null && c.after().values().get(t.field()) != null;
                case UPDATE -> e.change(t.field()).isPresent();
                case DELETE, PURGE, RESTORE -> true;
            };
            if (!touched) {
                continue;
            }
            crm.queue().cancel(tx, JobFactory.dateGroup(r.name(), e.recordId()));
            Record after = c.after();
            if (after != null && !after.isDeleted()) {
                NewJob j = this.jobs.dateJob(r, after, now);
                if (j != null) {
                    planned.add(j);
                }
            }
        }
    }
}
