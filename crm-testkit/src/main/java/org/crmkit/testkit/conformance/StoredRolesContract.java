package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.query.Filters.where;

import java.util.List;
import java.util.Map;
import org.crmkit.CrmSession;
import org.crmkit.error.AccessDeniedException;
import org.crmkit.error.AccessModelException;
import org.crmkit.error.AccessModelException.Problem;
import org.crmkit.error.ErrorCode;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.security.AccessAdmin;
import org.crmkit.security.AccessChange;
import org.crmkit.security.AdminPermission;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Grantee;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.crmkit.security.ShareLevel;
import org.crmkit.security.SharingRule;
import org.crmkit.security.StoredUser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Roles as data ({@link AccessAdmin}): stored roles, parents, users and sharing rules survive a reopen, are audited,
 * change what a stored user's session may do at its next operation, and refuse bad input with
 * {@link AccessModelException} naming the problem, changing nothing.
 */
public abstract class StoredRolesContract extends ConformanceContract {
    private AccessAdmin admin;

    @BeforeEach
    void model() {
        defineWidget();
        crm().schema().addField(WIDGET, Field.text("label").indexed(true));
        admin = crm().admin().access();
        admin.saveRole(Role.builder("boss").grant(WIDGET, RecordScope.ALL, Permission.READ).build());
        admin.saveRole(Role.builder("clerk").grant(WIDGET, RecordScope.OWN, Permission.CREATE, Permission.READ,
                Permission.UPDATE).field(WIDGET, "notes", FieldAccess.HIDDEN).build());
        admin.setParent("clerk", "boss");
        admin.saveUser(new StoredUser("carl", "clerk", List.of("west")));
    }

    @Test
    void rolesUsersAndParentsAreStoredAndRead() {
        assertThat(admin.roles()).extracting(Role::name).containsExactly("boss", "clerk");
        assertThat(admin.role("clerk").orElseThrow().fieldAccess(WIDGET, "notes")).isEqualTo(FieldAccess.HIDDEN);
        assertThat(admin.parentOf("clerk")).contains("boss");
        assertThat(admin.parentOf("boss")).isEmpty();
        assertThat(admin.user("carl")).contains(new StoredUser("carl", "clerk", List.of("west")));
        CrmSession carl = crm().asUser("carl");
        assertThat(carl.principal().roles()).extracting(Role::name).containsExactly("clerk");
        assertThat(carl.principal().teams()).containsExactly("west");
        Record w = carl.records(WIDGET).create(Map.of("name", "w"));
        system().records(WIDGET).update(w.id(), w.version(), Map.of("notes", "secret"));
        w = carl.records(WIDGET).get(w.id());
        assertThat(w.team()).isEqualTo("west");
        assertThat(w.has("notes")).isFalse();
        if (reopen() != null) {
            AccessAdmin again = crm().admin().access();
            assertThat(again.roles()).extracting(Role::name).containsExactly("boss", "clerk");
            assertThat(again.parentOf("clerk")).contains("boss");
            assertThat(crm().asUser("carl").records(WIDGET).get(w.id()).getString("name")).isEqualTo("w");
        }
    }

