package org.crmkit.testkit.conformance;

import org.jspecify.annotations.Nullable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.crmkit.query.Filters.and;
import static org.crmkit.query.Filters.not;
import static org.crmkit.query.Filters.or;
import static org.crmkit.query.Filters.where;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.crmkit.CrmSession;
import org.crmkit.RecordSet;
import org.crmkit.error.FieldError;
import org.crmkit.error.ValidationException;
import org.crmkit.query.AggregateRow;
import org.crmkit.query.Aggregation;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.crmkit.storage.spi.StorageFeature;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Field paths and access control: a hidden field, a hidden reference, a type the caller cannot read and a part
 * of a hidden field are refused exactly as a field that does not exist, in filters, sorts and aggregates; and a
 * path through references applies the caller's record scope to every record it passes, so a referenced record
 * out of scope reads as an empty reference, in queries, counts and aggregates, however the condition is nested.
 */
public abstract class PathAccessContract extends ConformanceContract {
    private static final String GIZMO = "gizmo";
    private static final String VAULT = "vault";

    @BeforeEach
    void types() {
        defineWidget();
        crm().schema().addObjectType(ObjectType.custom(VAULT, "Vault", Field.text("name")));
        crm().schema().addObjectType(ObjectType.custom(GIZMO, "Gizmo",
                Field.text("name"),
                Field.text("secret"),
                Field.currency("cost"),
                Field.reference("widget", WIDGET),
                Field.reference("hidden_ref", WIDGET),
                Field.reference("vault", VAULT)));
    }

    // ---- hidden is missing ---------------------------------------------------------------------------------

    /** Reads gizmos, widgets and companies (own records), not vaults; some fields hidden. */
    private CrmSession probe() {
        Role probe = Role.builder("probe")
                .grant(GIZMO, RecordScope.OWN, Permission.CREATE, Permission.READ)
                .grant(WIDGET, RecordScope.OWN, Permission.READ)
                .grant("company", RecordScope.OWN, Permission.READ)
                .field(GIZMO, "secret", FieldAccess.HIDDEN)
                .field(GIZMO, "cost", FieldAccess.HIDDEN)
                .field(GIZMO, "hidden_ref", FieldAccess.HIDDEN)
                .field(WIDGET, "price", FieldAccess.HIDDEN)
                .build();
        return crm().as(Principal.user("pat", probe));
    }

    private static ValidationException refused(Runnable call) {
        Throwable t = catchThrowable(call::run);
        assertThat(t).isInstanceOf(ValidationException.class);
        return (ValidationException) t;
    }

    @Test
    void hiddenFieldsTypesAndPartsFailExactlyAsMissingOnes() {
        assumeSupported(StorageFeature.AGGREGATES);
        records(GIZMO).create(Map.of("name", "g", "secret", "s", "cost", new Money(new BigDecimal("5"), "EUR")));
        RecordSet gizmos = probe().records(GIZMO);
        Map<String, Function<String, Runnable>> calls = new LinkedHashMap<>();
        calls.put("query", p -> () -> gizmos.query(where(p).eq("x")));
        calls.put("count", p -> () -> gizmos.count(where(p).isNull()));
        calls.put("nested", p -> () -> gizmos.count(or(where("name").eq("a"), not(where(p).contains("x")))));
        calls.put("sort", p -> () -> gizmos.query(Query.all().orderBy(Sort.asc(p))));
        calls.put("sum", p -> () -> gizmos.aggregate(Aggregation.total().sum(p), Filters.all()));
        calls.put("max", p -> () -> gizmos.aggregate(Aggregation.total().max(p), Filters.all()));
        calls.put("group by", p -> () -> gizmos.aggregate(Aggregation.groupBy(p), Filters.all()));
        calls.put("aggregate filter", p -> () -> gizmos.aggregate(Aggregation.total(), where(p).gt(1)));
        List<String> paths = List.of(
                "secret", "cost", "cost.currency", "cost.amount", // hidden field, its parts, a part it lacks
                "hidden_ref", "hidden_ref.name", "hidden_ref.id", // hidden reference and hops through it
                "vault.name", "vault.id", "vault.owner", "vault.nosuch", // a type the caller cannot read
                "widget.price", "widget.price.currency", // hidden field of a referenced type
                "nosuch.amount", "widget.nosuch", "widget.company.nosuch"); // truly missing
        for (Map.Entry<String, Function<String, Runnable>> call : calls.entrySet()) {
            ValidationException missing = refused(call.getValue().apply("nosuch"));
            assertThat(missing.errors()).hasSize(1);
            FieldError m = missing.errors().get(0);
            for (String path : paths) {
                ValidationException e = refused(call.getValue().apply(path));
                assertThat(e.errors()).as(call.getKey() + " " + path)
                        .containsExactly(new FieldError(path, m.code(), m.message()));
                assertThat(e.getMessage()).as(call.getKey() + " " + path)
                        .isEqualTo(String.valueOf(missing.getMessage()).replace("nosuch", path));
                assertThat(e.objectType()).isEqualTo(missing.objectType());
            }
        }
        // what the caller does see still resolves, with the precise messages
        assertThat(gizmos.count(where("widget.company.name").eq("x"))).isZero();
        assertThat(refused(() -> gizmos.count(where("name.amount").eq("x"))).errors().get(0).message())
                .contains("not a reference");
    }

