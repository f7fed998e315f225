package org.crmkit.security;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A named set of grants: per object type, permissions and a record scope; per field, an access level. The
 * object type {@value #ANY_TYPE} grants on every type not named explicitly; a field without an entry is
 * {@link FieldAccess#EDITABLE}. A principal with several roles gets the union (the widest of each). Administrative
 * permissions ({@link AdminPermission}, e.g. managing workflow rules) are granted apart from any type.
 *
 * <pre>{@code
 * Role support = Role.builder("support")
 *     .grant("contact", RecordScope.ALL, Permission.READ, Permission.UPDATE)
 *     .grant("deal", RecordScope.ALL, Permission.READ)
 *     .field("deal", "amount", FieldAccess.HIDDEN)
 *     .build();
 * }</pre>
 */
public record Role(String name, Map<String, ObjectGrant> objects, Map<String, FieldAccess> fields,
        Set<AdminPermission> admin) {
    /** Object type key that stands for every object type. */
    public static final String ANY_TYPE = "*";

    /** Everything on every record, and every administrative permission. */
    public static final Role ADMIN = builder("admin")
            .grant(ANY_TYPE, RecordScope.ALL, Permission.values()).allow(AdminPermission.values()).build();
    /** Works their own records: create, read, update, delete what they own. */
    public static final Role SALES_REP = builder("sales_rep")
            .grant(ANY_TYPE, RecordScope.OWN, Permission.CREATE, Permission.READ, Permission.UPDATE,
                    Permission.DELETE)
            .build();
    /** Works the team's records and may reassign them. */
    public static final Role SALES_MANAGER = builder("sales_manager")
            .grant(ANY_TYPE, RecordScope.TEAM, Permission.values()).build();
    /** Reads everything, writes nothing. */
    public static final Role READ_ONLY = builder("read_only")
            .grant(ANY_TYPE, RecordScope.ALL, Permission.READ).build();

    public Role {
        Objects.requireNonNull(objects, "objects");
        Objects.requireNonNull(fields, "fields");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(name, "name");
        objects = Map.copyOf(objects);
        fields = Map.copyOf(fields);
        admin = admin.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(admin));
    }

    /** A role without administrative permissions. */
    public Role(String name, Map<String, ObjectGrant> objects, Map<String, FieldAccess> fields) {
        this(name, objects, fields, Set.of());
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(objects, "objects");
        Objects.requireNonNull(fields, "fields");
    }

    /** Whether this role grants an administrative permission. */
    public boolean allows(AdminPermission permission) {
        Objects.requireNonNull(permission, "permission");
        return admin.contains(permission);
    }

    public static Builder builder(String name) {
        Objects.requireNonNull(name, "name");
        return new Builder(name);
    }

    /** The grant for a type: its own entry, else the {@value #ANY_TYPE} entry. */
    public Optional<ObjectGrant> grantFor(String objectType) {
        Objects.requireNonNull(objectType, "objectType");
        ObjectGrant g = objects.get(objectType);
        return Optional.ofNullable(g != null ? g : objects.get(ANY_TYPE));
    }

    public FieldAccess fieldAccess(String objectType, String field) {
        Objects.requireNonNull(objectType, "objectType");
        Objects.requireNonNull(field, "field");
        return fields.getOrDefault(objectType + "." + field, FieldAccess.EDITABLE);
    }

    /** Builds a {@link Role}. */
    public static final class Builder {
        private final String name;
        private final Map<String, ObjectGrant> objects = new LinkedHashMap<>();
        private final Map<String, FieldAccess> fields = new LinkedHashMap<>();
        private final Set<AdminPermission> admin = EnumSet.noneOf(AdminPermission.class);

        private Builder(String name) {
            this.name = name;
        }

        public Builder grant(String objectType, RecordScope scope, Permission... permissions) {
            Objects.requireNonNull(objectType, "objectType");
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(permissions, "permissions");
            EnumSet<Permission> set = EnumSet.noneOf(Permission.class);
            set.addAll(java.util.List.of(permissions));
            objects.put(objectType, new ObjectGrant(set, scope));
            return this;
        }

        public Builder field(String objectType, String field, FieldAccess access) {
            Objects.requireNonNull(objectType, "objectType");
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(access, "access");
            fields.put(objectType + "." + field, access);
            return this;
        }

        /** Grants administrative permissions (e.g. {@link AdminPermission#MANAGE_RULES}). */
        public Builder allow(AdminPermission... permissions) {
            Objects.requireNonNull(permissions, "permissions");
            admin.addAll(java.util.List.of(permissions));
            return this;
        }

        public Role build() {
            return new Role(name, objects, fields, admin);
        }
    }
}
