package org.crmkit.workflow.internal;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.crmkit.CrmSession;
import org.crmkit.RecordSet;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.crmkit.query.Page;
import org.crmkit.query.Query;
import org.crmkit.record.Address;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.Principal;
import org.crmkit.storage.spi.StorageTransaction;
import org.crmkit.workflow.Action;
import org.crmkit.workflow.ActionContext;
import org.crmkit.workflow.CustomAction;
import org.crmkit.workflow.Notification;
import org.crmkit.workflow.Rule;
import org.crmkit.workflow.Trigger;
import org.crmkit.workflow.Value;
import org.crmkit.workflow.spi.JobQueue.ClaimedJob;
import org.crmkit.workflow.spi.JobQueue.NewJob;
import org.jspecify.annotations.Nullable;

/**
 * Runs one claimed job: a step of a rules run, a schedule or date fire, a submitted action, or a refusal. Each runs in
 * one service transaction as the rule's owner that also completes the job, so CRM effects and completion commit
 * together; outside calls (webhook, notifier, custom action) happen inside it before any database work of the step,
 * so no connection is held while they wait.
 */
final class Executor {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_RECORDS_PER_FIRE = 100_000;

    private final WorkflowEngine engine;

    Executor(WorkflowEngine engine) {
        this.engine = engine;
    }

    void run(ClaimedJob job) {
        switch (job.kind()) {
            case Payloads.RULES -> rules(job, engine.payloads().rules(job.payload()));
            case Payloads.CRON -> cron(job, engine.payloads().cron(job.payload()));
            case Payloads.DATE -> date(job, engine.payloads().date(job.payload()));
            case Payloads.ACTION -> submitted(job, engine.payloads().submitted(job.payload()));
            case Payloads.REFUSED -> throw new JobFailure(engine.payloads().refused(job.payload()).reason(), true);
            default -> throw new JobFailure("unknown job kind " + job.kind(), true);
        }
    }

    private void complete(StorageTransaction tx, ClaimedJob job, List<NewJob> follow) {
        engine.queue().enqueue(tx, follow);
        engine.queue().complete(tx, job, engine.now(), engine.keepsDone(job));
    }

    // ---- rules runs ---------------------------------------------------------------------------------------------

    private void rules(ClaimedJob job, Payloads.RulesRun run) {
        if (run.pos() >= run.rules().size()) {
            engine.context().transaction(Principal.SYSTEM, (s, tx) -> {
                complete(tx, job, List.of());
                return null;
            });
            return;
        }
        Rule snapshot = RuleJson.read(run.rules().get(run.pos()));
        CompiledRule current = engine.currentRule(snapshot.name(), snapshot.version());
        if (current == null && engine.ruleSet().broken.containsKey(snapshot.name())) {
            throw new JobFailure("rule " + snapshot.name() + " is off: " + engine.ruleSet().broken.get(snapshot.name()),
                    true);
        }
        boolean stillOn = current != null && current.rule.enabled();
        CompiledRule rule = !stillOn || current.rule.version() == snapshot.version() ? current : checked(snapshot);
        List<CompiledRule.Step> steps = stillOn ? rule.steps : List.of();
        CompiledRule.Step step = run.step() < steps.size() ? steps.get(run.step()) : null;
        Principal principal = stillOn ? engine.principal(rule.rule) : Principal.SYSTEM;
        String link = snapshot.name() + "@" + (run.record() == null ? "-" : run.record());
        List<String> chain = new ArrayList<>(run.chain());
        chain.add(link);
        engine.enter(new RunContext(run.depth(), chain));
        try {
            engine.context().transaction(principal, (session, tx) -> {
                List<NewJob> follow = new ArrayList<>();
                Record record = stillOn && step != null ? load(session, tx, run) : null;
                boolean go = stillOn && step != null && (run.record() == null || record != null);
                if (go && step.kind() == CompiledRule.StepKind.WAIT) {
                    Action.Wait w = (Action.Wait) rule.rule.actions().get(step.from());
                    if (run.step() + 1 < steps.size()) {
                        Payloads.RulesRun rest = new Payloads.RulesRun(run.baseKey() + "/w" + run.pos(), run.type(),
                                run.record(), List.of(run.rules().get(run.pos())), 0, run.step() + 1, run.depth(),
                                run.chain(), run.event(), run.changed(), run.prior());
                        Instant at = engine.now().plus(w.duration());
                        follow.add(engine.newJob(Payloads.RULES, rest.baseKey() + "/0." + rest.step(), null,
                                engine.payloads().write(rest), at));
                    }
                    next(run, run.pos() + 1, 0, follow);
                } else if (go) {
                    Execution x = new Execution(rule, run, job, session, tx, record);
                    for (int i = step.from(); i < step.to(); i++) {
                        x.action(i);
                    }
                    if (run.step() + 1 < steps.size()) {
                        next(run, run.pos(), run.step() + 1, follow);
                    } else {
                        next(run, run.pos() + 1, 0, follow);
                    }
                } else {
                    // the rule was switched off or changed, or its record is gone: go on with the next rule
                    next(run, run.pos() + 1, 0, follow);
                }
                complete(tx, job, follow);
                return null;
            });
        } finally {
            engine.leave();
        }
    }

