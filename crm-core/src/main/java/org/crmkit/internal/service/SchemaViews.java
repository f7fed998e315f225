package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.FieldView;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaView;
import org.crmkit.schema.TypeView;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.jspecify.annotations.Nullable;

/**
 * Builds a principal's {@link SchemaView} from the compiled schema, asking {@link Access} (the one place access is
 * decided) about each type and field, so that the view hides exactly what record operations hide.
 */
final class SchemaViews {
    private SchemaViews() {}

    static SchemaView of(Principal principal, CompiledSchema schema, @Nullable AccessModels models) {
        List<TypeView> types = new ArrayList<>();
        for (ObjectType t : schema.snapshot.types()) {
            Access access = new Access(principal, t.name(), schema, models);
            if (!access.can(Permission.READ)) {
                continue;
            }
            Set<Permission> permissions = EnumSet.noneOf(Permission.class);
            for (Permission p : Permission.values()) {
                if (access.can(p)) {
                    permissions.add(p);
                }
            }
            boolean writes = permissions.contains(Permission.CREATE) || permissions.contains(Permission.UPDATE);
            List<FieldView> fields = new ArrayList<>();
            for (Field f : t.fields()) {
                FieldAccess a = access.field(f.name());
                if (a != FieldAccess.HIDDEN) {
                    fields.add(view(f, writes ? a : FieldAccess.READ_ONLY));
                }
            }
            types.add(new TypeView(t.name(), t.label(), t.custom(), permissions, fields));
        }
        return new SchemaView(schema.snapshot.version(), types);
    }

    /** The field as seen with access {@code a}: writable only where a write of it would be accepted. */
    private static FieldView view(Field f, FieldAccess a) {
        boolean computed = f.type() == FieldType.FORMULA || f.isRollup();
        FieldAccess shown = a == FieldAccess.EDITABLE && !computed && !f.deprecated() ? FieldAccess.EDITABLE
                : FieldAccess.READ_ONLY;
        FieldType valueType = f.valueType();
        boolean text = valueType == FieldType.TEXT || valueType == FieldType.LONG_TEXT;
        return new FieldView(f.name(), f.type(), valueType, f.label(), shown, f.required() && !f.deprecated(),
                f.unique(), text ? f.effectiveMaxLength() : 0, f.scale(), f.min(), f.max(), f.options(), f.target(),
                computed, f.deprecated() ? null : f.defaultValue());
    }
}
