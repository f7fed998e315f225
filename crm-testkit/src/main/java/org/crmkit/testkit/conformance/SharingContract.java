package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.query.Filters.where;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.RecordSet;
import org.crmkit.error.AccessDeniedException;
import org.crmkit.error.NotFoundException;
import org.crmkit.query.Aggregation;
import org.crmkit.query.Filter;
import org.crmkit.query.Metric;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.search.Hit;
import org.crmkit.search.SearchQuery;
import org.crmkit.security.AccessAdmin;
import org.crmkit.security.Grantee;
import org.crmkit.security.Permission;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.crmkit.security.ShareLevel;
import org.crmkit.security.SharingRule;
import org.crmkit.security.StoredUser;
import org.crmkit.CrmStorage;
import org.crmkit.storage.spi.StorageFeature;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The role hierarchy, sharing rules and manual shares (stored with {@link AccessAdmin}), on every path that reads or
 * writes records: each relationship between a user and a record (owner, same team, manager 1 and 3 levels above,
 * shared by a rule with a role, with a role and its subordinates, with a team, shared manually with the user, with a
 * team, none) gives exactly the records it should to get, query, count, aggregate, search, timeline, update and
 * delete; revoking a share, deleting a rule and moving a role take effect at the next operation, on another node too.
 */
public abstract class SharingContract extends ConformanceContract {
    protected static final String GADGET = "gadget";
    private static final Role WORKER = Role.builder("worker")
            .grant(GADGET, RecordScope.OWN, Permission.CREATE, Permission.READ, Permission.UPDATE, Permission.DELETE)
            .build();

    /**
     * A second storage on the same data, as another node would open it while the first is open; null (the default)
     * when the storage cannot be shared, which skips the two-node checks.
     */
    protected @Nullable CrmStorage secondNode() {
        return null;
    }

    private AccessAdmin admin;

    @BeforeEach
    void organisation() {
        crm().schema().addObjectType(ObjectType.custom(GADGET, "Gadget", Field.text("name").required(true)
                .searchable(true), Field.picklist("region", "north", "south").indexed(true), Field.integer("qty")));
        admin = crm().admin().access();
        for (String r : List.of("vp", "manager", "rep", "intern", "other", "ops", "ops_junior")) {
            admin.saveRole(Role.builder(r).grant(GADGET, RecordScope.OWN, Permission.CREATE, Permission.READ,
                    Permission.UPDATE, Permission.DELETE).build());
        }
        admin.setParent("manager", "vp");
        admin.setParent("rep", "manager");
        admin.setParent("intern", "rep");
        admin.setParent("ops_junior", "ops");
        user("vera", "vp");
        user("max", "manager");
        user("rita", "rep");
        user("ian", "intern");
        user("otto", "other");
        user("olga", "ops_junior");
        user("tina", "other", "east");
        user("sam", "other");
        user("nick", "other");
    }

    private void user(String id, String role, String... teams) {
        admin.saveUser(new StoredUser(id, role, List.of(teams)));
    }

    private Record gadget(String owner, String name, String region, int qty) {
        return crm().asUser(owner).records(GADGET).create(Map.of("name", name, "region", region, "qty", qty));
    }

    /** What {@code user} reaches through every read path, checked to agree; returns the ids by get/query. */
    private void reaches(String user, Record... expected) {
        CrmSession s = crm().asUser(user);
        RecordSet set = s.records(GADGET);
        List<UUID> want = java.util.Arrays.stream(expected).map(Record::id).sorted().toList();
        assertThat(ids(set, Filter.ALL).stream().sorted().toList()).as("%s query", user).isEqualTo(want);
        assertThat(set.count(Filter.ALL)).as("%s count", user).isEqualTo(want.size());
        if (supports(StorageFeature.AGGREGATES)) {
            long qty = java.util.Arrays.stream(expected).mapToLong(r -> r.getLong("qty")).sum();
            var rows = set.aggregate(Aggregation.total().with(Metric.sum("qty")), Filter.ALL);
            assertThat(rows.get(0).count()).as("%s aggregate count", user).isEqualTo(want.size());
            Object sum = rows.get(0).values().get(Metric.sum("qty"));
            assertThat(sum == null ? 0L : ((Number) sum).longValue()).as("%s aggregate sum", user).isEqualTo(qty);
        }
        assertThat(crm().admin().searchIndex().awaitUpToDate(java.time.Duration.ofSeconds(60))).isTrue();
        var result = s.search(SearchQuery.of("widget").types(GADGET).limit(50));
        List<UUID> found = result.hits().stream().map(Hit::id).sorted().toList();
        assertThat(found).as("%s search", user).isEqualTo(want);
        assertThat(result.total()).as("%s search total", user).isEqualTo(want.size());
        for (Record r : expected) {
            assertThat(set.get(r.id()).id()).isEqualTo(r.id());
            assertThat(set.timeline(r.id())).as("%s timeline", user).isNotEmpty();
        }
    }