    /**
     * The version of a rule a run was planned with, checked again (against the schema and the access of whom it runs
     * as, both as they are now); one that no longer passes makes the job a dead letter with the reason.
     */
    private CompiledRule checked(Rule snapshot) {
        try {
            return engine.compile(snapshot);
        } catch (org.crmkit.error.ValidationException e) {
            throw new JobFailure("rule " + snapshot.name() + " version " + snapshot.version() + " no longer passes its "
                    + "checks: " + e.getMessage(), true, e);
        }
    }

    private void next(Payloads.RulesRun run, int pos, int step, List<NewJob> follow) {
        if (pos >= run.rules().size()) {
            return;
        }
        Payloads.RulesRun next = run.at(pos, step, run.rules());
        follow.add(engine.newJob(Payloads.RULES, run.baseKey() + "/" + pos + "." + step, null,
                engine.payloads().write(next),
                engine.now()));
    }

    /** The trigger record as the rule's owner sees it (deleted ones too, for deletion rules); null when gone. */
    private static @Nullable Record load(CrmSession session, StorageTransaction tx, Payloads.RulesRun run) {
        if (run.record() == null || run.type() == null) {
            return null;
        }
        Optional<Record> live = session.records(run.type()).find(run.record());
        if (live.isPresent()) {
            return live.get();
        }
        if (run.event().equals("deleted")) {
            return tx.find(run.type(), run.record()).orElse(null);
        }
        return null;
    }

    /** The actions of one step against one record state, which CRM actions move forward. */
    private final class Execution {
        final CompiledRule rule;
        final Payloads.RulesRun run;
        final ClaimedJob job;
        final CrmSession session;
        final StorageTransaction tx;
        @Nullable
        Record record;

        Execution(CompiledRule rule, Payloads.RulesRun run, ClaimedJob job, CrmSession session, StorageTransaction tx,
                @Nullable Record record) {
            this.rule = rule;
            this.run = run;
            this.job = job;
            this.session = session;
            this.tx = tx;
            this.record = record;
        }

        String key(int action) {
            return run.baseKey() + "/" + run.pos() + "/" + action;
        }

        Map<String, Object> vars() {
            Record before = null;
            if (record != null && !run.event().equals("created")) {
                Map<String, Object> values = new HashMap<>(record.values());
                run.prior().forEach((f, json) -> {
                    Object v = engine.json().readValue(json);
                    if (!f.equals("owner") && !f.equals("team")) {
                        if (v == null) {
                            values.remove(f);
                        } else {
                            values.put(f, v);
                        }
                    }
                });
                before = new Record(record.id(), record.type(), record.version(), record.owner(), record.team(),
                        record.createdAt(), record.createdBy(), record.updatedAt(), record.updatedBy(),
                        record.deletedAt(), values);
            }
            return RuleCel.variables(rule.type, record, before, rule.visible(run.changed()),
                    run.event(), engine.now());
        }

        @Nullable
        Object value(int action, String name, Value v, @Nullable Field target) {
            if (v instanceof Value.Constant c) {
                return c.value();
            }
            RuleCel.Program p = rule.expressions.get(action).get(name);
            try {
                return RuleCel.toField(target, p.eval(vars()));
            } catch (Exception e) {
                throw new JobFailure("rule " + rule.name() + ": " + name + " = " + p.expression()
                        + " could not be evaluated: " + e.getMessage(), true, e);
            }
        }

        Map<String, Object> values(int action, Map<String, Value> values, @Nullable ObjectType target) {
            Map<String, Object> out = new LinkedHashMap<>();
            values.forEach((name, v) -> out.put(name, value(action, name, v,
                    target == null ? null : target.findField(name).orElse(null))));
            return out;
        }

        RecordSet records() {
            return session.records(record.type());
        }

