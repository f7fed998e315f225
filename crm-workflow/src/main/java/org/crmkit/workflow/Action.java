package org.crmkit.workflow;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One step of a rule, run in order by the rule's job as the rule's owner (with that principal's permissions). Actions
 * on CRM data ({@link SetFields}, {@link CreateRecord}, {@link AssignOwner}, {@link AdjustScore}) that follow each
 * other run in one transaction with the job's completion, so they happen exactly once; {@link Notify},
 * {@link Webhook} and {@link Custom} reach outside and run at least once, each carrying an idempotency key that the
 * receiver uses to act once; {@link Wait} lets the time pass before the next action.
 */
public sealed interface Action {
    /**
     * Sets fields of the trigger record, or with {@code via} (a reference field of the trigger record) of the record it
     * refers to (nothing when it is empty); expressions still see the trigger record.
     */
    record SetFields(Map<String, Value> values, @Nullable String via) implements Action {
        public SetFields {
            Objects.requireNonNull(values, "values");
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }

        /** The same on the record that reference field {@code field} of the trigger record points to. */
        public SetFields via(String field) {
            Objects.requireNonNull(field, "field");
            return new SetFields(values, field);
        }
    }

    /** Creates a record of any type (a task, an activity...), values taken from the trigger record by expressions. */
    record CreateRecord(String objectType, Map<String, Value> values) implements Action {
        public CreateRecord {
            Objects.requireNonNull(values, "values");
            Objects.requireNonNull(objectType, "objectType");
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }
    }

    /**
     * Tells someone through the host's {@link Notifier}: {@code channel} (e.g. "email", "slack"), {@code recipient} and
     * {@code message} are expressions or constants; in the message, {@code {{field}}} is replaced by the record's value.
     */
    record Notify(String channel, Value recipient, String message) implements Action {
        public Notify {
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(recipient, "recipient");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * POSTs the event as JSON to {@code url}, signed (see {@link WebhookSettings}); retried with the job's backoff.
     */
    record Webhook(String url) implements Action {
        public Webhook {
            Objects.requireNonNull(url, "url");
        }
    }

    /**
     * Makes one of the users the owner of the trigger record: the given users, or the members of a team from the
     * host's {@link TeamDirectory}; {@link AssignStrategy#ROUND_ROBIN} takes them in turn (a counter in the storage,
     * shared by every node), {@link AssignStrategy#LEAST_LOADED} the one owning fewest live records of the type.
     */
    record AssignOwner(AssignStrategy strategy, List<String> users, @Nullable String team) implements Action {
        public AssignOwner {
            Objects.requireNonNull(users, "users");
            Objects.requireNonNull(strategy, "strategy");
            users = List.copyOf(users);
        }
    }

    /**
     * Adds {@code delta} (negative: subtracts) to a number field of the trigger record, or with {@code via} of the
     * record a reference field of it points to; empty counts as zero.
     */
    record AdjustScore(String field, BigDecimal delta, @Nullable String via) implements Action {
        public AdjustScore {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(delta, "delta");
        }

        /** The same on the record that reference field {@code reference} of the trigger record points to. */
        public AdjustScore via(String reference) {
            Objects.requireNonNull(reference, "reference");
            return new AdjustScore(field, delta, reference);
        }
    }

    /** Waits, then the rule goes on with its next action (rules after it in the same run do not wait). */
    record Wait(Duration duration) implements Action {
        public Wait {
            Objects.requireNonNull(duration, "duration");
        }
    }

    /** A Java action the host registered by name ({@link Workflow.Builder#action}), with text parameters. */
    record Custom(String name, Map<String, String> parameters) implements Action {
        public Custom {
            Objects.requireNonNull(parameters, "parameters");
            Objects.requireNonNull(name, "name");
            parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        }
    }

    static SetFields setFields(Map<String, Value> values) {
        Objects.requireNonNull(values, "values");
        return new SetFields(values, null);
    }

    static Action createRecord(String objectType, Map<String, Value> values) {
        Objects.requireNonNull(objectType, "objectType");
        Objects.requireNonNull(values, "values");
        return new CreateRecord(objectType, values);
    }

    static Action notify(String channel, Value recipient, String message) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(message, "message");
        return new Notify(channel, recipient, message);
    }

    static Action webhook(String url) {
        Objects.requireNonNull(url, "url");
        return new Webhook(url);
    }

    static Action assignRoundRobin(String... users) {
        Objects.requireNonNull(users, "users");
        return new AssignOwner(AssignStrategy.ROUND_ROBIN, List.of(users), null);
    }

    static Action assignLeastLoaded(String... users) {
        Objects.requireNonNull(users, "users");
        return new AssignOwner(AssignStrategy.LEAST_LOADED, List.of(users), null);
    }

    static Action assignInTeam(AssignStrategy strategy, String team) {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(team, "team");
        return new AssignOwner(strategy, List.of(), team);
    }

    static AdjustScore adjustScore(String field, long delta) {
        Objects.requireNonNull(field, "field");
        return new AdjustScore(field, BigDecimal.valueOf(delta), null);
    }

    static Action waitFor(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        return new Wait(duration);
    }

    static Action custom(String name, Map<String, String> parameters) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(parameters, "parameters");
        return new Custom(name, parameters);
    }

    /** How {@link AssignOwner} picks the owner. */
    enum AssignStrategy {
        ROUND_ROBIN,
        LEAST_LOADED
    }
}
