package org.crmkit.internal.duplicate;

import java.util.HashSet;
import java.util.Set;
import org.crmkit.duplicate.DuplicateRules;
import org.crmkit.duplicate.FieldMatch;
import org.crmkit.error.SchemaException;
import org.crmkit.error.SchemaException.Problem;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;

/** Checks matching rules against their type when they are saved; the first problem is a {@link SchemaException}. */
public final class RuleCheck {
    private RuleCheck() {}

    /** Throws {@link SchemaException} naming the field and the problem when {@code rules} do not fit {@code type}. */
    public static void check(ObjectType type, DuplicateRules rules) {
        String t = type.name();
        if (rules.fields().isEmpty()) {
            throw invalid(t, null, "duplicate rules need at least one field");
        }
        if (rules.fields().size() > 20) {
            throw invalid(t, null, "duplicate rules take at most 20 fields, not " + rules.fields().size());
        }
        if (!(rules.threshold() > 0 && rules.threshold() <= 1)) {
            throw invalid(t, null, "threshold must be above 0 and at most 1, not " + rules.threshold());
        }
        if (!(rules.minimumWeight() >= 0 && rules.minimumWeight() <= 2000)) {
            throw invalid(t, null, "minimum weight must be 0 to 2000, not " + rules.minimumWeight());
        }
        Set<String> seen = new HashSet<>();
        for (FieldMatch m : rules.fields()) {
            Field f = type.findField(m.field()).orElseThrow(() -> new SchemaException(Problem.UNKNOWN_FIELD, t,
                    m.field(), "duplicate rules name no field '" + m.field() + "'"));
            if (f.encrypted()) {
                throw invalid(t, m.field(), "field is encrypted: duplicate rules cannot compare encrypted values");
            }
            if (!seen.add(m.field())) {
                throw invalid(t, m.field(), "field is in the duplicate rules twice");
            }
            if (f.type() == FieldType.FORMULA || !m.method().fits(f.type())) {
                throw invalid(t, m.field(), "match method " + m.method() + " does not compare " + f.type()
                        + " fields (it compares " + m.method().fieldTypes().stream().map(Enum::name).sorted().toList()
                        + ")");
            }
            if (!(m.weight() > 0 && m.weight() <= 100)) {
                throw invalid(t, m.field(), "weight must be above 0 and at most 100, not " + m.weight());
            }
        }
    }

    private static SchemaException invalid(String type, @org.jspecify.annotations.Nullable String field,
            String message) {
        return new SchemaException(Problem.INVALID_DEFINITION, type, field, message);
    }
}
