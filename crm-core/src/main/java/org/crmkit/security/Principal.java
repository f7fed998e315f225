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
    /**
     * The longest user or team id, in UTF-16 characters: every storage keeps ids of up to 255 characters in the
     * owner, team, created_by and updated_by columns. Ids hold no control characters (NUL, line breaks...).
     */
    public static final int MAX_ID_LENGTH = 255;

    public static final String SYSTEM_ID = "system";
    /** The internal principal that bypasses access control. */
    public static final Principal SYSTEM = new Principal(SYSTEM_ID, List.of(Role.ADMIN), List.of(), true);

    public Principal {
        Objects.requireNonNull(roles, "roles");
        Objects.requireNonNull(teams, "teams");
        Objects.requireNonNull(id, "id");
        roles = List.copyOf(roles);
        teams = List.copyOf(teams);
        checkId("id", id);
        for (String team : teams) {
            checkId("teams", team);
        }
    }

    /** Refuses a blank id, one longer than {@link #MAX_ID_LENGTH} or one holding a control character. */
    private static void checkId(String parameter, String id) {
        if (id.isBlank()) {
            throw new IllegalArgumentException(parameter + ": a principal or team id must not be blank");
        }
        if (id.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException(parameter + ": a principal or team id holds at most " + MAX_ID_LENGTH
                    + " characters, not " + id.length());
        }
        for (int i = 0; i < id.length(); i++) {
            if (Character.isISOControl(id.charAt(i))) {
                throw new IllegalArgumentException(parameter + String.format(
                        ": a principal or team id cannot hold the control character U+%04X", (int) id.charAt(i)));
            }
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