    // ---- scope through references --------------------------------------------------------------------------

    private Record company(String owner) {
        return records("company").create(Map.of("name", "of " + owner, "industry", "finance", "owner", owner));
    }

    private Record widget(String name, String owner, long qty, @Nullable Record company) {
        return records(WIDGET).create(values("name", name, "owner", owner, "qty", qty, "company",
                company == null ? null : company.id()));
    }

    private static List<UUID> idsOf(Record... rs) {
        return java.util.Arrays.stream(rs).map(Record::id).toList();
    }

    @Test
    void pathsApplyTheScopeOfEveryRecordTheyPass() {
        assumeSupported(StorageFeature.AGGREGATES);
        Record annsCompany = company("ann");
        Record bobsCompany = company("bob");
        Record inScope = widget("in", "ann", 1, annsCompany);
        Record outOfScope = widget("out", "ann", 2, bobsCompany);
        Record none = widget("none", "ann", 4, null);
        Record bobsWidget = widget("bobs", "bob", 8, annsCompany);
        RecordSet w = crm().as(Principal.user("ann", Role.SALES_REP)).records(WIDGET);

        Map<Filter, List<UUID>> expected = new LinkedHashMap<>();
        // an out-of-scope company reads as no company at all
        expected.put(where("company.industry").eq("finance"), idsOf(inScope));
        expected.put(where("company.industry").isNull(), idsOf(outOfScope, none));
        expected.put(where("company.industry").ne("finance"), idsOf(outOfScope, none));
        expected.put(where("company.industry").isNotNull(), idsOf(inScope));
        expected.put(where("company.name").startsWith("of"), idsOf(inScope));
        expected.put(where("company.owner").eq("bob"), idsOf());
        expected.put(where("company.id").eq(bobsCompany.id()), idsOf());
        expected.put(where("company.id").isNull(), idsOf(outOfScope, none));
        expected.put(where("company.industry").in("finance", "retail"), idsOf(inScope));
        // however the conditions are combined
        expected.put(not(where("company.industry").eq("finance")), idsOf(outOfScope, none));
        expected.put(or(where("company.industry").eq("finance"), where("qty").eq(4)), idsOf(inScope, none));
        expected.put(and(where("qty").gt(0), not(or(where("company.industry").eq("finance"),
                where("company.name").startsWith("x")))), idsOf(outOfScope, none));
        expected.put(not(and(where("qty").lt(100), where("company.industry").isNull())), idsOf(inScope));
        expected.put(or(not(where("company.owner").ne("ann")), where("name").eq("zzz")), idsOf(inScope));
        for (Map.Entry<Filter, List<UUID>> e : expected.entrySet()) {
            assertThat(ids(w, e.getKey())).as("%s", e.getKey()).containsExactlyInAnyOrderElementsOf(e.getValue());
            assertThat(w.count(e.getKey())).as("count of %s", e.getKey()).isEqualTo(e.getValue().size());
            List<AggregateRow> rows = w.aggregate(Aggregation.total().sum("qty"), e.getKey());
            long sum = e.getValue().stream().mapToLong(id -> records(WIDGET).get(id).getLong("qty")).sum();
            assertThat(rows.get(0).count()).as("aggregate count of %s", e.getKey()).isEqualTo(e.getValue().size());
            assertThat(rows.get(0).sum("qty")).as("aggregate sum of %s", e.getKey())
                    .isEqualTo(e.getValue().isEmpty() ? null : BigDecimal.valueOf(sum));
        }
        assertThat(w.aggregate(Aggregation.groupBy("qty").count(), where("company.industry").eq("finance")))
                .extracting(r -> r.group().get(0)).containsExactly(1L);
        // in scope for whoever may see the company: the other direction
        RecordSet all = crm().as(Principal.user("ada", Role.READ_ONLY)).records(WIDGET);
        assertThat(ids(all, where("company.industry").eq("finance")))
                .containsExactlyInAnyOrderElementsOf(idsOf(inScope, outOfScope, bobsWidget));
        assertThat(all.count(where("company.industry").isNull())).isEqualTo(1);
        assertThat(all.aggregate(Aggregation.total().sum("qty"), where("company.owner").eq("bob")).get(0)
                .sum("qty")).isEqualTo(BigDecimal.valueOf(2));
        RecordSet bobs = crm().as(Principal.user("bob", Role.SALES_REP)).records(WIDGET);
        assertThat(ids(bobs, where("company.industry").eq("finance"))).isEmpty();
        assertThat(ids(bobs, where("company.industry").isNull())).containsExactly(bobsWidget.id());
    }

