package org.crmkit.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An automation rule: when {@link #trigger()} fires on a record of {@link #objectType()} and {@link #condition()}
 * holds, run {@link #actions()} in order as {@link #runAs()}. Rules of one change run one after another by
 * {@link #order()} (then name). Immutable; build with {@link #builder(String)}, save with {@link Rules#save}, which
 * checks it against the schema (the CEL is type-checked then) and against the access of the principal it runs as,
 * and gives it its {@link #version()}.
 *
 * <p>A rule runs as the principal that saved it, unless it names another in {@link #runAs()}, which only a saver with
 * {@link org.crmkit.security.AdminPermission#RUN_RULES_AS_OTHERS} may do. Its trigger field, condition and value
 * expressions see only the fields that principal can read; its actions write only what that principal may write,
 * through a session as that principal (so its record scope applies too).
 *
 * <pre>{@code
 * Rule won = Rule.builder("deal_won")
 *     .on("deal", Trigger.stageChanged().to("closed_won"))
 *     .then(Action.setFields(Map.of("close_date", Value.cel("now"))))
 *     .then(Action.webhook("https://finance.example.com/hooks/won"))
 *     .runAs(RunAs.user("u-ops", "admin"))          // optional: without it, the saver
 *     .build();
 * }</pre>
 *
 * @param name       identifier ({@code [a-z][a-z0-9_]{0,39}}), unique among rules
 * @param objectType the records it works on; null only for a {@link Trigger.Schedule} or {@link Trigger.Manual} rule
 *                   that needs no record
 * @param condition  a CEL expression that must be true, or null for always
 * @param runAs      whom the actions run as; null (the default) for the principal that saves the rule, which
 *                   {@link Rules#save} records here
 * @param enabled    whether it fires; disabled rules keep their definition
 * @param order      rules of one change run in increasing order (ties by name)
 * @param version    1 for the first saved version, raised by every save; 0 for a rule never saved
 * @param savedBy    the id of the principal that saved this version; null for a rule never saved
 */
public record Rule(String name, @Nullable String description, @Nullable String objectType, Trigger trigger,
        @Nullable String condition, List<Action> actions, @Nullable RunAs runAs, boolean enabled, int order,
        long version, @Nullable String savedBy) {
    public Rule {
        Objects.requireNonNull(actions, "actions");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(trigger, "trigger");
        actions = List.copyOf(actions);
    }

    public static Builder builder(String name) {
        Objects.requireNonNull(name, "name");
        return new Builder(name);
    }

    /** A copy with another enabled flag. */
    public Rule enabled(boolean on) {
        return new Rule(name, description, objectType, trigger, condition, actions, runAs, on, order, version,
                savedBy);
    }

    /** A copy at another version (what {@link Rules#save} returns). */
    public Rule withVersion(long v) {
        return new Rule(name, description, objectType, trigger, condition, actions, runAs, enabled, order, v,
                savedBy);
    }

    /** A copy running as another principal (null: whoever saves it next). */
    public Rule withRunAs(@Nullable RunAs principal) {
        return new Rule(name, description, objectType, trigger, condition, actions, principal, enabled, order, version,
                savedBy);
    }

    /** A copy recording who saved it (what {@link Rules#save} returns). */
    public Rule withSavedBy(@Nullable String principalId) {
        return new Rule(name, description, objectType, trigger, condition, actions, runAs, enabled, order, version,
                principalId);
    }

    /** A builder holding the rule's parts; a copy to change. */
    public Builder toBuilder() {
        Builder b = new Builder(name).description(description).runAs(runAs).enabled(enabled).order(order);
        b.objectType = objectType;
        b.trigger = trigger;
        b.condition = condition;
        b.actions.addAll(actions);
        return b;
    }

    /** Builds a {@link Rule}; the checks that need the schema run when it is saved. */
    public static final class Builder {
        private final String name;
        private @Nullable String description;
        private @Nullable String objectType;
        private @Nullable Trigger trigger;
        private @Nullable String condition;
        private final List<Action> actions = new ArrayList<>();
        private @Nullable RunAs runAs;
        private boolean enabled = true;
        private int order;

        private Builder(String name) {
            this.name = name;
        }

        public Builder description(@Nullable String text) {
            this.description = text;
            return this;
        }

        /** The object type and the trigger. */
        public Builder on(@Nullable String objectType, Trigger trigger) {
            Objects.requireNonNull(trigger, "trigger");
            this.objectType = objectType;
            this.trigger = trigger;
            return this;
        }

        /** A trigger needing no record (a schedule or manual rule without object type). */
        public Builder on(Trigger trigger) {
            Objects.requireNonNull(trigger, "trigger");
            return on(null, trigger);
        }

        /** The CEL condition; null for always. */
        public Builder when(@Nullable String cel) {
            this.condition = cel;
            return this;
        }

        /** Appends an action. */
        public Builder then(Action action) {
            Objects.requireNonNull(action, "action");
            actions.add(action);
            return this;
        }

        public Builder actions(List<Action> all) {
            Objects.requireNonNull(all, "all");
            actions.clear();
            actions.addAll(all);
            return this;
        }

        /**
         * Whom the actions run as (default, or null: the principal that saves the rule). Naming anyone else, the
         * system principal included, needs {@link org.crmkit.security.AdminPermission#RUN_RULES_AS_OTHERS}.
         */
        public Builder runAs(@Nullable RunAs principal) {
            this.runAs = principal;
            return this;
        }

        public Builder enabled(boolean on) {
            this.enabled = on;
            return this;
        }

        public Builder order(int position) {
            this.order = position;
            return this;
        }

        public Rule build() {
            if (trigger == null) {
                throw new IllegalStateException("rule " + name + " has no trigger: call on(...)");
            }
            return new Rule(name, description, objectType, trigger, condition, actions, runAs, enabled, order, 0,
                    null);
        }
    }
}
