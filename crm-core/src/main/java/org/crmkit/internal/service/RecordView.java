package org.crmkit.internal.service;

import java.util.HashMap;
import java.util.Map;
import org.crmkit.internal.cel.CelPrograms;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;

/** Computes a record's formula fields and gives the record as a caller may see it (hidden fields removed). */
final class RecordView {
    private RecordView() {}

    /** The record as the caller may see it: hidden fields removed, formulas computed. */
    static Record of(Record r, Access access, CompiledSchema cs, ObjectType t) {
        Map<String, Object> values = new HashMap<>(r.values());
        values.putAll(formulas(cs, t, r.values()));
        values.keySet().removeIf(f -> !access.canSee(f));
        return new Record(r.id(), r.type(), r.version(), r.owner(), r.team(), r.createdAt(), r.createdBy(),
                r.updatedAt(), r.updatedBy(), r.deletedAt(), values);
    }

    /** The values of the formula fields of {@code t} computed over {@code values}; an empty one is left out. */
    static Map<String, Object> formulas(CompiledSchema cs, ObjectType t, Map<String, Object> values) {
        Map<String, CelPrograms.Program> programs = cs.formulas(t.name());
        if (programs.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> vars = CelPrograms.variables(t, values, false);
        Map<String, Object> out = new HashMap<>();
        for (Map.Entry<String, CelPrograms.Program> e : programs.entrySet()) {
            Field f = t.findField(e.getKey()).orElseThrow();
            try {
                Object v = CelPrograms.fromCel(f, e.getValue().eval(vars));
                if (v != null) {
                    out.put(f.name(), v);
                }
            } catch (Exception ex) {
                // a formula that cannot be evaluated on this record (division by zero, empty input) is empty
            }
        }
        return out;
    }
}
