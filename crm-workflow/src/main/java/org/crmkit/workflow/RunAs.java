package org.crmkit.workflow;

import java.util.List;
import java.util.Objects;
/**
 * Whom a rule's actions run as, stored with the rule: a user id, role names and teams. The workflow turns it into a
 * principal with the roles registered under those names ({@link Workflow.Builder#roles}; the standard ones are always
 * known), so the actions have exactly that principal's permissions. {@link #system()} runs without access checks.
 * A rule without one runs as the principal that saved it ({@link #of}).
 */
public record RunAs(String userId, List<String> roles, List<String> teams) {
    public RunAs {
        Objects.requireNonNull(roles, "roles");
        Objects.requireNonNull(teams, "teams");
        Objects.requireNonNull(userId, "userId");
        roles = List.copyOf(roles);
        teams = List.copyOf(teams);
    }

    public static RunAs user(String userId, String... roles) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(roles, "roles");
        return new RunAs(userId, List.of(roles), List.of());
    }

    /** The system principal (no access checks): for rules admins trust with everything. */
    public static RunAs system() {
        return new RunAs(org.crmkit.security.Principal.SYSTEM_ID, List.of(), List.of());
    }

    /** The run-as form of a principal: its id, the names of its roles and its teams; the system principal's own. */
    public static RunAs of(org.crmkit.security.Principal principal) {
        Objects.requireNonNull(principal, "principal");
        if (principal.system()) {
            return system();
        }
        return new RunAs(principal.id(), principal.roles().stream().map(org.crmkit.security.Role::name).toList(),
                principal.teams());
    }

    public RunAs inTeams(String... teamIds) {
        Objects.requireNonNull(teamIds, "teamIds");
        return new RunAs(userId, roles, List.of(teamIds));
    }

    public boolean isSystem() {
        return userId.equals(org.crmkit.security.Principal.SYSTEM_ID) && roles.isEmpty();
    }
}
