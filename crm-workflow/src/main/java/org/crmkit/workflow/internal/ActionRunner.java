package org.crmkit.workflow.internal;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.CrmSession;
import org.crmkit.RecordSet;
import org.crmkit.query.Filters;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.storage.spi.StorageTransaction;
import org.crmkit.storage.support.StorageJson;
import org.crmkit.workflow.Action;
import org.crmkit.workflow.Notification;
import org.crmkit.workflow.Notifier;
import org.crmkit.workflow.TeamDirectory;
import org.crmkit.workflow.Value;
import org.crmkit.workflow.spi.JobQueue.ClaimedJob;
import org.jspecify.annotations.Nullable;

/**
 * Runs the actions of one step of a rule, one case per action kind: CRM actions (set fields, create a record, assign
 * the owner, adjust a score) through the session of whom the rule runs as, moving the step's record state forward;
 * outside calls (notifier, webhook, custom action) with the job's idempotency key. Waits are the step runner's.
 */
final class ActionRunner {
    private final CrmBinding crm;
    private final @Nullable Notifier notifier;
    private final @Nullable TeamDirectory teams;
    private final Webhooks webhooks;
    private final StorageJson json;
    private final CustomActions custom;

    ActionRunner(CrmBinding crm, @Nullable Notifier notifier, @Nullable TeamDirectory teams, Webhooks webhooks,
            StorageJson json, CustomActions custom) {
        this.crm = crm;
        this.notifier = notifier;
        this.teams = teams;
        this.webhooks = webhooks;
        this.json = json;
        this.custom = custom;
    }

