package org.crmkit.workflow.internal;

import dev.cel.common.types.CelType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.internal.cel.CelTypes;
import org.crmkit.plugin.spi.EngineContext;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.workflow.Action;
import org.crmkit.workflow.Rule;
import org.crmkit.workflow.Trigger;
import org.crmkit.workflow.Value;
import org.jspecify.annotations.Nullable;

/**
 * Checks a rule against the schema, the workflow's settings and the access of the principal it runs as, and compiles
 * it; every problem is collected and thrown at once as a {@link ValidationException} on {@code "rule <name>"}, each
 * error under the path of the bad part. The rule sees its types through {@link RunAsAccess#view}: a field hidden from
 * its principal is unknown to its trigger, condition and expressions, exactly as a field that does not exist.
 */
final class RuleChecker {
    private static final Duration MAX_WAIT = Duration.ofDays(366);
    private static final java.util.Set<String> SYSTEM_WRITABLE = java.util.Set.of("owner", "team");

    private final WorkflowConfig config;
    private final AddressGuard guard;
    private final Map<List<Object>, ObjectType> views = RunAsAccess.viewCache();

    RuleChecker(WorkflowConfig config, AddressGuard guard) {
        this.config = config;
        this.guard = guard;
    }

    CompiledRule check(Rule r, SchemaSnapshot schema, EngineContext engine) {
        List<FieldError> errors = new ArrayList<>();
        if (!WorkflowConfig.NAME.matcher(r.name()).matches()) {
            errors.add(new FieldError("name", FieldErrorCode.WRONG_TYPE, "rule name '" + shown(r.name())
                    + "' is not an identifier ([a-z][a-z0-9_]{0,39})"));
        }
        if (r.description() != null && r.description().length() > 1000) {
            errors.add(new FieldError("description", FieldErrorCode.TOO_LONG, "description longer than 1,000"));
        }
        boolean needsNoRecord = r.trigger() instanceof Trigger.Schedule || r.trigger() instanceof Trigger.Manual;
        RunAsAccess access = RunAsAccess.of(RunAsAccess.principal(r, config.roles(), errors), views, engine);
        ObjectType type = null;
        if (r.objectType() == null) {
            if (!needsNoRecord) {
                errors.add(
                        new FieldError("objectType", FieldErrorCode.REQUIRED, "a record trigger needs an object type"));
            }
        } else {
            type = schema.findObjectType(r.objectType()).orElse(null);
            if (type == null) {
                errors.add(new FieldError("objectType", FieldErrorCode.UNKNOWN_OPTION, "no object type '"
                        + shown(r.objectType()) + "'"));
            } else if (access.restricted()) {
                access.require(type.name(), org.crmkit.security.Permission.READ, "objectType", errors);
                type = access.view(type);
            }
        }
        boolean typeKnown = r.objectType() == null || type != null;
        CronSchedule cron = trigger(r.trigger(), type, typeKnown, errors);
        RuleCel.Program condition = null;
        if (r.condition() != null && typeKnown) {
            try {
                condition = RuleCel.condition(type, r.condition());
                priorFields(type, r.condition(), "condition", access, errors);
            } catch (RuleCel.CompileError e) {
                errors.add(new FieldError("condition", FieldErrorCode.RULE_VIOLATED, "condition " + e.getMessage()
                        + seenAs(access)));
            }
        }
        List<Map<String, RuleCel.Program>> expressions = new ArrayList<>();
        if (r.actions().isEmpty()) {
            errors.add(new FieldError("actions", FieldErrorCode.REQUIRED, "a rule needs at least one action"));
        }
        if (r.actions().size() > 50) {
            errors.add(new FieldError("actions", FieldErrorCode.OUT_OF_RANGE, "at most 50 actions"));
        }
        for (int i = 0; i < r.actions().size(); i++) {
            expressions.add(action(r.actions().get(i), "actions[" + i + "]", type, typeKnown, schema, access,
                    errors));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException("rule " + shown(r.name()), errors);
        }
        return new CompiledRule(r, type, condition, expressions, cron, schema.version());
    }

    /** {@code prior.x} where x is no field the rule sees: an error, as a field variable x would be. */
    private static void priorFields(@Nullable ObjectType type, String cel, String path, RunAsAccess access,
            List<FieldError> errors) {
        for (String name : PriorFields.unknown(type, cel)) {
            errors.add(new FieldError(path, FieldErrorCode.UNKNOWN_FIELD, "prior has no field '" + shown(name) + "'"
                    + seenAs(access)));
        }
    }