    @Test
    void everyHopOfALongerPathIsScoped() {
        assumeSupported(StorageFeature.AGGREGATES);
        Record annsCompany = company("ann");
        Record bobsCompany = company("bob");
        Record annsWidget = widget("a", "ann", 1, annsCompany);
        Record annsWidgetOfBobs = widget("b", "ann", 2, bobsCompany);
        Record bobsWidget = widget("c", "bob", 4, annsCompany);
        Map<String, Record> gizmos = new LinkedHashMap<>();
        for (Record target : List.of(annsWidget, annsWidgetOfBobs, bobsWidget)) {
            gizmos.put(target.getString("name"), records(GIZMO).create(Map.of("name", "to " + target.getString("name"),
                    "widget", target.id(), "owner", "ann")));
        }
        RecordSet g = crm().as(Principal.user("ann", Role.SALES_REP)).records(GIZMO);
        Filter finance = where("widget.company.industry").eq("finance");
        assertThat(ids(g, finance)).containsExactly(java.util.Objects.requireNonNull(gizmos.get("a")).id());
        assertThat(g.count(finance)).isEqualTo(1);
        assertThat(ids(g, where("widget.company.industry").isNull()))
                .containsExactlyInAnyOrder(java.util.Objects.requireNonNull(gizmos.get("b")).id(),
                        java.util.Objects.requireNonNull(gizmos.get("c")).id());
        assertThat(ids(g, not(finance))).containsExactlyInAnyOrder(
                java.util.Objects.requireNonNull(gizmos.get("b")).id(),
                java.util.Objects.requireNonNull(gizmos.get("c")).id());
        assertThat(ids(g, where("widget.qty").gte(1))).containsExactlyInAnyOrder(
                java.util.Objects.requireNonNull(gizmos.get("a")).id(),
                java.util.Objects.requireNonNull(gizmos.get("b")).id());
        assertThat(g.aggregate(Aggregation.total(), where("widget.company.owner").eq("ann")).get(0).count())
                .isEqualTo(1);
        RecordSet everything = crm().as(Principal.user("ada", Role.READ_ONLY)).records(GIZMO);
        assertThat(everything.count(finance)).isEqualTo(3);
    }
}
