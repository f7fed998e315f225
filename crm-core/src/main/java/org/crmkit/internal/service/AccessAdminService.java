package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.crmkit.error.AccessModelException;
import org.crmkit.error.AccessModelException.Problem;
import org.crmkit.error.FieldError;
import org.crmkit.query.Filter;
import org.crmkit.security.AccessAdmin;
import org.crmkit.security.AccessChange;
import org.crmkit.security.Grantee;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.security.SharingRule;
import org.crmkit.security.StoredUser;
import org.crmkit.storage.spi.DocumentStore;
import org.jspecify.annotations.Nullable;

/**
 * {@link AccessAdmin} on behalf of one principal (the system one for {@code crm.admin().access()}). Each change is
 * checked against the model as committed, then saved with the audit log document in one transaction: the log's
 * version check makes two concurrent changes serialise (the second fails with {@code CONCURRENT_CHANGE}), so a
 * cycle cannot be made by two parents set at once. The engine's model is reloaded after each commit.
 */
final class AccessAdminService implements AccessAdmin {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    private static final Set<String> BUILT_IN = Set.of(Role.ADMIN.name(), Role.SALES_REP.name(),
            Role.SALES_MANAGER.name(), Role.READ_ONLY.name());

    private final CrmEngine engine;
    private final Principal caller;

    AccessAdminService(CrmEngine engine, Principal caller) {
        this.engine = engine;
        this.caller = caller;
    }

    private AccessDocuments docs() {
        return engine.accessModels.documents;
    }

    /** The committed model, read again (not the engine's copy, which may be a change behind). */
    private Committed committed() {
        DocumentStore store = docs().required();
        long log = store.find(AccessDocuments.AUDIT, AccessDocuments.LOG).map(DocumentStore.StoredDocument::version)
                .orElse(0L);
        return new Committed(log, docs().load());
    }

    private record Committed(long logVersion, AccessModel model) {}

    @Override
    public Role saveRole(Role role) {
        Objects.requireNonNull(role, "role");
        String subject = "role " + role.name();
        checkName(role.name(), subject);
        if (BUILT_IN.contains(role.name())) {
            throw new AccessModelException(Problem.RESERVED_NAME, subject,
                    "built-in roles are made in Java, not stored");
        }
        CompiledSchema cs = engine.schema.compiled();
        for (String type : role.objects().keySet()) {
            if (!type.equals(Role.ANY_TYPE) && cs.snapshot.findObjectType(type).isEmpty()) {
                throw new AccessModelException(Problem.INVALID_GRANT, subject, "grants on unknown object type " + type);
            }
        }
        for (String key : role.fields().keySet()) {
            int dot = key.indexOf('.');
            String type = dot < 0 ? key : key.substring(0, dot);
            boolean known = dot > 0 && cs.snapshot.findObjectType(type)
                    .flatMap(t -> t.findField(key.substring(dot + 1))).isPresent();
            if (!known) {
                throw new AccessModelException(Problem.INVALID_GRANT, subject, "sets the access to unknown field "
                        + key);
            }
        }
        Committed c = committed();
        save(c, "role:" + role.name(), AccessDocuments.RoleForm.of(role, c.model().parents.get(role.name())),
                (c.model().roles.containsKey(role.name()) ? "update" : "create") + " role " + role.name());
        return role;
    }

    @Override
    public boolean deleteRole(String name) {
        Objects.requireNonNull(name, "name");
        Committed c = committed();
        AccessModel m = c.model();
        if (!m.roles.containsKey(name)) {
            return false;
        }
        String subject = "role " + name;
        List<String> users = m.users.values().stream().filter(u -> name.equals(u.role())).map(StoredUser::id)
                .sorted().toList();
        List<String> children = m.parents.entrySet().stream().filter(e -> e.getValue().equals(name))
                .map(java.util.Map.Entry::getKey).sorted().toList();
        List<String> rules = m.rules.values().stream().filter(r -> r.grantee().kind() != Grantee.Kind.TEAM
                && r.grantee().id().equals(name)).map(SharingRule::name).sorted().toList();
        if (!users.isEmpty() || !children.isEmpty() || !rules.isEmpty()) {
            throw new AccessModelException(Problem.ROLE_IN_USE, subject, "still named by users " + users
                    + ", child roles " + children + " and sharing rules " + rules);
        }
        save(c, "role:" + name, null, "delete role " + name);
        return true;
    }

    @Override
    public void setParent(String role, @Nullable String parent) {
        Objects.requireNonNull(role, "role");
        Committed c = committed();
        AccessModel m = c.model();
        String subject = "role " + role;
        Role r = m.roles.get(role);
        if (r == null) {
            throw new AccessModelException(Problem.UNKNOWN_ROLE, subject, "no stored role has this name");
        }
        if (parent != null) {
            if (!m.roles.containsKey(parent)) {
                throw new AccessModelException(Problem.UNKNOWN_ROLE, subject, "its parent " + parent
                        + " is not a stored role");
            }
            if (m.atOrBelow(parent, role)) {
                throw new AccessModelException(Problem.HIERARCHY_CYCLE, subject, "making " + parent
                        + " its parent would make a cycle (" + parent + " is " + role + " or below it)");
            }
        }
        save(c, "role:" + role, AccessDocuments.RoleForm.of(r, parent), parent == null
                ? "put role " + role + " at the top" : "set parent of " + role + " to " + parent);
    }

    @Override
    public Optional<Role> role(String name) {
        Objects.requireNonNull(name, "name");
        return Optional.ofNullable(current().roles.get(name));
    }

    @Override
    public List<Role> roles() {
        return List.copyOf(current().roles.values());
    }

