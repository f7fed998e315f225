package org.crmkit.rest.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.FieldView;
import org.crmkit.schema.PicklistOption;
import org.crmkit.schema.SchemaView;
import org.crmkit.schema.TypeView;
import org.crmkit.security.Permission;

/**
 * How a caller's view of the schema ({@link org.crmkit.CrmSession#schema()}) looks in JSON. It holds only what the
 * view holds, so a field hidden from the caller is in no part of it.
 */
final class SchemaJson {
    private SchemaJson() {}

    static Map<String, Object> of(SchemaView view) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", view.version());
        m.put("types", view.types().stream().map(SchemaJson::type).toList());
        return m;
    }

    static Map<String, Object> type(TypeView t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("label", t.label());
        m.put("custom", t.custom());
        Map<String, Boolean> permissions = new LinkedHashMap<>();
        for (Permission p : Permission.values()) {
            permissions.put(name(p), t.may(p));
        }
        m.put("permissions", permissions);
        m.put("fields", t.fields().stream().map(SchemaJson::field).toList());
        return m;
    }

    static Map<String, Object> field(FieldView f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", f.name());
        m.put("type", name(f.type()));
        if (f.type() == FieldType.FORMULA) {
            m.put("result_type", name(f.valueType()));
        }
        m.put("label", f.label());
        m.put("access", name(f.access()));
        m.put("required", f.required());
        m.put("unique", f.unique());
        m.put("computed", f.computed());
        if (f.maxLength() > 0) {
            m.put("max_length", f.maxLength());
        }
        if (decimal(f.valueType())) {
            m.put("scale", f.scale());
        }
        if (f.min() != null) {
            m.put("min", f.min());
        }
        if (f.max() != null) {
            m.put("max", f.max());
        }
        if (f.valueType() == FieldType.PICKLIST || f.valueType() == FieldType.MULTI_PICKLIST) {
            m.put("options", f.options().stream().map(SchemaJson::option).toList());
        }
        if (f.target() != null) {
            m.put("target", f.target());
        }
        return m;
    }

    private static Map<String, Object> option(PicklistOption o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", o.value());
        m.put("label", o.label());
        m.put("active", o.active());
        return m;
    }

    static boolean decimal(FieldType t) {
        return t == FieldType.DECIMAL || t == FieldType.CURRENCY || t == FieldType.PERCENT;
    }

    /** The JSON name of an enum constant: {@code MULTI_PICKLIST} is {@code multi_picklist}. */
    static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