    private void seesNot(String user, Record r) {
        RecordSet set = crm().asUser(user).records(GADGET);
        assertThat(set.find(r.id())).isEmpty();
        assertThatThrownBy(() -> set.get(r.id())).isInstanceOf(NotFoundException.class)
                .hasMessageNotContaining(r.getString("name"));
        assertThatThrownBy(() -> set.timeline(r.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> set.update(r.id(), set.find(r.id()).map(Record::version).orElse(r.version()),
                Map.of("qty", 99))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> set.delete(r.id(), r.version())).isInstanceOf(NotFoundException.class);
    }

    private Record current(Record r) {
        return crm().as(org.crmkit.security.Principal.SYSTEM).records(GADGET).get(r.id());
    }

    private void canUpdateAndDelete(String user, Record r) {
        RecordSet set = crm().asUser(user).records(GADGET);
        Record now = current(r);
        long qty = java.util.Objects.requireNonNull(now.getLong("qty"));
        Record updated = set.update(r.id(), now.version(), Map.of("qty", qty + 1));
        assertThat(updated.getLong("qty")).isEqualTo(qty + 1);
        Record deleted = set.delete(r.id(), updated.version());
        assertThat(deleted.isDeleted()).isTrue();
    }

    private void readOnly(String user, Record r) {
        RecordSet set = crm().asUser(user).records(GADGET);
        Record now = current(r);
        assertThatThrownBy(() -> set.update(r.id(), now.version(), Map.of("qty", 5)))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> set.delete(r.id(), now.version())).isInstanceOf(AccessDeniedException.class);
        assertThat(current(r).version()).isEqualTo(now.version());
    }

    @Test
    void ownerAndNobodyElseWithoutSharing() {
        Record mine = gadget("otto", "widget o", "south", 2);
        reaches("otto", mine);
        reaches("nick");
        seesNot("nick", mine);
        seesNot("rita", mine); // not below otto's role
        canUpdateAndDelete("otto", mine);
    }

    @Test
    void managersAboveSeeAndEditWhatTheRolesBelowOwn() {
        Record rita = gadget("rita", "widget r", "north", 3);
        Record ian = gadget("ian", "widget i", "south", 4);
        Record max = gadget("max", "widget m", "north", 5);
        reaches("max", rita, ian, max); // one and two levels
        reaches("vera", rita, ian, max); // two and three levels
        reaches("rita", rita, ian); // her intern, not her manager
        reaches("ian", ian);
        seesNot("rita", max);
        seesNot("otto", rita);
        canUpdateAndDelete("vera", ian);
        canUpdateAndDelete("max", rita);
    }