    @Test
    void aChangedRoleAppliesToOpenSessionsAtTheNextOperation() {
        CrmSession carl = crm().asUser("carl");
        Record w = carl.records(WIDGET).create(Map.of("name", "w"));
        admin.saveRole(Role.builder("clerk").grant(WIDGET, RecordScope.OWN, Permission.READ).build());
        assertThat(admin.parentOf("clerk")).contains("boss"); // a saved role keeps its place
        assertThatThrownBy(() -> carl.records(WIDGET).update(w.id(), w.version(), Map.of("qty", 2)))
                .isInstanceOf(AccessDeniedException.class);
        admin.saveUser(new StoredUser("carl", "boss", List.of()));
        assertThat(carl.records(WIDGET).count(org.crmkit.query.Filter.ALL)).isEqualTo(1);
        assertThat(carl.principal().teams()).isEmpty();
        admin.deleteUser("carl");
        assertThatThrownBy(() -> carl.records(WIDGET).get(w.id())).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> crm().asUser("carl")).isInstanceOf(AccessModelException.class)
                .satisfies(e -> assertThat(((AccessModelException) e).problem()).isEqualTo(Problem.UNKNOWN_USER));
    }

    @Test
    void everyChangeIsAudited() {
        List<AccessChange> history = admin.history();
        assertThat(history).extracting(AccessChange::subject).containsExactly("role:boss", "role:clerk",
                "role:clerk", "user:carl");
        assertThat(history).extracting(AccessChange::description).containsExactly("create role boss",
                "create role clerk", "set parent of clerk to boss", "assign user carl to role clerk and teams [west]");
        assertThat(history).extracting(AccessChange::revision).containsExactly(1L, 2L, 3L, 4L);
        assertThat(history).extracting(AccessChange::principalId).containsOnly(Principal.SYSTEM_ID);
        Role manager = Role.builder("boss").grant(WIDGET, RecordScope.ALL, Permission.READ)
                .allow(AdminPermission.MANAGE_ACCESS).build();
        admin.saveRole(manager);
        admin.saveUser(new StoredUser("bea", "boss", List.of()));
        crm().asUser("bea").access().deleteUser("carl");
        AccessChange last = admin.history().get(admin.history().size() - 1);
        assertThat(last.subject()).isEqualTo("user:carl");
        assertThat(last.deleted()).isTrue();
        assertThat(last.principalId()).isEqualTo("bea");
        assertThat(last.version()).isEqualTo(2);
    }

    @Test
    void accessManagementNeedsThePermission() {
        assertThatThrownBy(() -> crm().asUser("carl").access()).isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("MANAGE_ACCESS");
        assertThatThrownBy(() -> crm().as(Principal.user("x", Role.SALES_MANAGER)).access())
                .isInstanceOf(AccessDeniedException.class);
        assertThat(crm().as(Principal.user("root", Role.ADMIN)).access().roles()).hasSize(2);
    }

    private void refused(Problem problem, String messagePart, Executable change) {
        List<AccessChange> before = admin.history();
        List<Role> roles = admin.roles();
        List<SharingRule> rules = admin.rules();
        assertThatThrownBy(change::execute).isInstanceOf(AccessModelException.class)
                .hasMessageContaining(messagePart)
                .satisfies(e -> {
                    assertThat(((AccessModelException) e).problem()).isEqualTo(problem);
                    assertThat(((AccessModelException) e).code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
                });
        assertThat(admin.history()).isEqualTo(before);
        assertThat(admin.roles()).isEqualTo(roles);
        assertThat(admin.rules()).isEqualTo(rules);
    }

    @Test
    void badChangesAreRefusedAndChangeNothing() {
        refused(Problem.UNKNOWN_ROLE, "nobody", () -> admin.setParent("clerk", "nobody"));
        refused(Problem.UNKNOWN_ROLE, "ghost", () -> admin.setParent("ghost", "boss"));
        refused(Problem.UNKNOWN_ROLE, "ghost", () -> admin.saveUser(new StoredUser("x", "ghost", List.of())));
        refused(Problem.HIERARCHY_CYCLE, "cycle", () -> admin.setParent("boss", "clerk"));
        refused(Problem.HIERARCHY_CYCLE, "cycle", () -> admin.setParent("boss", "boss"));
        refused(Problem.RESERVED_NAME, "admin", () -> admin.saveRole(Role.builder("admin").build()));
        refused(Problem.INVALID_NAME, "Bad Name", () -> admin.saveRole(Role.builder("Bad Name").build()));
        refused(Problem.INVALID_GRANT, "nothing", () -> admin.saveRole(Role.builder("r")
                .grant("nothing", RecordScope.ALL, Permission.READ).build()));
        refused(Problem.INVALID_GRANT, "widget.nope", () -> admin.saveRole(Role.builder("r")
                .field(WIDGET, "nope", FieldAccess.HIDDEN).build()));
        refused(Problem.ROLE_IN_USE, "carl", () -> admin.deleteRole("clerk"));
        refused(Problem.ROLE_IN_USE, "clerk", () -> admin.deleteRole("boss"));
        refused(Problem.UNKNOWN_ROLE, "ghost", () -> admin.saveRule(new SharingRule("r1", WIDGET,
                where("label").eq("x"), Grantee.role("ghost"), ShareLevel.READ)));
        refused(Problem.INVALID_GRANT, "user", () -> admin.saveRule(new SharingRule("r1", WIDGET,
                where("label").eq("x"), Grantee.user("carl"), ShareLevel.READ)));
        refused(Problem.INVALID_FILTER, "nope", () -> admin.saveRule(new SharingRule("r1", WIDGET,
                where("nope").eq("x"), Grantee.role("clerk"), ShareLevel.READ)));
        refused(Problem.INVALID_FILTER, "name", () -> admin.saveRule(new SharingRule("r1", WIDGET,
                where("name").eq("x"), Grantee.role("clerk"), ShareLevel.READ))); // not indexed
        refused(Problem.INVALID_FILTER, "company.name", () -> admin.saveRule(new SharingRule("r1", WIDGET,
                where("company.name").eq("x"), Grantee.role("clerk"), ShareLevel.READ)));
        // a field hidden from the caller is unknown to it
        admin.saveRole(Role.builder("boss").grant(WIDGET, RecordScope.ALL, Permission.READ)
                .field(WIDGET, "label", FieldAccess.HIDDEN).allow(AdminPermission.MANAGE_ACCESS).build());
        admin.saveUser(new StoredUser("bea", "boss", List.of()));
        AccessAdmin bea = crm().asUser("bea").access();
        List<AccessChange> before = admin.history();
        assertThatThrownBy(() -> bea.saveRule(new SharingRule("r1", WIDGET, where("label").eq("x"),
                Grantee.role("clerk"), ShareLevel.READ))).isInstanceOf(AccessModelException.class)
                .satisfies(e -> assertThat(((AccessModelException) e).problem()).isEqualTo(Problem.INVALID_FILTER));
        assertThat(admin.history()).isEqualTo(before);
        assertThat(admin.deleteRole("nothing")).isFalse();
        assertThat(admin.deleteRule("nothing")).isFalse();
    }

    @Test
    void javaRolesKeepWorkingBesideStoredOnes() {
        Record w = records(WIDGET).create(Map.of("name", "w"));
        assertThat(crm().as(Principal.user("ro", Role.READ_ONLY)).records(WIDGET).get(w.id()).id()).isEqualTo(w.id());
        assertThat(crm().as(Principal.user("rep", Role.SALES_REP)).records(WIDGET).find(w.id())).isEmpty();
        // a rule for a role a Java principal holds by name covers it
        admin.saveRule(new SharingRule("all_to_clerk", WIDGET, org.crmkit.query.Filter.ALL, Grantee.role("clerk"),
                ShareLevel.READ));
        Role clerk = admin.role("clerk").orElseThrow();
        assertThat(crm().as(Principal.user("java_clerk", clerk)).records(WIDGET).find(w.id())).isPresent();
        assertThat(admin.rules()).extracting(SharingRule::name).containsExactly("all_to_clerk");
    }
}