    private static String seenAs(RunAsAccess access) {
        return access.restricted() ? " (the rule runs as " + access.who() + " and sees only the fields "
                + access.who() + " can read)" : "";
    }

    static String shown(@Nullable String s) {
        if (s == null) {
            return "null";
        }
        String clean = s.codePoints().filter(c -> c >= 0x20 && c != 0x7f)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() > 60 ? clean.substring(0, 60) + "..." : clean;
    }

    private @Nullable CronSchedule trigger(Trigger t, @Nullable ObjectType type, boolean typeKnown,
            List<FieldError> errors) {
        switch (t) {
            case Trigger.FieldChanged f -> field(type, typeKnown, f.field(), "trigger.field", errors);
            case Trigger.StageChanged s -> {
                if (typeKnown && (type == null || type.findField("stage").isEmpty())) {
                    errors.add(new FieldError("trigger", FieldErrorCode.UNKNOWN_FIELD, "a stage trigger needs a type "
                            + "with a pipeline stage (deal)"));
                }
            }
            case Trigger.Converted c -> {
                if (typeKnown && (type == null || !type.name().equals("lead"))) {
                    errors.add(new FieldError("trigger", FieldErrorCode.WRONG_TYPE, "a converted trigger needs the "
                            + "lead type"));
                }
            }
            case Trigger.Schedule s -> {
                try {
                    return CronSchedule.parse(s.cron(), s.zone());
                } catch (IllegalArgumentException e) {
                    String message = String.valueOf(e.getMessage());
                    errors.add(new FieldError(message.startsWith("unknown time zone") ? "trigger.zone"
                            : "trigger.cron", FieldErrorCode.WRONG_TYPE, message));
                }
            }
            case Trigger.RelativeToDate d -> {
                Field f = field(type, typeKnown, d.field(), "trigger.field", errors);
                if (f != null && f.type() != FieldType.DATE && f.type() != FieldType.DATETIME) {
                    errors.add(new FieldError("trigger.field", FieldErrorCode.WRONG_TYPE, d.field()
                            + " is not a date or datetime field"));
                }
                if (d.offset().abs().compareTo(Duration.ofDays(3660)) > 0) {
                    errors.add(new FieldError("trigger.offset", FieldErrorCode.OUT_OF_RANGE, "offset beyond 10 years"));
                }
            }
            default -> {}
        }
        return null;
    }

    private static @Nullable Field field(@Nullable ObjectType type, boolean typeKnown, String name, String path,
            List<FieldError> errors) {
        if (!typeKnown) {
            return null;
        }
        Field f = type == null ? null : type.findField(name).orElse(null);
        if (f == null) {
            errors.add(new FieldError(path, FieldErrorCode.UNKNOWN_FIELD, (type == null ? "the rule" : type.name())
                    + " has no field '" + shown(name) + "'"));
        }
        return f;
    }

