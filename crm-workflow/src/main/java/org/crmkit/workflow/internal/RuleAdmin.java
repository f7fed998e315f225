package org.crmkit.workflow.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.crmkit.error.AccessDeniedException;
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
import org.crmkit.schema.ObjectType;
import org.crmkit.security.AdminPermission;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.spi.DocumentStore;
import org.crmkit.storage.spi.StorageTransaction;
import org.crmkit.workflow.Rule;
import org.crmkit.workflow.RuleVersion;
import org.crmkit.workflow.Rules;
import org.crmkit.workflow.RunAs;
import org.crmkit.workflow.Trigger;
import org.crmkit.workflow.spi.JobQueue.NewJob;
import org.jspecify.annotations.Nullable;

/**
 * {@link Rules} on the storage's documents, used by one principal ({@code caller}); saves re-plan schedules and date
 * rules in the same transaction. Everything but {@link #run}, {@link #toJson} and {@link #fromJson} needs
 * {@link AdminPermission#MANAGE_RULES}; a save records the caller as who saved the version, and as whom the rule runs
 * unless it names someone else, which needs {@link AdminPermission#RUN_RULES_AS_OTHERS}.
 */
final class RuleAdmin implements Rules {
    private final Principal caller;
    private final Map<String, Role> registeredRoles;
    private final CrmBinding crm;
    private final RuleCatalog rules;
    private final RunAsPrincipals principals;
    private final JobFactory jobs;
    private final FirePlanner fires;
    private final JobWakeup wakeup;

    RuleAdmin(Principal caller, Map<String, Role> registeredRoles, CrmBinding crm, RuleCatalog rules,
            RunAsPrincipals principals, JobFactory jobs, FirePlanner fires, JobWakeup wakeup) {
        this.caller = caller;
        this.registeredRoles = Map.copyOf(registeredRoles);
        this.crm = crm;
        this.rules = rules;
        this.principals = principals;
        this.jobs = jobs;
        this.fires = fires;
        this.wakeup = wakeup;
    }

    private void require(AdminPermission p, String what) {
        if (!caller.may(p)) {
            throw new AccessDeniedException(caller.id(), "workflow rules", what + " (needs the "
                    + p.name() + " permission)");
        }
    }

    @Override
    public Rule save(Rule rule) {
        require(AdminPermission.MANAGE_RULES, "save workflow rules");
        if (rule == null) {
            throw new ValidationException("rule", new FieldError("rule", FieldErrorCode.REQUIRED, "rule is null"));
        }
        RunAs own = RunAs.of(caller);
        RunAs runAs = rule.runAs() == null ? own : rule.runAs();
        if (!runAs.equals(own) && !disablingOnly(rule)) {
            require(AdminPermission.RUN_RULES_AS_OTHERS, "save or enable a rule that runs as " + runAs.userId()
                    + " (leave runAs empty for the rule to run as you)");
        }
        if (runAs.equals(own)) {
            ownRolesAreTheRegisteredOnes(rule.name());
        }
        Rule saved = rule.withRunAs(runAs).withSavedBy(caller.id()).withVersion(rule.version() + 1);
        CompiledRule compiled = rules.compile(saved);
        crm.transaction(Principal.SYSTEM, (session, tx) -> {
            crm.documents().save(tx, RuleCatalog.RULE_KIND, rule.name(), rule.version(), RuleJson.write(saved),
                    caller.id(), crm.now());
            fires.replan(tx, session, compiled);
            return null;
        });
        rules.reload();
        return saved;
    }

    /** Whether the save only turns off a stored rule (which anyone who manages rules may do, whomever it runs as). */
    private boolean disablingOnly(Rule rule) {
        if (rule.enabled() || rule.version() == 0) {
            return false;
        }
        Rule stored = find(rule.name()).orElse(null);
        return stored != null && stored.version() == rule.version()
                && stored.enabled(false).withSavedBy(null).equals(rule.withSavedBy(null));
    }