    /** Runs actions {@code from} (inclusive) to {@code to} (exclusive) of {@code rule} against {@code record}. */
    void run(CompiledRule rule, Payloads.RulesRun run, ClaimedJob job, CrmSession session, StorageTransaction tx,
            @Nullable Record record, int from, int to) {
        Execution x = new Execution(rule, run, job, session, tx, record);
        for (int i = from; i < to; i++) {
            x.action(i);
        }
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

        /** The trigger record as the step left it; an action on it in a rule without one is refused for good. */
        Record current() {
            Record r = record;
            if (r == null) {
                throw new JobFailure("rule " + rule.name() + " has no record to act on", true);
            }
            return r;
        }

        ObjectType type() {
            ObjectType t = rule.type;
            if (t == null) {
                throw new JobFailure("rule " + rule.name() + " works on no record type", true);
            }
            return t;
        }

        /**
         * Puts the prior values of the encrypted fields the run names into {@code values}: from the change-log entry
         * of the record at the run's version, read through the engine's storage (which decrypts them). An entry gone
         * (erased, or pruned by retention) leaves them empty.
         */
        private void priorFromLog(Record r, Map<String, Object> values) {
            List<String> fields = run.priorFromLog();
            if (fields.isEmpty()) {
                return;
            }
            org.crmkit.event.ChangeLogEntry entry = crm.context().storage().changesOf(r.type(), r.id()).stream()
                    .filter(x -> x.version() == run.version()).reduce((a, b) -> b).orElse(null);
            for (String f : fields) {
                Object v = entry == null ? null : entry.change(f).map(org.crmkit.event.FieldChange::oldValue)
                        .orElse(null);
                if (v == null) {
                    values.remove(f);
                } else {
                    values.put(f, v);
                }
            }
        }

        Map<String, Object> vars() {
            Record before = null;
            Record r = record;
            if (r != null && !run.event().equals("created")) {
                Map<String, Object> values = new HashMap<>(r.values());
                run.prior().forEach((f, value) -> {
                    Object v = json.readValue(value);
                    if (!f.equals("owner") && !f.equals("team")) {
                        if (v == null) {
                            values.remove(f);
                        } else {
                            values.put(f, v);
                        }
                    }
                });
                priorFromLog(r, values);
                before = new Record(r.id(), r.type(), r.version(), r.owner(), r.team(), r.createdAt(), r.createdBy(),
                        r.updatedAt(), r.updatedBy(), r.deletedAt(), values);
            }
            return RuleCel.variables(rule.type, r, before, rule.visible(run.changed()), run.event(), crm.now());
        }

        @Nullable
        Object value(int action, String name, Value v, @Nullable Field target) {
            if (v instanceof Value.Constant c) {
                return c.value();
            }
            RuleCel.Program p = rule.expressions.get(action).get(name);
            if (p == null) {
                throw new JobFailure("rule " + rule.name() + ": " + name + " has no compiled expression", true);
            }
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
            return session.records(current().type());
        }

        void action(int i) {
            Action a = rule.rule.actions().get(i);
            switch (a) {
                case Action.SetFields s -> {
                    if (s.via() == null) {
                        Map<String, Object> values = values(i, s.values(), rule.type);
                        record = records().update(current(), values);
                    } else {
                        Record target = via(s.via());
                        if (target != null) {
                            session.records(target.type()).update(target, values(i, s.values(),
                                    crm.schema().findObjectType(target.type()).orElse(null)));
                        }
                    }
                }
                case Action.CreateRecord c -> session.records(c.objectType()).create(values(i, c.values(),
                        crm.schema().findObjectType(c.objectType()).orElse(null)));
                case Action.AssignOwner o -> assign(o);
                case Action.AdjustScore s -> {
                    Record target = s.via() == null ? current() : via(s.via());
                    if (target != null) {
                        Record after = adjust(target, s);
                        if (s.via() == null) {
                            record = after;
                        }
                    }
                }
                case Action.Notify n -> {
                    Notifier to = notifier;
                    if (to == null) {
                        throw new JobFailure("no notifier configured", true);
                    }
                    Object recipient = value(i, "recipient", n.recipient(), null);
                    String message = Templates.fill(n.message(), f -> text(f));
                    to.send(new Notification(rule.name(), n.channel(), RuleCel.text(recipient), message, run.type(),
                            run.record(), key(i)));
                }
                case Action.Webhook w -> webhooks.post(w.url(), WebhookBody.of(rule, run, rule.visible(run.changed()),
                        record, key(i), crm.now()), key(i), crm.now());
                case Action.Custom c -> custom.run(c.name(), c.parameters(), rule.name(), key(i), session, record,
                        job);
                case Action.Wait w -> {}
            }
        }

        /** The record a reference field of the trigger record points to, as the owner sees it; null when empty. */
        private @Nullable Record via(String field) {
            Object id = current().values().get(field);
            if (!(id instanceof UUID target)) {
                return null;
            }
            String type = type().findField(field).orElseThrow().target();
            if (type == null) {
                throw new JobFailure("rule " + rule.name() + ": " + field + " is not a reference field", true);
            }
            return session.records(type).get(target);
        }

        private Record adjust(Record target, Action.AdjustScore s) {
            Object current = target.values().get(s.field());
            BigDecimal now = current instanceof Long l ? BigDecimal.valueOf(l)
                    : current instanceof BigDecimal d ? d : BigDecimal.ZERO;
            BigDecimal next = now.add(s.delta());
            boolean integer = crm.schema().findObjectType(target.type()).flatMap(t -> t.findField(s.field()))
                    .map(f -> f.type() == FieldType.INTEGER).orElse(false);
            Object written = integer ? (Object) next.longValueExact() : next;
            return session.records(target.type()).update(target, Map.of(s.field(), written));
        }

        private String text(String field) {
            Record r = record;
            if (r == null) {
                return "";
            }
            return switch (field) {
                case "id" -> r.id().toString();
                case "owner" -> r.owner();
                case "team" -> r.team() == null ? "" : String.valueOf(r.team());
                default -> RuleCel.text(r.values().get(field));
            };
        }

        private void assign(Action.AssignOwner o) {
            List<String> users = o.users();
            String team = o.team();
            if (team != null) {
                TeamDirectory directory = teams;
                if (directory == null) {
                    throw new JobFailure("rule " + rule.name() + ": no team directory configured", true);
                }
                users = directory.members(team);
            }
            if (users.isEmpty()) {
                throw new JobFailure("rule " + rule.name() + ": team " + o.team() + " has no members", true);
            }
            String pick;
            if (o.strategy() == Action.AssignStrategy.ROUND_ROBIN) {
                long n = crm.queue().nextValue(tx, "round_robin:" + rule.name());
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
            Record r = current();
            if (!pick.equals(r.owner())) {
                record = records().update(r, Map.of("owner", pick));
            }
        }
    }
}