    private Map<String, RuleCel.Program> action(Action a, String path, @Nullable ObjectType type, boolean typeKnown,
            SchemaSnapshot schema, RunAsAccess access, List<FieldError> errors) {
        Map<String, RuleCel.Program> programs = new HashMap<>();
        boolean needsRecord = switch (a) {
            case Action.SetFields s -> true;
            case Action.AssignOwner o -> true;
            case Action.AdjustScore s -> true;
            default -> false;
        };
        if (needsRecord && typeKnown && type == null) {
            errors.add(
                    new FieldError(path, FieldErrorCode.UNSUPPORTED_OPERATION, "this action needs a trigger record"));
            return programs;
        }
        switch (a) {
            case Action.SetFields s -> {
                if (s.values().isEmpty()) {
                    errors.add(new FieldError(path + ".values", FieldErrorCode.REQUIRED, "no fields to set"));
                }
                ObjectType target = via(s.via(), path, type, typeKnown, schema, access, errors);
                if (target != null) {
                    access.require(target.name(), org.crmkit.security.Permission.UPDATE, path, errors);
                }
                values(s.values(), path, target, typeKnown, type, access, programs, errors);
            }
            case Action.CreateRecord c -> {
                ObjectType target = schema.findObjectType(c.objectType()).map(access::view).orElse(null);
                if (target == null) {
                    errors.add(new FieldError(path + ".objectType", FieldErrorCode.UNKNOWN_OPTION, "no object type '"
                            + shown(c.objectType()) + "'"));
                } else {
                    access.require(target.name(), org.crmkit.security.Permission.CREATE, path + ".objectType", errors);
                    values(c.values(), path, target, typeKnown, type, access, programs, errors);
                    for (Field f : target.fields()) {
                        if (f.required() && f.defaultValue() == null && !f.deprecated()
                                && !c.values().containsKey(f.name())) {
                            errors.add(new FieldError(path + ".values." + f.name(), FieldErrorCode.REQUIRED,
                                    target.name() + "." + f.name() + " is required"));
                        }
                    }
                }
            }
            case Action.Notify n -> {
                if (config.notifier() == null) {
                    errors.add(new FieldError(path, FieldErrorCode.UNSUPPORTED_OPERATION, "no notifier configured "
                            + "(Workflow.Builder.notifier)"));
                }
                if (n.channel().isBlank() || n.channel().length() > 100) {
                    errors.add(new FieldError(path + ".channel", FieldErrorCode.WRONG_TYPE, "1 to 100 characters"));
                }
                if (n.message().length() > 4000) {
                    errors.add(new FieldError(path + ".message", FieldErrorCode.TOO_LONG, "at most 4,000 characters"));
                }
                expression(n.recipient(), path + ".recipient", null, typeKnown, type, "recipient", access, programs,
                        errors);
                for (String name : Templates.names(n.message())) {
                    if (typeKnown && (type == null || type.findField(name).isEmpty())
                            && !java.util.Set.of("id", "owner", "team").contains(name)) {
                        errors.add(new FieldError(path + ".message", FieldErrorCode.UNKNOWN_FIELD, "{{" + shown(name)
                                + "}} names no field"));
                    }
                }
            }
            case Action.Webhook w -> {
                if (config.webhooks().secret().isEmpty()) {
                    errors.add(new FieldError(path, FieldErrorCode.UNSUPPORTED_OPERATION, "no webhook secret "
                            + "configured (WebhookSettings.secret; WebhookSettings.newSecret() makes one)"));
                }
                String problem = guard.checkUrl(w.url(), false);
                if (problem != null) {
                    errors.add(new FieldError(path + ".url", FieldErrorCode.INVALID_URL, problem));
                }
            }
            case Action.AssignOwner o -> {
                if (o.users().isEmpty() == (o.team() == null)) {
                    errors.add(new FieldError(path, FieldErrorCode.REQUIRED, "give either users or a team"));
                } else if (o.team() != null && config.teams() == null) {
                    errors.add(new FieldError(path + ".team", FieldErrorCode.UNSUPPORTED_OPERATION, "no team directory "
                            + "configured (Workflow.Builder.teams)"));
                }
                if (type != null) {
                    access.require(type.name(), org.crmkit.security.Permission.UPDATE, path, errors);
                    access.require(type.name(), org.crmkit.security.Permission.TRANSFER, path, errors);
                }
                for (String u : o.users()) {
                    if (u == null || u.isBlank() || u.length() > 255) {
                        errors.add(new FieldError(path + ".users", FieldErrorCode.WRONG_TYPE, "user ids are 1 to 255 "
                                + "characters"));
                    }
                }
            }
            case Action.AdjustScore s -> {
                ObjectType target = via(s.via(), path, type, typeKnown, schema, access, errors);
                Field f = target == null ? null : field(target, typeKnown, s.field(), path + ".field", errors);
                if (f != null && target != null) {
                    access.require(target.name(), org.crmkit.security.Permission.UPDATE, path, errors);
                    access.requireEditable(target.name(), f.name(), path + ".field", errors);
                }
                if (f != null && f.type() != FieldType.INTEGER && f.type() != FieldType.DECIMAL
                        && f.type() != FieldType.PERCENT) {
                    errors.add(new FieldError(path + ".field", FieldErrorCode.WRONG_TYPE, s.field()
                            + " is not an integer, decimal or percent field"));
                } else if (f != null && f.type() == FieldType.INTEGER && s.delta().stripTrailingZeros().scale() > 0) {
                    errors.add(new FieldError(path + ".delta", FieldErrorCode.TOO_PRECISE, "an integer field takes "
                            + "whole steps"));
                }
            }
            case Action.Wait w -> {
                if (w.duration().isNegative() || w.duration().isZero() || w.duration().compareTo(MAX_WAIT) > 0) {
                    errors.add(new FieldError(path + ".duration", FieldErrorCode.OUT_OF_RANGE, "wait must be more than "
                            + "0 and at most 366 days"));
                }
            }
            case Action.Custom c -> {
                if (!config.actions().containsKey(c.name())) {
                    errors.add(new FieldError(path + ".name", FieldErrorCode.UNKNOWN_OPTION, "no custom action '"
                            + shown(c.name()) + "' registered (Workflow.Builder.action)"));
                }
            }
        }
        return programs;
    }

