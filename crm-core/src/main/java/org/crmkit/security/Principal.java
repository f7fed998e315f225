package org.crmkit.security;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Who an operation runs as: a user id, roles and teams. {@link #SYSTEM} is the internal principal that
 * bypasses access control (schema work, migrations, jobs); give it to no end user.
 *
 * @param id     the user id stored in owner / created_by / updated_by
 * @param roles  the roles whose grants apply (their union)
 * @param teams  the teams the user belongs to; the first is given to records the user creates
 * @param system whether this is the system principal
 */
public record Principal(String id, List<Role> roles, List<String> teams, boolean system) {
    public static final String SYSTEM_ID = "system";
    /** The internal principal that bypasses access control. */
    public static final Principal SYSTEM = new Principal(SYSTEM_ID, List.of(Role.ADMIN), List.of(), true);

    public Principal {
        Objects.requireNonNull(roles, "roles");
        Objects.requireNonNull(teams, "teams");
        Objects.requireNonNull(id, "id");
        roles = List.copyOf(roles);
        teams = List.copyOf(teams);
        if (id.isBlank()) {
            throw new IllegalArgumentException("principal id must not be blank");
        }
    }

    public static Principal user(String id, Role... roles) {
        return new Principal(id, List.of(roles), List.of(), false);
    }


    /** The same principal in these teams. */
    public Principal inTeams(String... teamIds) {
        return new Principal(id, roles, List.of(teamIds), system);
    }

    /** Whether this principal has an administrative permission: the system principal always, others through a role. */
    public boolean may(AdminPermission permission) {
        return system || roles.stream().anyMatch(r -> r.allows(permission));
    }

    public Set<String> teamSet() {
        return Set.copyOf(teams);
    }
}
