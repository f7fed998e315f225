package org.crmkit.merge;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Which value each field of the surviving record takes in a {@link org.crmkit.RecordSet#merge merge}: an immutable
 * value built with {@link #defaults()} and {@link #take}/{@link #value}. A field not named keeps the survivor's
 * value, or, when the survivor's is empty, takes the first non-empty value of the merged records in the order they
 * were given. A field named here must be one the caller may edit, as for an update.
 *
 * <pre>{@code
 * FieldChoices choices = FieldChoices.defaults()
 *         .take("email", duplicateId)           // the duplicate's email wins
 *         .value("phone", "+44 20 7946 0958");  // or a new value, converted as an update would
 * }</pre>
 *
 * @param choices what each named field takes, by field API name, in the order given
 */
public record FieldChoices(Map<String, Choice> choices) {

    /** What one field takes. */
    public sealed interface Choice {}

    /**
     * The value (empty or not) that one of the merged records, or the survivor, holds.
     *
     * @param recordId the survivor's id or one of the others'
     */
    public record From(UUID recordId) implements Choice {
        public From {
            Objects.requireNonNull(recordId, "recordId");
        }
    }

    /**
     * A value given by the caller, converted and checked as in an update; null clears the field.
     *
     * @param value the value, in any form the field's type accepts
     */
    public record Given(@Nullable Object value) implements Choice {}

    public FieldChoices {
        Objects.requireNonNull(choices, "choices");
        choices.forEach((k, v) -> {
            Objects.requireNonNull(k, "field");
            Objects.requireNonNull(v, "choice");
        });
        choices = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(choices));
    }

    /** No field named: every field follows the default rule. */
    public static FieldChoices defaults() {
        return new FieldChoices(Map.of());
    }

    /** A copy in which {@code field} takes the value of the record {@code recordId} (empty included). */
    public FieldChoices take(String field, UUID recordId) {
        return with(field, new From(Objects.requireNonNull(recordId, "recordId")));
    }

    /** A copy in which {@code field} takes {@code value} (null clears it). */
    public FieldChoices value(String field, @Nullable Object value) {
        return with(field, new Given(value));
    }

    private FieldChoices with(String field, Choice choice) {
        Objects.requireNonNull(field, "field");
        Map<String, Choice> next = new LinkedHashMap<>(choices);
        next.put(field, choice);
        return new FieldChoices(next);
    }
}