    @Test
    void managersWithoutUpdateGrantsOnlyRead() {
        admin.saveRole(Role.builder("vp").grant(GADGET, RecordScope.OWN, Permission.READ).build());
        Record rita = gadget("rita", "widget r", "north", 3);
        reaches("vera", rita);
        RecordSet set = crm().asUser("vera").records(GADGET);
        assertThatThrownBy(() -> set.update(rita.id(), rita.version(), Map.of("qty", 9)))
                .isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void aMovedRoleTakesItsRecordsAlongAtOnce() {
        Record ian = gadget("ian", "widget i", "south", 4);
        reaches("max", ian);
        admin.setParent("intern", "ops");
        reaches("max");
        seesNot("max", ian);
        admin.saveUser(new StoredUser("ian", "ops_junior", List.of()));
        reaches("max");
        admin.setParent("ops", "vp");
        reaches("vera", ian);
    }

    @Test
    void aRuleSharesMatchingRecordsWithARoleAtReadLevel() {
        Record north = gadget("rita", "widget n", "north", 3);
        Record south = gadget("rita", "widget s", "south", 4);
        admin.saveRule(new SharingRule("north_to_other", GADGET, where("region").eq("north"), Grantee.role("other"),
                ShareLevel.READ));
        reaches("otto", north);
        seesNot("otto", south);
        readOnly("otto", north);
        reaches("olga"); // another role
        admin.deleteRule("north_to_other");
        reaches("otto");
        seesNot("otto", north);
    }

    @Test
    void aRuleWithARoleAndSubordinatesAtReadWrite() {
        Record north = gadget("rita", "widget n", "north", 3);
        gadget("rita", "widget s", "south", 4);
        admin.saveRule(new SharingRule("north_to_ops", GADGET, where("region").eq("north"),
                Grantee.roleAndSubordinates("ops"), ShareLevel.READ_WRITE));
        reaches("olga", north); // ops_junior is below ops
        reaches("otto");
        canUpdateAndDelete("olga", north);
    }

    @Test
    void aRuleWithRoleOnlyLeavesSubordinatesOut() {
        Record north = gadget("rita", "widget n", "north", 3);
        admin.saveRule(new SharingRule("north_ops_only", GADGET, where("region").eq("north"), Grantee.role("ops"),
                ShareLevel.READ));
        reaches("olga");
        seesNot("olga", north);
    }

    @Test
    void aRuleWithATeamAndTheSameTeamScope() {
        Record south = gadget("otto", "widget s", "south", 6);
        Record north = gadget("otto", "widget n", "north", 7);
        admin.saveRule(new SharingRule("south_to_east", GADGET, where("region").eq("south"), Grantee.team("east"),
                ShareLevel.READ_WRITE));
        reaches("tina", south);
        seesNot("tina", north);
        canUpdateAndDelete("tina", south);
        // a TEAM-scope role sees the team's records without any rule
        admin.saveRole(Role.builder("other").grant(GADGET, RecordScope.TEAM, Permission.values()).build());
        user("sam", "other", "east");
        Record samTeam = crm().asUser("sam").records(GADGET).create(Map.of("name", "widget t", "region", "north",
                "qty", 1));
        assertThat(samTeam.team()).isEqualTo("east");
        reaches("tina", samTeam);
    }

    @Test
    void manualSharesWithAUserRevokedAtOnce() {
        Record r = gadget("rita", "widget r", "north", 3);
        CrmSession rita = crm().asUser("rita");
        rita.shares().share(GADGET, r.id(), Grantee.user("sam"), ShareLevel.READ);
        assertThat(rita.shares().of(GADGET, r.id())).extracting(s -> s.grantee().key() + "=" + s.level())
                .containsExactly("user:sam=READ");
        reaches("sam", r);
        readOnly("sam", r);
        rita.shares().share(GADGET, r.id(), Grantee.user("sam"), ShareLevel.READ_WRITE);
        Record now = current(r);
        assertThat(crm().asUser("sam").records(GADGET).update(r.id(), now.version(), Map.of("qty", 8))
                .getLong("qty")).isEqualTo(8L);
        assertThat(rita.shares().revoke(GADGET, r.id(), Grantee.user("sam"))).isTrue();
        assertThat(rita.shares().revoke(GADGET, r.id(), Grantee.user("sam"))).isFalse();
        reaches("sam");
        seesNot("sam", r);
        assertThat(rita.shares().of(GADGET, r.id())).isEmpty();
    }

    @Test
    void manualSharesWithATeam() {
        Record r = gadget("rita", "widget r", "north", 3);
        crm().asUser("rita").shares().share(GADGET, r.id(), Grantee.team("east"), ShareLevel.READ_WRITE);
        reaches("tina", r);
        reaches("nick");
        canUpdateAndDelete("tina", r);
    }

    @Test
    void onlyTheOwnerOrAnAccessManagerShares() {
        Record r = gadget("rita", "widget r", "north", 3);
        Record hidden = gadget("otto", "widget o", "south", 3);
        // max sees it (above rita) but does not own it
        assertThatThrownBy(() -> crm().asUser("max").shares().share(GADGET, r.id(), Grantee.user("sam"),
                ShareLevel.READ)).isInstanceOf(AccessDeniedException.class);
        // a record nick cannot read is missing, whatever the reason
        assertThatThrownBy(() -> crm().asUser("nick").shares().share(GADGET, hidden.id(), Grantee.user("nick"),
                ShareLevel.READ)).isInstanceOf(NotFoundException.class).hasMessageNotContaining("otto")
                .hasMessageNotContaining("widget");
        assertThatThrownBy(() -> crm().asUser("rita").shares().share(GADGET, r.id(), Grantee.role("other"),
                ShareLevel.READ)).isInstanceOf(org.crmkit.error.AccessModelException.class)
                .hasMessageContaining("user or a team");
        crm().as(org.crmkit.security.Principal.SYSTEM).shares().share(GADGET, hidden.id(), Grantee.user("nick"),
                ShareLevel.READ);
        reaches("nick", hidden);
    }

    @Test
    void manyManualSharesStayInsideTheQuery() {
        Record r = gadget("rita", "widget r", "north", 3);
        CrmSession rita = crm().asUser("rita");
        List<Record> more = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Record x = rita.records(GADGET).create(Map.of("name", "widget " + i, "region", "south", "qty", i));
            rita.shares().share(GADGET, x.id(), Grantee.user("nick"), ShareLevel.READ);
            more.add(x);
        }
        more.add(0, r);
        rita.shares().share(GADGET, r.id(), Grantee.user("nick"), ShareLevel.READ);
        reaches("nick", more.toArray(Record[]::new));
        assertThat(crm().asUser("nick").records(GADGET).count(where("region").eq("north"))).isEqualTo(1);
    }

