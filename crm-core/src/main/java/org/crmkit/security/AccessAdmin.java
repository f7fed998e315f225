package org.crmkit.security;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Roles, the role hierarchy, users and sharing rules as data, kept by the storage, versioned and audited
 * ({@link #history()}), changed at run time: {@code crm.admin().access()} (as the system principal) or
 * {@link org.crmkit.CrmSession#access()} (needs {@link AdminPermission#MANAGE_ACCESS}). Every change takes effect at
 * the next operation of every session, on every node sharing the storage. Refused changes throw
 * {@link org.crmkit.error.AccessModelException} naming the problem and change nothing.
 *
 * <p>A user above another in the hierarchy (their stored role is an ancestor of the other's) reaches the records the
 * other owns, transitively, as far as their own object permissions allow (read; update and delete only if granted).
 */
public interface AccessAdmin {
    /**
     * Creates or replaces a stored role and its grants (its place in the hierarchy is kept). Names follow
     * {@code [a-z][a-z0-9_]{0,39}}; the built-in roles' names are reserved.
     */
    Role saveRole(Role role);

    /** Deletes a stored role no user, child role or sharing rule names. Returns whether it existed. */
    boolean deleteRole(String name);

    /** Puts {@code role} below {@code parent} in the hierarchy ({@code null}: at the top). Refuses a cycle. */
    void setParent(String role, @Nullable String parent);

    Optional<Role> role(String name);

    /** The stored roles, by name. */
    List<Role> roles();

    /** The role's parent in the hierarchy, if any. */
    Optional<String> parentOf(String role);

    /** Stores a user with their role ({@code null}: none) and teams, replacing what was stored. */
    StoredUser saveUser(StoredUser user);

    /** Removes a stored user; returns whether there was one. */
    boolean deleteUser(String userId);

    Optional<StoredUser> user(String userId);

    /** The stored users, by id. */
    List<StoredUser> users();

    /** Creates or replaces a sharing rule. */
    SharingRule saveRule(SharingRule rule);

    /** Deletes a sharing rule; returns whether it existed. */
    boolean deleteRule(String name);

    /** The sharing rules, by name. */
    List<SharingRule> rules();

    /** Every change of roles, parents, users and rules, oldest first. */
    List<AccessChange> history();
}
