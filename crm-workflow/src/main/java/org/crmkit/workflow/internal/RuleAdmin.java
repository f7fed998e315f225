package org.crmkit.workflow.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.NotFoundException;
import org.crmkit.error.ValidationException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.event.Operation;
import org.crmkit.query.Filters;
import org.crmkit.query.Page;
import org.crmkit.query.Query;
import org.crmkit.record.Record;
import org.crmkit.security.Principal;
import org.crmkit.storage.spi.DocumentStore;
import org.crmkit.storage.spi.JobQueue.NewJob;
import org.crmkit.storage.spi.StorageTransaction;
import org.crmkit.workflow.Rule;
import org.crmkit.workflow.RuleVersion;
import org.crmkit.workflow.Rules;
import org.crmkit.workflow.Trigger;
import org.jspecify.annotations.Nullable;

/** {@link Rules} on the storage's documents; saves re-plan schedules and date rules in the same transaction. */
final class RuleAdmin implements Rules {
    private static final int MAX_PLANNED = 100_000;

    private final WorkflowEngine engine;
    private final String by;

    RuleAdmin(WorkflowEngine engine, String by) {
        this.engine = engine;
        this.by = by;
    }

    @Override
    public Rule save(Rule rule) {
        if (rule == null) {
            throw new ValidationException("rule", new FieldError("rule", FieldErrorCode.REQUIRED, "rule is null"));
        }
        CompiledRule checked = engine.compile(rule);
        Rule saved = rule.withVersion(rule.version() + 1);
        CompiledRule compiled = new CompiledRule(saved, checked.type, checked.condition, checked.expressions,
                checked.cron, checked.schemaVersion);
        engine.context().transaction(Principal.SYSTEM, (session, tx) -> {
            engine.documents().save(tx, WorkflowEngine.RULE_KIND, rule.name(), rule.version(), RuleJson.write(saved),
                    by, engine.now());
            replan(tx, session, compiled);
            return null;
        });
        engine.reload();
        return saved;
    }

    /** Drops the waiting schedule fire of the rule and plans the next one; plans date rules for existing records. */
    private void replan(StorageTransaction tx, org.crmkit.CrmSession session, CompiledRule rule) {
        engine.queue().cancel(tx, "cron:" + rule.name());
        if (!rule.rule.enabled()) {
            return;
        }
        List<NewJob> jobs = new ArrayList<>();
        Instant now = engine.now();
        if (rule.cron != null) {
            NewJob next = engine.cronJob(rule, now);
            if (next != null) {
                jobs.add(next);
            }
        }
        if (rule.rule.trigger() instanceof Trigger.RelativeToDate d && rule.type != null) {
            String after = null;
            int seen = 0;
            do {
                Page<Record> page = session.records(rule.type.name()).query(Query.where(Filters.where(d.field())
                        .isNotNull()).limit(500).after(after));
                for (Record r : page.items()) {
                    engine.queue().cancel(tx, Planner.dateGroup(rule.name(), r.id()));
                    NewJob j = engine.planner().dateJob(rule, r, now);
                    if (j != null) {
                        jobs.add(j);
                    }
                }
                seen += page.items().size();
                after = page.nextCursor();
            } while (after != null && seen < MAX_PLANNED);
        }
        engine.queue().enqueue(tx, jobs);
    }

    /** Plans the next fire of every enabled schedule rule (idempotent: the fire's key dedupes across nodes). */
    void planSchedules() {
        List<NewJob> jobs = new ArrayList<>();
        for (CompiledRule r : engine.ruleSet().inOrder()) {
            if (r.cron != null && r.rule.enabled()) {
                NewJob next = engine.cronJob(r, engine.now());
                if (next != null) {
                    jobs.add(next);
                }
            }
        }
        if (!jobs.isEmpty()) {
            engine.context().transaction(Principal.SYSTEM, (s, tx) -> {
                engine.queue().enqueue(tx, jobs);
                return null;
            });
        }
    }

    @Override
    public Optional<Rule> find(String name) {
        return engine.documents().find(WorkflowEngine.RULE_KIND, name)
                .map(d -> RuleJson.read(d.body()).withVersion(d.version()));
    }

    @Override
    public Rule get(String name) {
        return find(name).orElseThrow(() -> new NotFoundException("rule " + name, new UUID(0, 0)));
    }