    /** The type an action writes to: the trigger type, or the target of its reference field {@code via}. */
    private static @Nullable ObjectType via(@Nullable String via, String path, @Nullable ObjectType type,
            boolean typeKnown, SchemaSnapshot schema, RunAsAccess access, List<FieldError> errors) {
        if (via == null || type == null) {
            return type;
        }
        Field ref = field(type, typeKnown, via, path + ".via", errors);
        if (ref == null) {
            return null;
        }
        if (ref.type() != FieldType.REFERENCE || ref.target() == null) {
            errors.add(new FieldError(path + ".via", FieldErrorCode.WRONG_TYPE, via + " is not a reference field"));
            return null;
        }
        return schema.findObjectType(ref.target()).map(access::view).orElse(null);
    }

    /** Checks the values of a write to {@code target}, compiling expressions against the trigger type. */
    private static void values(Map<String, Value> values, String path, @Nullable ObjectType target, boolean typeKnown,
            @Nullable ObjectType trigger, RunAsAccess access, Map<String, RuleCel.Program> programs,
            List<FieldError> errors) {
        if (target == null) {
            return;
        }
        for (Map.Entry<String, Value> e : values.entrySet()) {
            String p = path + ".values." + e.getKey();
            Field f = target.findField(e.getKey()).orElse(null);
            if (f == null && !SYSTEM_WRITABLE.contains(e.getKey())) {
                errors.add(new FieldError(p, FieldErrorCode.UNKNOWN_FIELD, target.name() + " has no field '"
                        + shown(e.getKey()) + "'"));
                continue;
            }
            if (f != null && f.type() == FieldType.FORMULA) {
                errors.add(new FieldError(p, FieldErrorCode.READ_ONLY, "formula fields are computed"));
                continue;
            }
            if (f != null && f.isRollup()) {
                errors.add(new FieldError(p, FieldErrorCode.READ_ONLY, "roll-up fields are kept by CRMKit"));
                continue;
            }
            if (f == null) {
                access.require(target.name(), org.crmkit.security.Permission.TRANSFER, p, errors);
            } else {
                access.requireEditable(target.name(), f.name(), p, errors);
            }
            if (e.getValue() instanceof Value.Constant c) {
                String problem = constantProblem(f, c.value());
                if (problem != null) {
                    errors.add(new FieldError(p, FieldErrorCode.WRONG_TYPE, problem));
                }
            } else {
                expression(e.getValue(), p, f, typeKnown, trigger, e.getKey(), access, programs, errors);
            }
        }
    }

    private static @Nullable String constantProblem(@Nullable Field f, @Nullable Object v) {
        if (v == null || f == null) {
            return v == null || v instanceof String ? null : "owner and team take text";
        }
        boolean ok = switch (f.type()) {
            case INTEGER -> v instanceof Long || v instanceof String;
            case DECIMAL, PERCENT, CURRENCY -> v instanceof Number || v instanceof String;
            case BOOLEAN -> v instanceof Boolean || v instanceof String;
            default -> v instanceof String;
        };
        return ok ? null : f.name() + " (" + f.type() + ") cannot take " + v.getClass().getSimpleName() + " " + v;
    }

    private static void expression(Value v, String path, @Nullable Field target, boolean typeKnown,
            @Nullable ObjectType trigger, String key, RunAsAccess access, Map<String, RuleCel.Program> programs,
            List<FieldError> errors) {
        if (!(v instanceof Value.Expression e) || !typeKnown) {
            return;
        }
        try {
            RuleCel.Program p = RuleCel.compile(trigger, e.cel(), null);
            priorFields(trigger, e.cel(), path, access, errors);
            CelType t = p.resultType();
            if (target != null && !CelTypes.assignable(t, target)) {
                errors.add(new FieldError(path, FieldErrorCode.WRONG_TYPE, "expression gives " + t + ", which "
                        + target.name() + " (" + target.type() + ") cannot take"));
            } else {
                programs.put(key, p);
            }
        } catch (RuleCel.CompileError ex) {
            errors.add(new FieldError(path, FieldErrorCode.RULE_VIOLATED, "expression " + ex.getMessage()
                    + seenAs(access)));
        }
    }
}