    @Test
    void changesOnOneNodeTakeEffectOnAnotherAtOnce() {
        CrmStorage second = secondNode();
        org.junit.jupiter.api.Assumptions.assumeTrue(second != null, "the storage cannot be opened twice");
        Record r = gadget("rita", "widget r", "north", 3);
        try (Crm other = configure(Crm.builder()).storage(second).build()) {
            RecordSet sam = other.asUser("sam").records(GADGET);
            assertThat(sam.find(r.id())).isEmpty();
            assertThat(other.admin().searchIndex().awaitUpToDate(java.time.Duration.ofSeconds(60))).isTrue();
            CrmSession samSearches = other.asUser("sam");
            assertThat(samSearches.search(SearchQuery.of("widget").types(GADGET)).hits()).isEmpty();
            crm().asUser("rita").shares().share(GADGET, r.id(), Grantee.user("sam"), ShareLevel.READ);
            assertThat(sam.find(r.id())).isPresent();
            assertThat(sam.count(Filter.ALL)).isEqualTo(1);
            // a search reads the index, not the shares: it catches up with them itself
            assertThat(samSearches.search(SearchQuery.of("widget").types(GADGET)).hits()).extracting(Hit::id)
                    .containsExactly(r.id());
            crm().asUser("rita").shares().revoke(GADGET, r.id(), Grantee.user("sam"));
            assertThat(samSearches.search(SearchQuery.of("widget").types(GADGET)).hits()).isEmpty();
            assertThat(sam.find(r.id())).isEmpty();
            RecordSet otto = other.asUser("otto").records(GADGET);
            admin.saveRule(new SharingRule("all_north", GADGET, where("region").eq("north"), Grantee.role("other"),
                    ShareLevel.READ));
            assertThat(otto.count(Filter.ALL)).isEqualTo(1);
            admin.setParent("other", "rep"); // otto now below rita, and the rule still shares the record
            RecordSet rita = other.asUser("rita").records(GADGET);
            Record ottos = crm().asUser("otto").records(GADGET).create(Map.of("name", "widget o", "region", "south",
                    "qty", 1));
            assertThat(rita.find(ottos.id())).isPresent();
            admin.setParent("other", null);
            assertThat(rita.find(ottos.id())).isEmpty();
        }
    }
}
