package org.crmkit.security;

import java.util.Objects;

/**
 * Who a sharing rule or a manual share gives access to: one user, one team, one stored role, or a stored role and
 * every role below it in the hierarchy. Manual shares take users and teams; sharing rules take roles and teams.
 *
 * @param kind what {@code id} names
 * @param id   the user id, team id or role name
 */
public record Grantee(Kind kind, String id) {
    /** What a grantee's id names. */
    public enum Kind {
        USER,
        TEAM,
        ROLE,
        ROLE_AND_SUBORDINATES
    }

    public Grantee {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
    }

    public static Grantee user(String userId) {
        return new Grantee(Kind.USER, userId);
    }

    public static Grantee team(String teamId) {
        return new Grantee(Kind.TEAM, teamId);
    }

    public static Grantee role(String roleName) {
        return new Grantee(Kind.ROLE, roleName);
    }

    public static Grantee roleAndSubordinates(String roleName) {
        return new Grantee(Kind.ROLE_AND_SUBORDINATES, roleName);
    }

    /** A stable text form, e.g. {@code user:u-42}, {@code team:east}. */
    public String key() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + id;
    }
}