    /**
     * A rule that runs as its saver gets the roles registered under the saver's role names when it runs: they must be
     * the saver's very roles, or the rule would run with other permissions than were checked.
     */
    private void ownRolesAreTheRegisteredOnes(String rule) {
        if (caller.system()) {
            return;
        }
        List<FieldError> errors = new ArrayList<>();
        for (org.crmkit.security.Role r : caller.roles()) {
            org.crmkit.security.Role registered = registeredRoles.get(r.name());
            if (registered != null && !registered.equals(r)) {
                errors.add(new FieldError("runAs.roles", FieldErrorCode.UNKNOWN_OPTION, "role '" + r.name() + "' of "
                        + caller.id() + " is not the role registered under that name (Workflow.Builder.roles)"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException("rule " + rule, errors);
        }
    }

    @Override
    public Optional<Rule> find(String name) {
        require(AdminPermission.MANAGE_RULES, "read workflow rules");
        return crm.documents().find(RuleCatalog.RULE_KIND, name).map(RuleCatalog::stored);
    }

    @Override
    public Rule get(String name) {
        return find(name).orElseThrow(() -> new NotFoundException("rule " + name, new UUID(0, 0)));
    }

    @Override
    public List<Rule> list() {
        require(AdminPermission.MANAGE_RULES, "read workflow rules");
        List<Rule> out = new ArrayList<>();
        for (DocumentStore.StoredDocument d : crm.documents().list(RuleCatalog.RULE_KIND)) {
            out.add(RuleCatalog.stored(d));
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
        require(AdminPermission.MANAGE_RULES, "delete workflow rules");
        Rule current = get(name);
        crm.transaction(Principal.SYSTEM, (session, tx) -> {
            crm.documents().save(tx, RuleCatalog.RULE_KIND, name, current.version(), null, caller.id(),
                    crm.now());
            crm.queue().cancel(tx, "cron:" + name);
            return null;
        });
        rules.reload();
    }

    @Override
    public List<RuleVersion> history(String name) {
        require(AdminPermission.MANAGE_RULES, "read workflow rules");
        return crm.documents().history(RuleCatalog.RULE_KIND, name).stream()
                .map(d -> new RuleVersion(name, d.version(), d.at(), d.principalId(),
                        d.body() == null ? null : RuleCatalog.stored(d)))
                .toList();
    }

    @Override
    public Optional<UUID> run(String name, @Nullable UUID recordId) {
        rules.refreshIfChanged();
        CompiledRule rule = rules.ruleSet().byName.get(name);
        if (rule == null) {
            throw new NotFoundException("rule " + name, new UUID(0, 0));
        }
        ObjectType type = rule.type;
        if (type != null && recordId == null) {
            throw new ValidationException("rule " + name, new FieldError("recordId", FieldErrorCode.REQUIRED,
                    "rule " + name + " works on " + type.name() + " records: give one"));
        }
        if (type == null && recordId != null) {
            throw new ValidationException("rule " + name,
                    new FieldError("recordId", FieldErrorCode.UNSUPPORTED_OPERATION,
                            "rule " + name + " works on no record type: give no record"));
        }
        if (type != null && recordId != null) {
            crm.transaction(caller, (session, tx) -> session.records(type.name()).get(recordId));
        }
        String key = "manual:" + name + ":" + UUID.randomUUID();
        UUID id = crm.transaction(principals.of(rule.rule), (session, tx) -> {
            Record r = type == null || recordId == null ? null : session.records(type.name()).get(recordId);
            Instant now = crm.now();
            if (rule.condition != null && !Planner.holds(rule, RuleCel.variables(rule.type, r, null,
                    java.util.Set.of(), "manual", now))) {
                return null;
            }
            NewJob job = jobs.rulesJob(key, rule, recordId, "manual", now);
            crm.queue().enqueue(tx, List.of(job));
            return job.id();
        });
        wakeup.wake();
        return Optional.ofNullable(id);
    }

    @Override
    public List<String> simulate(@Nullable Record before, Record after) {
        require(AdminPermission.MANAGE_RULES, "simulate workflow rules");
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
        ChangeLogEntry e = new ChangeLogEntry(0, crm.now(), Principal.SYSTEM_ID, after.type(), after.id(), op,
                after.version(), op == Operation.DELETE ? List.of() : changes, new UUID(0, 0));
        return Planner.matching(rules.ruleSet(), new Planner.Change(e, before, after), crm.now())
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
        require(AdminPermission.MANAGE_RULES, "read workflow rules");
        rules.refreshIfChanged();
        return rules.ruleSet().broken;
    }
}