        void action(int i) {
            Action a = rule.rule.actions().get(i);
            switch (a) {
                case Action.SetFields s -> {
                    if (s.via() == null) {
                        record = records().update(record, values(i, s.values(), rule.type));
                    } else {
                        Record target = via(s.via());
                        if (target != null) {
                            session.records(target.type()).update(target, values(i, s.values(),
                                    engine.schema().findObjectType(target.type()).orElse(null)));
                        }
                    }
                }
                case Action.CreateRecord c -> session.records(c.objectType()).create(values(i, c.values(),
                        engine.schema().findObjectType(c.objectType()).orElse(null)));
                case Action.AssignOwner o -> assign(o);
                case Action.AdjustScore s -> {
                    Record target = s.via() == null ? record : via(s.via());
                    if (target != null) {
                        Record after = adjust(target, s);
                        if (s.via() == null) {
                            record = after;
                        }
                    }
                }
                case Action.Notify n -> {
                    if (engine.config().notifier() == null) {
                        throw new JobFailure("no notifier configured", true);
                    }
                    Object to = value(i, "recipient", n.recipient(), null);
                    String message = Templates.fill(n.message(), f -> text(f));
                    engine.config().notifier().send(new Notification(rule.name(), n.channel(), RuleCel.text(to),
                            message, run.type(), run.record(), key(i)));
                }
                case Action.Webhook w -> engine.webhooks().post(w.url(), body(i), key(i), engine.now());
                case Action.Custom c -> custom(c.name(), c.parameters(), rule.name(), key(i), session, record, job);
                case Action.Wait w -> {}
            }
        }

        /** The record a reference field of the trigger record points to, as the owner sees it; null when empty. */
        private @Nullable Record via(String field) {
            Object id = record.values().get(field);
            if (!(id instanceof java.util.UUID target)) {
                return null;
            }
            String type = rule.type.findField(field).orElseThrow().target();
            return session.records(type).get(target);
        }

        private Record adjust(Record target, Action.AdjustScore s) {
            Object current = target.values().get(s.field());
            BigDecimal now = current instanceof Long l ? BigDecimal.valueOf(l)
                    : current instanceof BigDecimal d ? d : BigDecimal.ZERO;
            BigDecimal next = now.add(s.delta());
            boolean integer = engine.schema().findObjectType(target.type()).flatMap(t -> t.findField(s.field()))
                    .map(f -> f.type() == org.crmkit.schema.FieldType.INTEGER).orElse(false);
            Object written = integer ? (Object) next.longValueExact() : next;
            return session.records(target.type()).update(target, Map.of(s.field(), written));
        }

        private String text(String field) {
            if (record == null) {
                return "";
            }
            return switch (field) {
                case "id" -> record.id().toString();
                case "owner" -> record.owner();
                case "team" -> record.team() == null ? "" : record.team();
                default -> RuleCel.text(record.values().get(field));
            };
        }

        private void assign(Action.AssignOwner o) {
            List<String> users = o.team() == null ? o.users() : engine.config().teams().members(o.team());
            if (users.isEmpty()) {
                throw new JobFailure("rule " + rule.name() + ": team " + o.team() + " has no members", true);
            }
            String pick;
            if (o.strategy() == Action.AssignStrategy.ROUND_ROBIN) {
                long n = engine.queue().nextValue(tx, "round_robin:" + rule.name());
                pick = users.get((int) ((n - 1) % users.size()));
            } else {
                pick = users.get(0);
                long fewest = Long.MAX_VALUE;
                for (String u : users) {
                    long owned = records().count(Filters.where("owner").eq(u));
                    if (owned < fewest) {
                        fewest = owned;
                        pick = u;
                    }
                }
            }
            if (!pick.equals(record.owner())) {
                record = records().update(record, Map.of("owner", pick));
            }
        }

