package org.crmkit.internal.service;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.crmkit.query.Filter;
import org.crmkit.security.Grantee;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.security.SharingRule;
import org.crmkit.security.StoredUser;
import org.crmkit.storage.spi.ResolvedPaths;
import org.jspecify.annotations.Nullable;

/**
 * One immutable revision of the stored access model: stored roles with their parents, users with their role and
 * teams, and sharing rules with their filters checked against the schema. What {@link SharingScope} reads to widen a
 * principal's record scope; {@link AccessModels} swaps it when another revision is committed.
 */
final class AccessModel {
    static final AccessModel EMPTY = new AccessModel(0, Map.of(), Map.of(), Map.of(), Map.of());

    /** A sharing rule with its filter converted for the schema it was checked against (null: it no longer applies). */
    record CheckedRule(SharingRule rule, @Nullable Filter filter, @Nullable ResolvedPaths paths) {}

    final long revision;
    final Map<String, Role> roles;
    final Map<String, String> parents;
    final Map<String, StoredUser> users;
    final Map<String, SharingRule> rules;
    private final Map<String, List<String>> children = new HashMap<>();
    private final Map<String, List<String>> usersByRole = new HashMap<>();
    /** The users below each user's role, computed when first asked. */
    private final Map<String, List<String>> subordinates = new java.util.concurrent.ConcurrentHashMap<>();
    /** The checked rules per object type, for one schema (the last one asked about). */
    private volatile @Nullable RulesFor rulesFor;

    private record RulesFor(CompiledSchema schema, Map<String, List<CheckedRule>> byType) {}

    AccessModel(long revision, Map<String, Role> roles, Map<String, String> parents, Map<String, StoredUser> users,
            Map<String, SharingRule> rules) {
        this.revision = revision;
        this.roles = java.util.Collections.unmodifiableMap(new TreeMap<>(roles));
        this.parents = Map.copyOf(parents);
        this.users = java.util.Collections.unmodifiableMap(new TreeMap<>(users));
        this.rules = java.util.Collections.unmodifiableMap(new TreeMap<>(rules));
        parents.forEach((child, parent) -> children.computeIfAbsent(parent, p -> new ArrayList<>()).add(child));
        users.values().forEach(u -> {
            if (u.role() != null) {
                usersByRole.computeIfAbsent(u.role(), r -> new ArrayList<>()).add(u.id());
            }
        });
    }

    boolean isEmpty() {
        return roles.isEmpty() && users.isEmpty() && rules.isEmpty();
    }

    /** The roles below {@code role} in the hierarchy, transitively, not {@code role} itself. */
    Set<String> rolesBelow(String role) {
        Set<String> out = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(children.getOrDefault(role, List.of()));
        while (!todo.isEmpty()) {
            String r = todo.pop();
            if (out.add(r)) {
                todo.addAll(children.getOrDefault(r, List.of()));
            }
        }
        return out;
    }

    /** Whether {@code role} is {@code ancestor} or below it. */
    boolean atOrBelow(String role, String ancestor) {
        Set<String> seen = new HashSet<>();
        for (String r = role; r != null && seen.add(r); r = parents.get(r)) {
            if (r.equals(ancestor)) {
                return true;
            }
        }
        return false;
    }

    /** The principal's place in the hierarchy: the stored role of its user id, if any. */
    @Nullable
    String hierarchyRole(Principal p) {
        StoredUser u = users.get(p.id());
        return u == null ? null : u.role();
    }

    /** The users whose stored role is below the principal's stored role, transitively (sorted). */
    List<String> subordinateUsers(Principal p) {
        String role = hierarchyRole(p);
        if (role == null) {
            return List.of();
        }
        return subordinates.computeIfAbsent(role, r -> {
            List<String> out = new ArrayList<>();
            for (String below : rolesBelow(r)) {
                out.addAll(usersByRole.getOrDefault(below, List.of()));
            }
            return out.stream().sorted().toList();
        });
    }

    /** Whether a sharing rule's grantee covers the principal (its teams, stored role, or a role it holds by name). */
    boolean covers(Grantee g, Principal p) {
        String own = hierarchyRole(p);
        boolean holds = p.roles().stream().anyMatch(r -> r.name().equals(g.id()));
        return switch (g.kind()) {
            case TEAM -> p.teams().contains(g.id());
            case USER -> p.id().equals(g.id());
            case ROLE -> holds || g.id().equals(own);
            case ROLE_AND_SUBORDINATES -> holds || (own != null && atOrBelow(own, g.id()));
        };
    }

    /** A session principal for a stored user: their stored role and teams; null when no such user is stored. */
    @Nullable
    Principal principalOf(String userId) {
        StoredUser u = users.get(userId);
        if (u == null) {
            return null;
        }
        Role role = u.role() == null ? null : roles.get(u.role());
        return new Principal(u.id(), role == null ? List.of() : List.of(role), u.teams(), false);
    }

    /** The rules sharing records of {@code type}, checked against {@code schema}. */
    List<CheckedRule> rulesFor(String type, CompiledSchema schema,
            java.util.function.Function<SharingRule, CheckedRule> check) {
        if (rules.isEmpty()) {
            return List.of();
        }
        RulesFor held = rulesFor;
        if (held == null || held.schema() != schema) {
            Map<String, List<CheckedRule>> byType = new HashMap<>();
            for (SharingRule r : rules.values()) {
                byType.computeIfAbsent(r.objectType(), t -> new ArrayList<>()).add(check.apply(r));
            }
            held = new RulesFor(schema, byType);
            rulesFor = held;
        }
        return held.byType().getOrDefault(type, List.of());
    }
}
