package org.crmkit.workflow.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.event.Operation;
import org.crmkit.internal.cel.CelValues;
import org.crmkit.record.Record;
import org.crmkit.schema.ObjectType;
import org.crmkit.workflow.Action;
import org.crmkit.workflow.Rule;
import org.crmkit.workflow.Trigger;
import org.jspecify.annotations.Nullable;

/**
 * A checked rule with its CEL compiled against the schema version it was checked with, and its actions cut into
 * steps: a run of CRM actions (one transaction), one outside action, or a wait.
 */
final class CompiledRule {
    /** The mark a merge leaves on the survivor's change-log entry (the merged ids; crm-core's merge writes it). */
    private static final String MERGED_FROM = "merged_from";

    enum StepKind {
        CRM, OUTSIDE, WAIT
    }

    /** Actions {@code from} (inclusive) to {@code to} (exclusive) of the rule. */
    record Step(int from, int to, StepKind kind) {}

    final Rule rule;
    final @Nullable ObjectType type;
    final RuleCel.@Nullable Program condition;
    /** Per action index: its compiled expressions by value name (field, or "recipient"). */
    final List<Map<String, RuleCel.Program>> expressions;
    final List<Step> steps;
    final @Nullable CronSchedule cron;
    final long schemaVersion;
    /** The names of the fields the rule sees (its type may be a view without those hidden from whom it runs as). */
    private final java.util.Set<String> seen;

    CompiledRule(Rule rule, @Nullable ObjectType type, RuleCel.@Nullable Program condition,
            List<Map<String, RuleCel.Program>> expressions, @Nullable CronSchedule cron, long schemaVersion) {
        this.rule = rule;
        this.type = type;
        this.condition = condition;
        this.expressions = List.copyOf(expressions);
        this.cron = cron;
        this.schemaVersion = schemaVersion;
        this.steps = steps(rule.actions());
        this.seen = type == null ? java.util.Set.of() : java.util.Set.copyOf(type.fields().stream().map(
                org.crmkit.schema.Field::name).toList());
    }

    /** The changed fields the rule may know of: those it sees, and owner and team. */
    java.util.Set<String> visible(java.util.Collection<String> changed) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (String f : changed) {
            if (seen.contains(f) || f.equals("owner") || f.equals("team")) {
                out.add(f);
            }
        }
        return out;
    }

    private static List<Step> steps(List<Action> actions) {
        List<Step> out = new ArrayList<>();
        int i = 0;
        while (i < actions.size()) {
            StepKind k = kind(actions.get(i));
            int j = i + 1;
            if (k == StepKind.CRM) {
                while (j < actions.size() && kind(actions.get(j)) == StepKind.CRM) {
                    j++;
                }
            }
            out.add(new Step(i, j, k));
            i = j;
        }
        return out;
    }

    static StepKind kind(Action a) {
        return switch (a) {
            case Action.SetFields s -> StepKind.CRM;
            case Action.CreateRecord c -> StepKind.CRM;
            case Action.AssignOwner o -> StepKind.CRM;
            case Action.AdjustScore s -> StepKind.CRM;
            case Action.Wait w -> StepKind.WAIT;
            case Action.Notify n -> StepKind.OUTSIDE;
            case Action.Webhook w -> StepKind.OUTSIDE;
            case Action.Custom c -> StepKind.OUTSIDE;
        };
    }

    String name() {
        return rule.name();
    }

    boolean recordTriggered() {
        return switch (rule.trigger()) {
            case Trigger.Created c -> true;
            case Trigger.Updated u -> true;
            case Trigger.CreatedOrUpdated c -> true;
            case Trigger.Deleted d -> true;
            case Trigger.FieldChanged f -> true;
            case Trigger.StageChanged s -> true;
            case Trigger.Converted c -> true;
            case Trigger.Merged m -> true;
            default -> false;
        };
    }

    /** Whether the trigger fires for this change-log entry ({@code before} null on create). */
    boolean fires(ChangeLogEntry e, @Nullable Record before, Record after) {
        boolean createOrUpdate = e.operation() == Operation.CREATE || e.operation() == Operation.UPDATE;
        return switch (rule.trigger()) {
            case Trigger.Created c -> e.operation() == Operation.CREATE;
            case Trigger.Updated u -> e.operation() == Operation.UPDATE;
            case Trigger.CreatedOrUpdated c -> createOrUpdate;
            case Trigger.Deleted d -> e.operation() == Operation.DELETE;
            case Trigger.FieldChanged f -> createOrUpdate && changed(e, f.field(), f.from(), f.to());
            case Trigger.StageChanged s -> createOrUpdate && changed(e, "stage", s.from(), s.to());
            case Trigger.Converted c -> e.operation() == Operation.UPDATE && e.objectType().equals("lead")
                    && changed(e, "status", null, "converted");
            case Trigger.Merged m -> e.operation() == Operation.UPDATE && e.change(MERGED_FROM).isPresent();
            default -> false;
        };
    }

    private static boolean changed(ChangeLogEntry e, String field, @Nullable String from, @Nullable String to) {
        FieldChange c = e.change(field).orElse(null);
        if (c == null) {
            return false;
        }
        return (from == null || Objects.equals(from, CelValues.text(c.oldValue())))
                && (to == null || Objects.equals(to, CelValues.text(c.newValue())));
    }
}
