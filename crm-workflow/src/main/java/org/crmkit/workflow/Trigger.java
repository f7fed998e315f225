package org.crmkit.workflow;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What starts a rule. Record triggers ({@link Created}, {@link Updated}, {@link CreatedOrUpdated}, {@link Deleted},
 * {@link FieldChanged}, {@link StageChanged}, {@link Converted}, {@link Merged}) fire in the transaction of the change, so the rule's job commits with
 * it; {@link Schedule} fires on a cron schedule; {@link RelativeToDate} fires at a time relative to a date field and
 * is planned again when the date changes; {@link Manual} fires only through {@link Rules#run}.
 */
public sealed interface Trigger {
    /** A record was created. */
    record Created() implements Trigger {}

    /** A record was updated (values, owner or team changed; soft delete and restore are not updates). */
    record Updated() implements Trigger {}

    /** A record was created or updated. */
    record CreatedOrUpdated() implements Trigger {}

    /** A record was soft-deleted. */
    record Deleted() implements Trigger {}

    /**
     * A field changed on create or update, optionally only from and/or to given values (compared by their text:
     * {@code "closed_won"}, {@code "42"}, {@code "2026-03-01"}, {@code "true"}); {@code null} matches any value.
     */
    record FieldChanged(String field, @Nullable String from, @Nullable String to) implements Trigger {
        public FieldChanged {
            Objects.requireNonNull(field, "field");
        }

        public FieldChanged from(String value) {
            Objects.requireNonNull(value, "value");
            return new FieldChanged(field, value, to);
        }

        public FieldChanged to(String value) {
            Objects.requireNonNull(value, "value");
            return new FieldChanged(field, from, value);
        }
    }

    /** A deal's pipeline stage changed, optionally from and/or to given stages. */
    record StageChanged(@Nullable String from, @Nullable String to) implements Trigger {
        public StageChanged from(String stage) {
            Objects.requireNonNull(stage, "stage");
            return new StageChanged(stage, to);
        }

        public StageChanged to(String stage) {
            Objects.requireNonNull(stage, "stage");
            return new StageChanged(from, stage);
        }
    }

    /**
     * A lead was converted ({@code session.leads().convert}): its {@code status} changed to {@code converted}. It
     * fires in the conversion's transaction, where the lead already links to what it became
     * ({@code converted_contact}, {@code converted_company}, {@code converted_deal}). Only for the {@code lead} type.
     */
    record Converted() implements Trigger {}

    /**
     * Records were merged into a record of the type ({@code records.merge}): it fires once per merge, for the
     * survivor, in the merge's transaction, where the references of the merged records already point at it. The
     * merged records' deletions fire {@link Deleted} rules as any deletion does. For any type.
     */
    record Merged() implements Trigger {}

    /**
     * A cron schedule (Unix syntax, five fields: {@code "0 9 * * MON"}) in a time zone (an IANA id, e.g.
     * {@code "Europe/London"}). With an object type, each fire runs the rule for every live record of the type that
     * meets the condition; without one, once.
     */
    record Schedule(String cron, String zone) implements Trigger {
        public Schedule {
            Objects.requireNonNull(cron, "cron");
            Objects.requireNonNull(zone, "zone");
        }
    }

    /**
     * At {@code offset} from the value of a date or datetime field (negative: before; a date counts from its midnight
     * UTC), for every record holding a value; planned when the value is set, moved when it changes, dropped when it is
     * cleared or the record is deleted. Times already past when planned are not run.
     */
    record RelativeToDate(String field, Duration offset) implements Trigger {
        public RelativeToDate {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(offset, "offset");
        }
    }

    /** Only when started by hand ({@link Rules#run}). */
    record Manual() implements Trigger {}

    static Trigger created() {
        return new Created();
    }

    static Trigger updated() {
        return new Updated();
    }

    static Trigger createdOrUpdated() {
        return new CreatedOrUpdated();
    }

    static Trigger deleted() {
        return new Deleted();
    }

    static FieldChanged fieldChanged(String field) {
        Objects.requireNonNull(field, "field");
        return new FieldChanged(field, null, null);
    }

    static StageChanged stageChanged() {
        return new StageChanged(null, null);
    }

    static Trigger converted() {
        return new Converted();
    }

    static Trigger merged() {
        return new Merged();
    }

    static Trigger schedule(String cron, String zone) {
        Objects.requireNonNull(cron, "cron");
        Objects.requireNonNull(zone, "zone");
        return new Schedule(cron, zone);
    }

    static Trigger relativeTo(String field, Duration offset) {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(offset, "offset");
        return new RelativeToDate(field, offset);
    }

    static Trigger manual() {
        return new Manual();
    }
}
