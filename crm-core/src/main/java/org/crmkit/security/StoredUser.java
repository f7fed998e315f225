package org.crmkit.security;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A user as {@link AccessAdmin} stores them: one stored role (their place in the hierarchy, as in Salesforce) and
 * their teams. {@link org.crmkit.Crm#asUser(String)} makes a session from it.
 *
 * @param id    the user id (the {@link Principal#id()} of their sessions)
 * @param role  the stored role's name, or null for none (the user then reaches nothing)
 * @param teams the teams, the first given to records the user creates
 */
public record StoredUser(String id, @Nullable String role, List<String> teams) {
    public StoredUser {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(teams, "teams");
        teams = List.copyOf(teams);
    }
}
