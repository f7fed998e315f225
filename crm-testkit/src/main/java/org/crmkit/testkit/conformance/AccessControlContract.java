package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.query.Filters.where;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.crmkit.CrmSession;
import org.crmkit.RecordSet;
import org.crmkit.error.AccessDeniedException;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.NotFoundException;
import org.crmkit.error.ValidationException;
import org.crmkit.query.Aggregation;
import org.crmkit.query.Filters;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.crmkit.storage.spi.StorageFeature;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Access control through the service layer: record scopes, object permissions, field access, transfers. */
public abstract class AccessControlContract extends ConformanceContract {
    private CrmSession ann;
    private CrmSession bob;

    @BeforeEach
    void users() {
        defineWidget();
        ann = crm().as(Principal.user("ann", Role.SALES_REP));
        bob = crm().as(Principal.user("bob", Role.SALES_REP));
    }

    /** Runs {@code probe} on an unreachable id and on a missing one: both must fail with NotFoundException. */
    private static void behavesAsMissing(UUID hidden, Consumer<UUID> probe) {
        assertThatThrownBy(() -> probe.accept(hidden)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> probe.accept(UUID.randomUUID())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void salesRepSeesOnlyOwnRecordsAndOthersBehaveAsMissing() {
        assumeSupported(StorageFeature.AGGREGATES);
        Record mine = ann.records(WIDGET).create(Map.of("name", "mine", "qty", 1));
        Record theirs = bob.records(WIDGET).create(Map.of("name", "theirs", "qty", 1));
        RecordSet w = ann.records(WIDGET);
        assertThat(w.find(theirs.id())).isEmpty();
        behavesAsMissing(theirs.id(), id -> w.get(id));
        behavesAsMissing(theirs.id(), id -> w.update(id, 1, Map.of("qty", 2)));
        behavesAsMissing(theirs.id(), id -> w.delete(id, 1));
        behavesAsMissing(theirs.id(), id -> w.timeline(id));
        assertThat(w.query(Filters.all()).items()).extracting(Record::id).containsExactly(mine.id());
        assertThat(w.query(where("name").eq("theirs")).items()).isEmpty();
        assertThat(w.count(Filters.all())).isEqualTo(1);
        assertThat(w.count(where("qty").eq(1))).isEqualTo(1);
        assertThat(w.aggregate(Aggregation.total().sum("qty"), Filters.all()).get(0).sum("qty"))
                .isEqualTo(BigDecimal.ONE);
        assertThat(w.query(Query.all().deleted(Query.Deleted.INCLUDE)).items()).hasSize(1);
        // referencing a record one cannot see is as referencing a missing one
        Record bobsCompany = bob.records("company").create(Map.of("name", "Bob Inc"));
        assertThatThrownBy(() -> w.create(Map.of("name", "x", "company", bobsCompany.id())))
                .matches(error("company", FieldErrorCode.INVALID_REFERENCE));
        assertThat(records(WIDGET).get(theirs.id())).isEqualTo(theirs);
    }

    @Test
    void pathsThroughRecordsOutOfScopeSeeThemAsMissing() {
        Record bobsCompany = records("company").create(Map.of("name", "Bob Inc", "industry", "finance",
                "owner", "bob"));
        Record annsCompany = records("company").create(Map.of("name", "Ann Inc", "industry", "finance",
                "owner", "ann"));
        Record viaBob = records(WIDGET).create(Map.of("name", "via bob", "company", bobsCompany.id(), "owner", "ann"));
        Record viaAnn = records(WIDGET).create(Map.of("name", "via ann", "company", annsCompany.id(), "owner", "ann"));
        Record none = records(WIDGET).create(Map.of("name", "none", "owner", "ann"));
        RecordSet w = ann.records(WIDGET);
        assertThat(ids(w, where("company.industry").eq("finance"))).containsExactly(viaAnn.id());
        assertThat(ids(w, where("company.name").startsWith("bob"))).isEmpty();
        assertThat(ids(w, where("company.industry").isNull())).containsExactlyInAnyOrder(viaBob.id(), none.id());
        assertThat(ids(w, where("company.industry").ne("finance"))).containsExactlyInAnyOrder(viaBob.id(), none.id());
        assertThat(ids(w, where("company.industry").isNotNull())).containsExactly(viaAnn.id());
        assertThat(ids(w, where("company.id").eq(bobsCompany.id()))).isEmpty();
        // the reference itself is the record's own value
        assertThat(ids(w, where("company").eq(bobsCompany.id()))).containsExactly(viaBob.id());
        assertThat(records(WIDGET).count(where("company.industry").eq("finance"))).isEqualTo(2);
    }

    @Test
    void teamScopeReachesTheTeamsRecords() {
        CrmSession eastRep = crm().as(Principal.user("erin", Role.SALES_REP).inTeams("east"));
        CrmSession eastManager = crm().as(Principal.user("mia", Role.SALES_MANAGER).inTeams("east"));
        CrmSession westManager = crm().as(Principal.user("wes", Role.SALES_MANAGER).inTeams("west"));
        Record r = eastRep.records(WIDGET).create(Map.of("name", "east deal"));
        assertThat(r.team()).isEqualTo("east");
        Record other = bob.records(WIDGET).create(Map.of("name", "no team"));
        assertThat(other.team()).isNull();

        assertThat(eastManager.records(WIDGET).get(r.id())).isEqualTo(r);
        assertThat(eastManager.records(WIDGET).query(Filters.all()).items()).extracting(Record::id)
                .containsExactly(r.id());
        assertThat(eastManager.records(WIDGET).count(Filters.all())).isEqualTo(1);
        Record updated = eastManager.records(WIDGET).update(r, Map.of("qty", 3));
        assertThat(updated.updatedBy()).isEqualTo("mia");
        assertThat(westManager.records(WIDGET).find(r.id())).isEmpty();
        assertThat(westManager.records(WIDGET).count(Filters.all())).isZero();
        assertThatThrownBy(() -> westManager.records(WIDGET).timeline(r.id())).isInstanceOf(NotFoundException.class);
        // a rep in the team still sees only their own records
        CrmSession eastRep2 = crm().as(Principal.user("eve", Role.SALES_REP).inTeams("east"));
        assertThat(eastRep2.records(WIDGET).find(r.id())).isEmpty();
    }

    @Test
    void hiddenFieldsAreAbsentUnfilterableAndUnwritable() {
        assumeSupported(StorageFeature.AGGREGATES);
        Role support = Role.builder("support")
                .grant(WIDGET, RecordScope.ALL, Permission.CREATE, Permission.READ, Permission.UPDATE)
                .field(WIDGET, "price", FieldAccess.HIDDEN)
                .field(WIDGET, "qty", FieldAccess.READ_ONLY)
                .build();
        Record w = records(WIDGET).create(Map.of("name", "w", "price", 10, "qty", 4));
        RecordSet s = crm().as(Principal.user("sam", support)).records(WIDGET);

        Record seen = s.get(w.id());
        assertThat(seen.has("price")).isFalse();
        assertThat(seen.getLong("qty")).isEqualTo(4L);
        assertThat(s.query(Filters.all()).items()).allSatisfy(r -> assertThat(r.has("price")).isFalse());
        assertThatThrownBy(() -> s.query(where("price").gt(1))).matches(error("price", FieldErrorCode.UNKNOWN_FIELD));
        assertThatThrownBy(() -> s.count(where("price").isNull()))
                .matches(error("price", FieldErrorCode.UNKNOWN_FIELD));
        assertThatThrownBy(() -> s.query(Query.all().orderBy(Sort.asc("price"))))
                .matches(error("price", FieldErrorCode.UNKNOWN_FIELD));
        assertThatThrownBy(() -> s.aggregate(Aggregation.total().sum("price"), Filters.all()))
                .matches(error("price", FieldErrorCode.UNKNOWN_FIELD));
        assertThatThrownBy(() -> s.update(w, Map.of("price", 11))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> s.create(Map.of("name", "x", "price", 1))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> s.update(w, Map.of("qty", 5))).matches(error("qty", FieldErrorCode.READ_ONLY));
        assertThat(s.count(where("qty").eq(4))).isEqualTo(1);
        // writes of other fields keep the hidden value
        Record renamed = s.update(w, Map.of("name", "renamed"));
        assertThat(renamed.has("price")).isFalse();
        assertThat(records(WIDGET).get(w.id()).getDecimal("price")).isEqualByComparingTo("10");
        assertThat(records(WIDGET).get(w.id()).getLong("qty")).isEqualTo(4L);
        // through a reference path too
        Role noIndustry = Role.builder("no_industry").grant(Role.ANY_TYPE, RecordScope.ALL, Permission.READ)
                .field("company", "industry", FieldAccess.HIDDEN).build();
        assertThatThrownBy(() -> crm().as(Principal.user("x", noIndustry)).records(WIDGET)
                .count(where("company.industry").eq("software")))
                .matches(error("company.industry", FieldErrorCode.UNKNOWN_FIELD));
    }

    @Test
    void formulasAreAsHiddenAsTheMostHiddenFieldTheyRead() {
        assumeSupported(StorageFeature.AGGREGATES);
        crm().schema().addField(WIDGET, Field.formula("price_x2", FieldType.DECIMAL, "double(price) * 2.0"));
        crm().schema().addField(WIDGET, Field.formula("qty_x2", FieldType.INTEGER, "qty == null ? 0 : qty * 2"));
        crm().schema().addField(WIDGET, Field.formula("mixed", FieldType.DECIMAL, "double(price) + double(qty)"));
        crm().schema().addField(WIDGET, Field.formula("priced", FieldType.BOOLEAN, "price != null")
                .visibleRegardlessOfInputs(true));
        Role support = Role.builder("support")
                .grant(WIDGET, RecordScope.ALL, Permission.CREATE, Permission.READ, Permission.UPDATE)
                .field(WIDGET, "price", FieldAccess.HIDDEN)
                .field(WIDGET, "qty", FieldAccess.READ_ONLY)
                .build();
        Record w = records(WIDGET).create(Map.of("name", "w", "price", 10, "qty", 4));
        assertThat(records(WIDGET).get(w.id()).getDecimal("price_x2")).isEqualByComparingTo("20");
        assertThat(records(WIDGET).get(w.id()).getDecimal("mixed")).isEqualByComparingTo("14");
        RecordSet s = crm().as(Principal.user("sam", support)).records(WIDGET);

        Record seen = s.get(w.id());
        assertThat(seen.has("price_x2")).isFalse();
        assertThat(seen.has("mixed")).isFalse();
        assertThat(seen.getLong("qty_x2")).isEqualTo(8L);
        assertThat(seen.getBoolean("priced")).isTrue();
        assertThat(s.query(Filters.all()).items()).singleElement()
                .satisfies(r -> assertThat(r.values()).doesNotContainKeys("price", "price_x2", "mixed"));
        assertThat(s.update(w, Map.of("name", "renamed")).values()).doesNotContainKeys("price_x2", "mixed");
        // a hidden formula is as absent as a field that does not exist, in filters, sorts, aggregates and writes
        for (String f : List.of("price_x2", "mixed")) {
            assertThatThrownBy(() -> s.query(where(f).gt(1))).matches(error(f, FieldErrorCode.UNKNOWN_FIELD));
            assertThatThrownBy(() -> s.count(where(f).isNull())).matches(error(f, FieldErrorCode.UNKNOWN_FIELD));
            assertThatThrownBy(() -> s.query(Query.all().orderBy(Sort.asc(f))))
                    .matches(error(f, FieldErrorCode.UNKNOWN_FIELD));
            assertThatThrownBy(() -> s.aggregate(Aggregation.total().sum(f), Filters.all()))
                    .matches(error(f, FieldErrorCode.UNKNOWN_FIELD));
            assertThatThrownBy(() -> s.create(Map.of("name", "x", f, 1)))
                    .matches(error(f, FieldErrorCode.UNKNOWN_FIELD));
        }
        // a readable formula stays read-only
        assertThatThrownBy(() -> s.create(Map.of("name", "x", "qty_x2", 1)))
                .matches(error("qty_x2", FieldErrorCode.READ_ONLY));
        assertThat(s.timeline(w.id())).allSatisfy(e -> assertThat(e.changes())
                .noneMatch(c -> c.field().equals("price") || c.field().equals("price_x2")));
    }

    @Test
    void missingObjectPermissionsAreDenied() {
        CrmSession reader = crm().as(Principal.user("rita", Role.READ_ONLY));
        Record w = records(WIDGET).create(Map.of("name", "w"));
        assertThat(reader.records(WIDGET).get(w.id())).isEqualTo(w);
        assertThatThrownBy(() -> reader.records(WIDGET).create(Map.of("name", "x")))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> reader.records(WIDGET).update(w, Map.of("name", "x")))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> reader.records(WIDGET).delete(w.id(), 1)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> reader.records(WIDGET).purge(w.id())).isInstanceOf(AccessDeniedException.class);
        Role contactsOnly = Role.builder("contacts").grant("contact", RecordScope.ALL, Permission.values()).build();
        CrmSession c = crm().as(Principal.user("carl", contactsOnly));
        assertThatThrownBy(() -> c.records(WIDGET).query(Filters.all())).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> c.records(WIDGET).count(Filters.all())).isInstanceOf(AccessDeniedException.class);
        assertThat(records(WIDGET).count(Filters.all())).isEqualTo(1);
    }

    @Test
    void ownerChangesNeedTheTransferPermission() {
        Record mine = ann.records(WIDGET).create(Map.of("name", "mine"));
        assertThatThrownBy(() -> ann.records(WIDGET).update(mine, Map.of("owner", "bob")))
                .matches(error("owner", FieldErrorCode.READ_ONLY));
        assertThatThrownBy(() -> ann.records(WIDGET).create(Map.of("name", "x", "owner", "bob")))
                .matches(error("owner", FieldErrorCode.READ_ONLY));
        assertThat(records(WIDGET).get(mine.id()).owner()).isEqualTo("ann");

        CrmSession boss = crm().as(Principal.user("ann", Role.SALES_MANAGER));
        Record moved = boss.records(WIDGET).update(mine, Map.of("owner", "bob"));
        assertThat(moved.owner()).isEqualTo("bob");
        assertThat(ann.records(WIDGET).find(mine.id())).isEmpty();
        assertThat(bob.records(WIDGET).get(mine.id()).owner()).isEqualTo("bob");
        assertThat(records(WIDGET).timeline(mine.id()).get(1).change("owner")).isPresent();
    }

    @Test
    void systemPrincipalSeesEverything() {
        assumeSupported(StorageFeature.AGGREGATES);
        ann.records(WIDGET).create(Map.of("name", "a"));
        bob.records(WIDGET).create(Map.of("name", "b"));
        crm().as(Principal.user("tia", Role.SALES_REP).inTeams("t")).records(WIDGET).create(Map.of("name", "c"));
        assertThat(records(WIDGET).count(Filters.all())).isEqualTo(3);
        assertThat(records(WIDGET).query(Filters.all()).items()).extracting(Record::owner)
                .containsExactlyInAnyOrder("ann", "bob", "tia");
        assertThat(crm().as(Principal.user("admin", Role.ADMIN)).records(WIDGET).count(Filters.all())).isEqualTo(3);
        assertThat(records(WIDGET).aggregate(Aggregation.groupBy("owner"), Filters.all()))
                .extracting(r -> r.group().get(0)).containsExactly("ann", "bob", "tia");
        assertThat(List.of(ann.records(WIDGET).count(Filters.all()), bob.records(WIDGET).count(Filters.all())))
                .containsExactly(1L, 1L);
    }
}