        private String body(int i) {
            ObjectNode n = JSON.createObjectNode();
            n.put("rule", rule.name()).put("ruleVersion", rule.rule.version()).put("event", run.event())
                    .put("objectType", run.type())
                    .put("recordId", run.record() == null ? null : run.record().toString())
                    .put("idempotencyKey", key(i)).put("sentAt", engine.now().toString());
            rule.visible(run.changed()).forEach(n.putArray("changed")::add);
            if (record != null) {
                ObjectNode r = n.putObject("record");
                r.put("id", record.id().toString()).put("version", record.version()).put("owner", record.owner());
                record.values().entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .forEach(e -> r.set(e.getKey(), jsonValue(e.getValue())));
            }
            return n.toString();
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode jsonValue(Object v) {
        return switch (v) {
            case Money m -> JSON.createObjectNode().put("amount", m.amount().toPlainString())
                    .put("currency", m.currency());
            case Address a -> JSON.valueToTree(a.parts());
            case BigDecimal d -> JSON.getNodeFactory().numberNode(d);
            case Long l -> JSON.getNodeFactory().numberNode(l);
            case Boolean b -> JSON.getNodeFactory().booleanNode(b);
            case List<?> l -> JSON.valueToTree(l.stream().map(Object::toString).toList());
            default -> JSON.getNodeFactory().textNode(v.toString());
        };
    }

    private void custom(String name, Map<String, String> parameters, String rule, String key, CrmSession session,
            @Nullable Record record, ClaimedJob job) {
        CustomAction action = engine.config().actions().get(name);
        if (action == null) {
            throw new JobFailure("no custom action '" + name + "' registered on this node", false);
        }
        action.run(new ActionContext() {
            @Override
            public String rule() {
                return rule;
            }

            @Override
            public Optional<Record> record() {
                return Optional.ofNullable(record);
            }

            @Override
            public CrmSession session() {
                return session;
            }

            @Override
            public Map<String, String> parameters() {
                return parameters;
            }

            @Override
            public String idempotencyKey() {
                return key;
            }

            @Override
            public int attempt() {
                return job.attempt();
            }
        });
    }

    // ---- submitted actions, schedules, dates ------------------------------------------------------------------

    private void submitted(ClaimedJob job, Payloads.Submitted s) {
        engine.context().transaction(Principal.SYSTEM, (session, tx) -> {
            custom(s.action(), s.parameters(), s.action(), job.key(), session, null, job);
            complete(tx, job, List.of());
            return null;
        });
    }

    private void cron(ClaimedJob job, Payloads.Cron c) {
        CompiledRule rule = engine.currentRule(c.rule(), c.version());
        boolean live = rule != null && rule.rule.enabled() && rule.rule.version() == c.version() && rule.cron != null;
        Principal principal = live ? engine.principal(rule.rule) : Principal.SYSTEM;
        engine.context().transaction(principal, (session, tx) -> {
            List<NewJob> follow = new ArrayList<>();
            if (live) {
                Instant now = engine.now();
                String base = "cron:" + rule.name() + ":v" + c.version() + ":" + c.fire().toEpochMilli();
                if (rule.type == null) {
                    if (rule.condition == null
                            || Planner.holds(rule, RuleCel.variables(null, null, null, java.util.Set.of(),
                                    "schedule", now))) {
                        follow.add(engine.rulesJob(base, rule, null, "schedule", now));
                    }
                } else {
                    String after = null;
                    int seen = 0;
                    do {
                        Page<Record> page = session.records(rule.type.name())
                                .query(Query.where(Filter.ALL).limit(500).after(after));
                        for (Record r : page.items()) {
                            if (rule.condition == null || Planner.holds(rule, RuleCel.variables(rule.type, r, null,
                                    java.util.Set.of(), "schedule", now))) {
                                follow.add(engine.rulesJob(base + ":" + r.id(), rule, r.id(), "schedule", now));
                            }
                        }
                        seen += page.items().size();
                        after = page.nextCursor();
                    } while (after != null && seen < MAX_RECORDS_PER_FIRE);
                }
                NewJob next = engine.cronJob(rule, c.fire().isAfter(now) ? c.fire() : now);
                if (next != null) {
                    follow.add(next);
                }
            }
            complete(tx, job, follow);
            return null;
        });
    }

    private void date(ClaimedJob job, Payloads.DateFire d) {
        CompiledRule rule = engine.currentRule(d.rule(), d.version());
        boolean live = rule != null && rule.rule.enabled() && rule.rule.trigger() instanceof Trigger.RelativeToDate
                && rule.type != null;
        Principal principal = live ? engine.principal(rule.rule) : Principal.SYSTEM;
        engine.context().transaction(principal, (session, tx) -> {
            List<NewJob> follow = new ArrayList<>();
            if (live) {
                Record r = session.records(rule.type.name()).find(d.record()).orElse(null);
                Instant now = engine.now();
                if (r != null && d.target().equals(Planner.target(rule, r)) && (rule.condition == null
                        || Planner.holds(rule,
                                RuleCel.variables(rule.type, r, null, java.util.Set.of(), "date", now)))) {
                    follow.add(engine.rulesJob("datefire:" + job.key(), rule, r.id(), "date", now));
                }
            }
            complete(tx, job, follow);
            return null;
        });
    }
}
