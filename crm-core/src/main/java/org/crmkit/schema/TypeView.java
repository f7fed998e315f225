package org.crmkit.schema;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.crmkit.security.Permission;

/**
 * One object type as a principal sees it, within a {@link SchemaView}: its fields the principal may read, and what
 * the principal may do with its records. Immutable.
 *
 * @param name        API name
 * @param label       what people see
 * @param custom      defined by the host application rather than CRMKit
 * @param permissions what the principal's roles allow on records of the type (always holds
 *                    {@link Permission#READ}); record scope and sharing still decide which records
 * @param fields      the fields not hidden from the principal, in display order
 */
public record TypeView(String name, String label, boolean custom, Set<Permission> permissions,
        List<FieldView> fields) {
    public TypeView {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(permissions, "permissions");
        Objects.requireNonNull(fields, "fields");
        permissions = permissions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(permissions));
        fields = List.copyOf(fields);
    }

    /** Whether the principal's roles allow {@code permission} on records of this type. */
    public boolean may(Permission permission) {
        Objects.requireNonNull(permission, "permission");
        return permissions.contains(permission);
    }

    /** The field of this name, when it exists and is not hidden from the principal. */
    public Optional<FieldView> findField(String fieldName) {
        Objects.requireNonNull(fieldName, "fieldName");
        return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst();
    }
}
