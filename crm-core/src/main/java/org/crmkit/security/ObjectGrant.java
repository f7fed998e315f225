package org.crmkit.security;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/** The permissions a role grants on one object type, and the records they reach. */
public record ObjectGrant(Set<Permission> permissions, RecordScope scope) {
    public ObjectGrant {
        Objects.requireNonNull(permissions, "permissions");
        Objects.requireNonNull(scope, "scope");
        permissions = permissions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(permissions));
    }

    public boolean allows(Permission p) {
        return permissions.contains(p);
    }
}
