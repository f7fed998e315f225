package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.internal.schema.NameRules;
import org.crmkit.internal.value.ValueConverter;
import org.crmkit.merge.FieldChoices;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.FieldAccess;
import org.jspecify.annotations.Nullable;

/**
 * The values a merge's survivor ends with: each field the caller names in {@link FieldChoices} takes the chosen
 * record's value or the given one (checked as an update checks it: a hidden or unknown field is
 * {@code UNKNOWN_FIELD} with the same message, so a choice tells nothing of a hidden field; a formula or a field
 * that is not editable for the caller is {@code READ_ONLY}); every other field keeps the survivor's value, or,
 * when that is empty, the first non-empty value of the merged records in the order given (hidden fields included:
 * the merge keeps data the caller cannot see, without showing it). References and relations to the merged records
 * then point at the survivor, and a reference of the survivor to itself is cleared.
 */
final class MergeValues {
    private static final Set<String> SYSTEM = Set.of("id", "version", "owner", "team", "created_at", "created_by",
            "updated_at", "updated_by", "deleted_at");

    private final String type;
    private final ValueConverter converter;

    MergeValues(String type, ValueConverter converter) {
        this.type = type;
        this.converter = converter;
    }

    /**
     * The survivor's values after the merge and the fields the caller chose, with the problems of the choices;
     * {@code base} is what the values would be without choices (for checks that look only at the caller's input).
     */
    record Merged(RecordValidator.Draft draft, Map<String, Object> base) {}

    Merged merge(Access access, ObjectType t, Record survivor, List<Record> others, FieldChoices choices) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, Object> values = new HashMap<>(survivor.values());
        for (Field f : t.fields()) {
            if (f.type() == FieldType.FORMULA || f.isRollup() || values.containsKey(f.name())) {
                continue;
            }
            others.stream().map(r -> r.get(f.name())).filter(Objects::nonNull).findFirst()
                    .ifPresent(v -> values.put(f.name(), v));
        }
        Set<UUID> gone = new java.util.HashSet<>();
        others.forEach(r -> gone.add(r.id()));
        Map<String, Object> base = repointed(t, values, gone, survivor.id());
        Map<String, Object> chosen = new HashMap<>(base);
        Set<String> given = new LinkedHashSet<>();
        for (Map.Entry<String, FieldChoices.Choice> e : choices.choices().entrySet()) {
            String name = e.getKey();
            Field f = checkedField(access, t, name, errors);
            if (f == null) {
                continue;
            }
            int before = errors.size();
            Object v = switch (e.getValue()) {
                case FieldChoices.From from -> valueOf(from.recordId(), survivor, others, f, errors);
                case FieldChoices.Given g -> converter.convert(f, g.value(), errors);
            };
            if (errors.size() > before) {
                continue;
            }
            given.add(name);
            if (v == null) {
                chosen.remove(name);
            } else {
                chosen.put(name, v);
            }
        }
        chosen = repointed(t, chosen, gone, survivor.id());
        return new Merged(new RecordValidator.Draft(chosen, given, survivor.owner(), survivor.team(), errors), base);
    }

    /** The field a choice names, if the caller may set it; else null with the error an update would give. */
    private @Nullable Field checkedField(Access access, ObjectType t, String name, List<FieldError> errors) {
        if (SYSTEM.contains(name)) {
            errors.add(new FieldError(name, FieldErrorCode.READ_ONLY, name + " is not merged; a merge keeps the "
                    + "survivor's"));
            return null;
        }
        Field f = t.findField(name).orElse(null);
        if (f == null || !access.canSee(name)) {
            errors.add(new FieldError(NameRules.shown(name), FieldErrorCode.UNKNOWN_FIELD, type + " has no field '"
                    + NameRules.shown(name) + "'"));
            return null;
        }
        if (f.type() == FieldType.FORMULA) {
            errors.add(new FieldError(name, FieldErrorCode.READ_ONLY, "formula fields are computed"));
            return null;
        }
        if (f.isRollup()) {
            errors.add(new FieldError(name, FieldErrorCode.READ_ONLY, "roll-up fields are kept by CRMKit"));
            return null;
        }
        if (access.field(name) != FieldAccess.EDITABLE) {
            errors.add(new FieldError(name, FieldErrorCode.READ_ONLY, name + " is read-only for "
                    + access.principal().id()));
            return null;
        }
        return f;
    }

    private @Nullable Object valueOf(UUID recordId, Record survivor, List<Record> others, Field f,
            List<FieldError> errors) {
        if (survivor.id().equals(recordId)) {
            return survivor.get(f.name());
        }
        for (Record r : others) {
            if (r.id().equals(recordId)) {
                return r.get(f.name());
            }
        }
        errors.add(new FieldError(f.name(), FieldErrorCode.INVALID_REFERENCE, "record " + recordId
                + " is not part of this merge"));
        return null;
    }

    /**
     * {@code values} with every reference and relation to a merged record pointing at {@code survivor} instead, and
     * the survivor's references to itself cleared (relations: left out, duplicates dropped).
     */
    static Map<String, Object> repointed(ObjectType t, Map<String, Object> values, Set<UUID> gone, UUID survivor) {
        Map<String, Object> out = new HashMap<>(values);
        for (Field f : t.fields()) {
            if (!t.name().equals(f.target()) || !out.containsKey(f.name())) {
                continue;
            }
            Object v = out.get(f.name());
            if (f.type() == FieldType.REFERENCE && (gone.contains(v) || survivor.equals(v))) {
                out.remove(f.name());
            } else if (f.type() == FieldType.RELATION && v instanceof List<?> ids) {
                List<Object> kept = ids.stream().filter(id -> !gone.contains(id) && !survivor.equals(id)).distinct()
                        .map(Object.class::cast).toList();
                if (kept.isEmpty()) {
                    out.remove(f.name());
                } else {
                    out.put(f.name(), kept);
                }
            }
        }
        return out;
    }
}
