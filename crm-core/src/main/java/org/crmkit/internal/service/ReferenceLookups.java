package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.internal.schema.NameRules;
import org.crmkit.record.ReferenceLookup;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.FieldAccess;
import org.jspecify.annotations.Nullable;

/**
 * The reference lookups of an import or upsert ({@link org.crmkit.record.ImportOptions#references()}) checked
 * against the schema and the caller's access: each names a reference field of the imported type the caller may
 * write, and a unique field of the referenced type the caller may read. A hidden field, a referenced type the
 * caller may not read and a missing field are refused alike ({@code UNKNOWN_FIELD}), as a query path would be, so
 * the refusal tells nothing the caller could not see. Lookups by id are left out: rows give ids, as without one.
 */
final class ReferenceLookups {
    /** A reference field resolved by a unique field ({@code key}) of its target type. */
    record Lookup(String reference, String target, Field key, boolean createMissing) {}

    private ReferenceLookups() {}

    /**
     * The lookups by key, by reference field name; throws one {@link ValidationException} on type {@code t}
     * naming each bad entry {@code references.<field>}.
     */
    static Map<String, Lookup> check(CompiledSchema cs, ObjectType t, Access access,
            Map<String, ReferenceLookup> options) {
        Map<String, Lookup> out = new LinkedHashMap<>();
        List<FieldError> problems = new ArrayList<>();
        options.forEach((reference, lookup) -> {
            FieldError problem = problem(cs, t, access, reference, lookup);
            if (problem != null) {
                problems.add(problem);
            } else if (!lookup.isById()) {
                Field f = t.findField(reference).orElseThrow();
                String target = Objects.requireNonNull(f.target(), "a reference field has a target");
                Field key = cs.snapshot.findObjectType(target).flatMap(x -> x.findField(lookup.field())).orElseThrow();
                out.put(reference, new Lookup(reference, target, key, lookup.createsMissing()));
            }
        });
        if (!problems.isEmpty()) {
            throw new ValidationException(t.name(), problems);
        }
        return out;
    }

    /** What is wrong with one entry, on field {@code references.<reference>}, or null. */
    private static @Nullable FieldError problem(CompiledSchema cs, ObjectType t, Access access, String reference,
            ReferenceLookup lookup) {
        String option = "references." + NameRules.shown(reference);
        Field f = t.findField(reference).filter(x -> access.canSee(x.name())).orElse(null);
        if (f == null) {
            return error(option, FieldErrorCode.UNKNOWN_FIELD, t.name() + " has no field '" + NameRules.shown(reference)
                    + "'");
        }
        if (f.type() == FieldType.RELATION) {
            return error(option, FieldErrorCode.WRONG_TYPE, reference + " is a relation (many records); only a "
                    + "reference field (one record) can be resolved by a lookup");
        }
        if (f.type() != FieldType.REFERENCE) {
            return error(option, FieldErrorCode.WRONG_TYPE, reference + " is not a reference field");
        }
        if (access.field(reference) != FieldAccess.EDITABLE) {
            return error(option, FieldErrorCode.READ_ONLY, reference + " is read-only for " + access.principal().id());
        }
        String target = Objects.requireNonNull(f.target(), "a reference field has a target");
        if (lookup.isById()) {
            return lookup.createsMissing() ? error(option, FieldErrorCode.WRONG_TYPE, "createMissing needs a key "
                    + "field: a " + target + " cannot be created from an id") : null;
        }
        Access targetAccess = new Access(access.principal(), target, cs, access.models());
        Field key = cs.snapshot.findObjectType(target).flatMap(x -> x.findField(lookup.field()))
                .filter(x -> targetAccess.canSee(x.name())).orElse(null);
        if (key == null) {
            return error(option, FieldErrorCode.UNKNOWN_FIELD, target + " has no field '"
                    + NameRules.shown(lookup.field()) + "'");
        }
        if (!key.unique()) {
            return error(option, FieldErrorCode.WRONG_TYPE, target + "." + key.name() + " is not unique: a lookup "
                    + "field must be (an external id, Field.externalId)");
        }
        return null;
    }

    private static FieldError error(String option, FieldErrorCode code, String message) {
        return new FieldError(option, code, message);
    }
}