    @Override
    public List<Rule> list() {
        List<Rule> out = new ArrayList<>();
        for (DocumentStore.StoredDocument d : engine.documents().list(WorkflowEngine.RULE_KIND)) {
            out.add(RuleJson.read(d.body()).withVersion(d.version()));
        }
        out.sort(java.util.Comparator.comparingInt(Rule::order).thenComparing(Rule::name));
        return out;
    }

    @Override
    public Rule setEnabled(String name, boolean enabled) {
        return save(get(name).enabled(enabled));
    }

    @Override
    public void delete(String name) {
        Rule current = get(name);
        engine.context().transaction(Principal.SYSTEM, (session, tx) -> {
            engine.documents().save(tx, WorkflowEngine.RULE_KIND, name, current.version(), null, by, engine.now());
            engine.queue().cancel(tx, "cron:" + name);
            return null;
        });
        engine.reload();
    }

    @Override
    public List<RuleVersion> history(String name) {
        return engine.documents().history(WorkflowEngine.RULE_KIND, name).stream()
                .map(d -> new RuleVersion(name, d.version(), d.at(), d.principalId(),
                        d.body() == null ? null : RuleJson.read(d.body()).withVersion(d.version())))
                .toList();
    }

    @Override
    public Optional<UUID> run(String name, @Nullable UUID recordId) {
        engine.refreshIfChanged();
        CompiledRule rule = engine.ruleSet().byName.get(name);
        if (rule == null) {
            throw new NotFoundException("rule " + name, new UUID(0, 0));
        }
        if (rule.type != null && recordId == null) {
            throw new ValidationException("rule " + name, new FieldError("recordId", FieldErrorCode.REQUIRED,
                    "rule " + name + " works on " + rule.type.name() + " records: give one"));
        }
        String key = "manual:" + name + ":" + UUID.randomUUID();
        UUID id = engine.context().transaction(engine.principal(rule.rule), (session, tx) -> {
            Record r = recordId == null ? null : session.records(rule.type.name()).get(recordId);
            Instant now = engine.now();
            if (rule.condition != null && !Planner.holds(rule, RuleCel.variables(rule.type, r, null,
                    java.util.Set.of(), "manual", now))) {
                return null;
            }
            NewJob job = engine.rulesJob(key, rule, recordId, "manual", now);
            engine.queue().enqueue(tx, List.of(job));
            return job.id();
        });
        engine.runner().wake();
        return Optional.ofNullable(id);
    }

    @Override
    public List<String> simulate(@Nullable Record before, Record after) {
        if (after == null) {
            throw new ValidationException("rule", new FieldError("after", FieldErrorCode.REQUIRED, "after is null"));
        }
        Operation op = before == null ? Operation.CREATE
                : after.isDeleted() && !before.isDeleted() ? Operation.DELETE : Operation.UPDATE;
        List<FieldChange> changes = new ArrayList<>();
        Map<String, Object> old = before == null ? Map.of() : before.values();
        for (Map.Entry<String, Object> e : after.values().entrySet()) {
            Object o = old.get(e.getKey());
            if (!java.util.Objects.equals(o, e.getValue())) {
                changes.add(new FieldChange(e.getKey(), o, e.getValue()));
            }
        }
        for (Map.Entry<String, Object> e : old.entrySet()) {
            if (!after.values().containsKey(e.getKey())) {
                changes.add(new FieldChange(e.getKey(), e.getValue(), null));
            }
        }
        if (before != null && !before.owner().equals(after.owner())) {
            changes.add(new FieldChange("owner", before.owner(), after.owner()));
        }
        ChangeLogEntry e = new ChangeLogEntry(0, engine.now(), Principal.SYSTEM_ID, after.type(), after.id(), op,
                after.version(), op == Operation.DELETE ? List.of() : changes, new UUID(0, 0));
        return engine.planner().matching(engine.ruleSet(), new Planner.Change(e, before, after), engine.now())
                .stream().map(CompiledRule::name).toList();
    }

    @Override
    public String toJson(Rule rule) {
        return RuleJson.write(rule);
    }

    @Override
    public Rule fromJson(String json) {
        if (json == null) {
            throw new ValidationException("rule", new FieldError("json", FieldErrorCode.REQUIRED, "json is null"));
        }
        return RuleJson.read(json);
    }

    @Override
    public Map<String, String> broken() {
        engine.refreshIfChanged();
        return engine.ruleSet().broken;
    }
}