    @Override
    public Optional<String> parentOf(String role) {
        Objects.requireNonNull(role, "role");
        return Optional.ofNullable(current().parents.get(role));
    }

    @Override
    public StoredUser saveUser(StoredUser user) {
        Objects.requireNonNull(user, "user");
        String subject = "user " + user.id();
        checkId(user.id(), subject);
        user.teams().forEach(t -> checkId(t, subject));
        Committed c = committed();
        if (user.role() != null && !c.model().roles.containsKey(user.role())) {
            throw new AccessModelException(Problem.UNKNOWN_ROLE, subject, "role " + user.role()
                    + " is not a stored role");
        }
        save(c, "user:" + user.id(), user, "assign user " + user.id() + " to role " + user.role() + " and teams "
                + user.teams());
        return user;
    }

    @Override
    public boolean deleteUser(String userId) {
        Objects.requireNonNull(userId, "userId");
        Committed c = committed();
        if (!c.model().users.containsKey(userId)) {
            return false;
        }
        save(c, "user:" + userId, null, "remove user " + userId);
        return true;
    }

    @Override
    public Optional<StoredUser> user(String userId) {
        Objects.requireNonNull(userId, "userId");
        return Optional.ofNullable(current().users.get(userId));
    }

    @Override
    public List<StoredUser> users() {
        return List.copyOf(current().users.values());
    }

    @Override
    public SharingRule saveRule(SharingRule rule) {
        Objects.requireNonNull(rule, "rule");
        String subject = "sharing rule " + rule.name();
        checkName(rule.name(), subject);
        CompiledSchema cs = engine.schema.compiled();
        if (cs.snapshot.findObjectType(rule.objectType()).isEmpty()) {
            throw new AccessModelException(Problem.INVALID_GRANT, subject, "shares records of unknown object type "
                    + rule.objectType());
        }
        Committed c = committed();
        Grantee g = rule.grantee();
        switch (g.kind()) {
            case USER -> throw new AccessModelException(Problem.INVALID_GRANT, subject,
                    "a sharing rule shares with a role or a team; share with one user manually");
            case TEAM -> checkId(g.id(), subject);
            case ROLE, ROLE_AND_SUBORDINATES -> {
                if (!c.model().roles.containsKey(g.id())) {
                    throw new AccessModelException(Problem.UNKNOWN_ROLE, subject, "role " + g.id()
                            + " is not a stored role");
                }
            }
        }
        List<FieldError> problems = new ArrayList<>();
        engine.accessModels.checkFilter(cs, rule.objectType(), caller, rule.filter(), problems);
        if (!problems.isEmpty()) {
            throw new AccessModelException(Problem.INVALID_FILTER, subject, problems.stream()
                    .map(p -> p.field() + ": " + p.message()).reduce((a, b) -> a + "; " + b).orElse(""));
        }
        save(c, "rule:" + rule.name(), rule, (c.model().rules.containsKey(rule.name()) ? "update" : "create")
                + " sharing rule " + rule.name() + " on " + rule.objectType() + " for " + g.key() + " at "
                + rule.level() + (rule.filter().equals(Filter.ALL) ? "" : " where " + rule.filter()));
        return rule;
    }

    @Override
    public boolean deleteRule(String name) {
        Objects.requireNonNull(name, "name");
        Committed c = committed();
        if (!c.model().rules.containsKey(name)) {
            return false;
        }
        save(c, "rule:" + name, null, "delete sharing rule " + name);
        return true;
    }

    @Override
    public List<SharingRule> rules() {
        return List.copyOf(current().rules.values());
    }

    @Override
    public List<AccessChange> history() {
        DocumentStore store = docs().required();
        List<AccessChange> out = new ArrayList<>();
        for (DocumentStore.StoredDocument d : store.history(AccessDocuments.AUDIT, AccessDocuments.LOG)) {
            AccessDocuments.AuditForm f = docs().read(Objects.requireNonNull(d.body(), "an audit entry"),
                    AccessDocuments.AuditForm.class);
            out.add(new AccessChange(d.version(), f.subject(), f.description(), f.version(), f.deleted(),
                    d.principalId(), d.at()));
        }
        return out;
    }

    private AccessModel current() {
        engine.checkOpen();
        engine.accessModels.catchUp();
        return engine.accessModels.model();
    }

    /** Saves one model document and the audit entry in one transaction, then reloads the engine's model. */
    private void save(Committed c, String name, @Nullable Object form, String description) {
        DocumentStore store = docs().required();
        java.time.Instant at = engine.clock.instant();
        String body = form == null ? null : docs().write(form);
        engine.transaction(tx -> {
            long version = store.find(AccessDocuments.MODEL, name).map(DocumentStore.StoredDocument::version)
                    .orElse(0L);
            DocumentStore.StoredDocument saved = AccessDocuments.save(store, tx, AccessDocuments.MODEL, name,
                    version, body, caller.id(), at);
            AccessDocuments.save(store, tx, AccessDocuments.AUDIT, AccessDocuments.LOG, c.logVersion(),
                    docs().write(new AccessDocuments.AuditForm(name, description, saved.version(), body == null)),
                    caller.id(), at);
            return null;
        });
        engine.accessModels.reload();
    }

    private static void checkName(String name, String subject) {
        if (!NAME.matcher(name).matches()) {
            throw new AccessModelException(Problem.INVALID_NAME, subject, "a name is [a-z][a-z0-9_]{0,39}");
        }
    }

    /** User and team ids follow {@link Principal}'s rules (checked by building one). */
    static void checkId(String id, String subject) {
        try {
            Principal.user(id).inTeams(id);
        } catch (IllegalArgumentException e) {
            throw new AccessModelException(Problem.INVALID_NAME, subject, String.valueOf(e.getMessage()));
        }
    }
}
