package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.SchemaException;
import org.crmkit.error.ValidationException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.Operation;
import org.crmkit.query.Aggregation;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.crmkit.query.Metric;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.Record;
import org.crmkit.rollup.RecalculationJob;
import org.crmkit.rollup.RecalculationProgress;
import org.crmkit.schema.DataPolicy;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.Rollup;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.crmkit.storage.spi.StorageFeature;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Roll-up fields ({@code Field.rollup}): on company, over its widgets: {@code widgets} (count), {@code qty_total}
 * (sum of qty), {@code red_max} (max price of red widgets), {@code price_avg} (average price). Every value is checked
 * against a recomputation from the widgets themselves, after each kind of change (create, update of the value, of
 * the filter's field and of the reference, delete, restore, purge, merge, import), under 16 concurrent writers, and
 * after a recalculation; plus read-only, filters, sorts, aggregates, formulas, access and definition errors.
 */
public abstract class RollupContract extends ConformanceContract {
    private static final int THREADS = 16;

    private Record acme;
    private Record globex;

    @BeforeEach
    void rollups() {
        assumeSupported(StorageFeature.AGGREGATES);
        assumeSupported(StorageFeature.ROW_LOCKS);
        defineWidget();
        addRollup(Field.rollup("widgets", WIDGET, "company", Metric.count(), null));
        addRollup(Field.rollup("qty_total", WIDGET, "company", Metric.sum("qty"), null));
        addRollup(Field.rollup("red_max", WIDGET, "company", Metric.max("price"), Filters.where("color").eq("red")));
        addRollup(Field.rollup("price_avg", WIDGET, "company", Metric.avg("price"), null));
        acme = records("company").create(Map.of("name", "Acme"));
        globex = records("company").create(Map.of("name", "Globex"));
    }

    private void addRollup(Field f) {
        crm().schema().addField("company", f);
        awaitRecalculations();
    }

    private List<RecalculationProgress> awaitRecalculations() {
        List<RecalculationProgress> out = new ArrayList<>();
        for (RecalculationJob job : crm().admin().rollups().jobs()) {
            out.add(job.result().toCompletableFuture().join());
        }
        return out;
    }

    private Record widget(Record company, long qty, String price, String color) {
        return records(WIDGET).create(values("name", "w", "company", company.id(), "qty", qty, "price",
                new BigDecimal(price), "color", color));
    }

    /** The roll-ups of a company as a recomputation from its live widgets gives them. */
    private Map<String, @Nullable Object> recomputed(UUID company) {
        List<Record> live = all(records(WIDGET), Query.where(Filters.where("company").eq(company))
                .limit(Query.MAX_LIMIT));
        long qty = live.stream().map(w -> w.getLong("qty")).filter(Objects::nonNull).mapToLong(Long::longValue).sum();
        BigDecimal redMax = live.stream().filter(w -> "red".equals(w.get("color")))
                .map(w -> (BigDecimal) w.get("price")).filter(Objects::nonNull).max(BigDecimal::compareTo)
                .orElse(null);
        List<BigDecimal> prices = live.stream().map(w -> (BigDecimal) w.get("price")).filter(Objects::nonNull)
                .toList();
        BigDecimal avg = prices.isEmpty() ? null : prices.stream().reduce(BigDecimal.ZERO, BigDecimal::add)
                .divide(BigDecimal.valueOf(prices.size()), 6, RoundingMode.HALF_EVEN);
        return values("widgets", (long) live.size(), "qty_total", qty, "red_max",
                redMax == null ? null : redMax.setScale(2), "price_avg", avg);
    }

    private Map<String, @Nullable Object> stored(UUID company) {
        Record c = records("company").get(company);
        return values("widgets", c.get("widgets"), "qty_total", c.get("qty_total"), "red_max", c.get("red_max"),
                "price_avg", c.get("price_avg"));
    }

    private void assertExact(Record... companies) {
        for (Record c : companies) {
            assertThat(stored(c.id())).as(String.valueOf(c.get("name"))).isEqualTo(recomputed(c.id()));
        }
    }

    @Test
    void aRollUpFieldTakesItsTypeFromWhatItSummarises() {
        var company = crm().schema().objectType("company");
        assertThat(company.findField("widgets").orElseThrow().type()).isEqualTo(FieldType.INTEGER);
        assertThat(company.findField("qty_total").orElseThrow().type()).isEqualTo(FieldType.INTEGER);
        Field redMax = company.findField("red_max").orElseThrow();
        assertThat(redMax.type()).isEqualTo(FieldType.DECIMAL);
        assertThat(redMax.scale()).isEqualTo(2);
        assertThat(redMax.rollup()).isEqualTo(new Rollup(WIDGET, "company", Metric.max("price"),
                Filters.where("color").eq("red")));
        assertThat(company.findField("price_avg").orElseThrow().scale()).isEqualTo(6);
        // a new parent starts at zero for counts and sums, empty for the others
        assertThat(stored(acme.id())).isEqualTo(values("widgets", 0L, "qty_total", 0L, "red_max", null,
                "price_avg", null));
        if (reopen() != null) { // the definition survives a restart as it was stored
            assertThat(crm().schema().objectType("company").findField("red_max")).contains(redMax);
        }
    }

    @Test
    void everyKindOfChildChangeKeepsTheValuesExact() {
        Record a = widget(acme, 3, "10.00", "red");
        Record b = widget(acme, 4, "30.00", "green");
        assertExact(acme, globex);
        assertThat(stored(acme.id()).get("widgets")).isEqualTo(2L);
        assertThat(stored(acme.id()).get("red_max")).isEqualTo(new BigDecimal("10.00"));
        b = records(WIDGET).update(b, Map.of("color", "red")); // the filter's field
        assertThat(stored(acme.id()).get("red_max")).isEqualTo(new BigDecimal("30.00"));
        a = records(WIDGET).update(a, Map.of("qty", 5)); // the summarised field
        assertExact(acme, globex);
        b = records(WIDGET).update(b, Map.of("company", globex.id())); // another parent: both move
        assertExact(acme, globex);
        assertThat(stored(globex.id()).get("widgets")).isEqualTo(1L);
        Record deleted = records(WIDGET).delete(b.id(), b.version());
        assertThat(stored(globex.id())).isEqualTo(values("widgets", 0L, "qty_total", 0L, "red_max", null,
                "price_avg", null));
        records(WIDGET).restore(deleted.id(), deleted.version());
        assertExact(acme, globex);
        assertThat(stored(globex.id()).get("widgets")).isEqualTo(1L);
        records(WIDGET).purge(b.id());
        assertExact(acme, globex);
        records(WIDGET).update(a, values("company", null));
        assertExact(acme, globex);
        assertThat(stored(acme.id()).get("widgets")).isEqualTo(0L);
    }

    @Test
    void theParentIsUpdatedLikeAnyRecordByTheWriterInTheSameTransaction() {
        long seq = crm().changeLog().lastSequence();
        Principal writer = Principal.user("writer", Role.ADMIN);
        Record w = crm().as(writer).records(WIDGET).create(values("name", "w", "company", acme.id(), "qty", 7L));
        List<ChangeLogEntry> log = logAfter(seq);
        assertThat(log).hasSize(2);
        ChangeLogEntry parent = log.get(1);
        assertThat(parent.recordId()).isEqualTo(acme.id());
        assertThat(parent.operation()).isEqualTo(Operation.UPDATE);
        assertThat(parent.principalId()).isEqualTo("writer");
        assertThat(parent.transactionId()).isEqualTo(log.get(0).transactionId());
        assertThat(parent.change("qty_total").orElseThrow().newValue()).isEqualTo(7L);
        Record company = records("company").get(acme.id());
        assertThat(company.version()).isEqualTo(acme.version() + 1);
        assertThat(company.updatedBy()).isEqualTo("writer");
        // a change that moves no roll-up leaves the parent alone
        records(WIDGET).update(w, Map.of("notes", "no roll-up reads this"));
        assertThat(records("company").get(acme.id()).version()).isEqualTo(company.version());
        // a failed transaction moves nothing
        assertThatThrownBy(() -> system().inTransactionDo(s -> {
            s.records(WIDGET).create(values("name", "x", "company", acme.id(), "qty", 100L));
            throw new IllegalStateException("rolled back");
        })).isInstanceOf(IllegalStateException.class);
        assertExact(acme);
        assertThat(stored(acme.id()).get("qty_total")).isEqualTo(7L);
    }

    @Test
    void importsAndMergesKeepTheValuesExact() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            rows.add(Map.of("name", "w" + i, "company", (i % 2 == 0 ? acme : globex).id(), "qty", i, "price",
                    new BigDecimal(i + ".50"), "color", i % 3 == 0 ? "red" : "blue"));
        }
        records(WIDGET).importRecords("rollup-import", rows);
        assertExact(acme, globex);
        assertThat(stored(acme.id()).get("widgets")).isEqualTo(15L);
        if (supports(StorageFeature.MERGE_LINKS)) {
            records("company").merge(acme.id(), List.of(globex.id()));
            assertExact(acme);
            assertThat(stored(acme.id()).get("widgets")).isEqualTo(30L);
            Record merged = records("company").query(Query.where(Filters.where("id").eq(globex.id()))
                    .deleted(Query.Deleted.INCLUDE)).items().get(0);
            assertThat(merged.get("widgets")).isEqualTo(0L);
        }
    }

    @Test
    void sixteenWritersAddingAndRemovingChildrenOfOneParentLeaveAnExactValue() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    List<Record> mine = new ArrayList<>();
                    for (int i = 0; i < 6; i++) {
                        mine.add(widget(acme, thread * 10L + i, (thread + i) + ".25", i % 2 == 0 ? "red" : "green"));
                    }
                    records(WIDGET).delete(mine.get(0).id(), mine.get(0).version());
                    records(WIDGET).update(mine.get(1), Map.of("qty", 1000 + thread));
                    records(WIDGET).update(mine.get(2), Map.of("company", globex.id()));
                    records(WIDGET).purge(mine.get(3).id());
                }));
            }
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertExact(acme, globex);
        assertThat(stored(acme.id()).get("widgets")).isEqualTo(THREADS * 3L);
        assertThat(stored(globex.id()).get("widgets")).isEqualTo((long) THREADS);
    }

    @Test
    void addingOrChangingARollUpRecalculatesEveryRecordInTheBackground() {
        for (int i = 0; i < 5; i++) {
            widget(acme, i, "1.00", i < 2 ? "green" : "blue");
        }
        widget(globex, 9, "2.00", "green");
        crm().schema().addField("company", Field.rollup("greens", WIDGET, "company", Metric.count(),
                Filters.where("color").eq("green")));
        List<RecalculationProgress> done = awaitRecalculations();
        assertThat(records("company").get(acme.id()).get("greens")).isEqualTo(2L);
        assertThat(records("company").get(globex.id()).get("greens")).isEqualTo(1L);
        assertThat(done).isNotEmpty();
        RecalculationProgress last = done.get(done.size() - 1);
        assertThat(last.done()).isTrue();
        assertThat(last.processed()).isEqualTo(last.total()).isGreaterThanOrEqualTo(2);
        crm().schema().changeRollup("company", "greens", new Rollup(WIDGET, "company", Metric.count(),
                Filters.where("color").eq("blue")));
        awaitRecalculations();
        assertThat(records("company").get(acme.id()).get("greens")).isEqualTo(3L);
        assertThat(records("company").get(globex.id()).get("greens")).isEqualTo(0L);
        RecalculationProgress again = crm().admin().rollups().recalculate("company", "greens").result()
                .toCompletableFuture().join();
        assertThat(again.changed()).isZero();
        assertThatThrownBy(() -> crm().schema().changeRollup("company", "greens", new Rollup(WIDGET, "company",
                Metric.sum("price"), Filter.ALL))).isInstanceOf(SchemaException.class).hasMessageContaining("greens");
        assertThatThrownBy(() -> crm().admin().rollups().recalculate("company", "name"))
                .isInstanceOf(SchemaException.class).hasMessageContaining("not a roll-up");
    }

    @Test
    void rollUpsFilterSortGroupAndFeedFormulas() {
        widget(acme, 3, "10.00", "red");
        widget(acme, 4, "20.00", "red");
        widget(globex, 1, "5.00", "green");
        assertThat(ids(records("company"), Filters.where("widgets").gt(1L))).containsExactly(acme.id());
        List<Record> byTotal = all(records("company"), Query.where(Filters.where("widgets").gt(0L))
                .orderBy(Sort.desc("qty_total")));
        assertThat(byTotal).extracting(Record::id).containsExactly(acme.id(), globex.id());
        var rows = records("company").aggregate(Aggregation.total().sum("qty_total").max("red_max"),
                Filter.ALL);
        assertThat(((Number) Objects.requireNonNull(rows.get(0).get(Metric.sum("qty_total")))).longValue())
                .isEqualTo(8L);
        crm().schema().addField("company", Field.formula("busy", FieldType.BOOLEAN, "qty_total > 5"));
        assertThat(records("company").get(acme.id()).get("busy")).isEqualTo(true);
        assertThat(records("company").get(globex.id()).get("busy")).isEqualTo(false);
    }

    @Test
    void rollUpsAreReadOnlyEverywhere() {
        assertThatThrownBy(() -> records("company").create(Map.of("name", "X", "widgets", 5)))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(hasError(e, "widgets", FieldErrorCode.READ_ONLY)).isTrue());
        assertThatThrownBy(() -> records("company").update(acme, Map.of("qty_total", 5)))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(hasError(e, "qty_total", FieldErrorCode.READ_ONLY)).isTrue());
        assertThat(records("company").get(acme.id()).version()).isEqualTo(acme.version());
    }

    @Test
    void aRollUpIsHiddenFromWhoeverCouldNotReadEveryChildItSummarises() {
        widget(acme, 3, "10.00", "red");
        Record other = records(WIDGET).create(values("name", "theirs", "company", acme.id(), "qty", 4L, "owner",
                "someone-else"));
        assertThat(other.owner()).isEqualTo("someone-else");
        Role own = Role.builder("own_widgets").grant("company", RecordScope.ALL, Permission.READ)
                .grant(WIDGET, RecordScope.OWN, Permission.READ).build();
        Role allButPrice = Role.builder("all_widgets").grant("company", RecordScope.ALL, Permission.READ)
                .grant(WIDGET, RecordScope.ALL, Permission.READ).field(WIDGET, "price", FieldAccess.HIDDEN).build();
        Role noWidgets = Role.builder("no_widgets").grant("company", RecordScope.ALL, Permission.READ).build();
        Record asOwn = crm().as(Principal.user("rep", own)).records("company").get(acme.id());
        assertThat(asOwn.values()).doesNotContainKeys("widgets", "qty_total", "red_max", "price_avg");
        Record asAll = crm().as(Principal.user("rep", allButPrice)).records("company").get(acme.id());
        assertThat(asAll.get("widgets")).isEqualTo(2L);
        assertThat(asAll.get("qty_total")).isEqualTo(7L);
        assertThat(asAll.values()).doesNotContainKeys("red_max", "price_avg");
        Record asNone = crm().as(Principal.user("rep", noWidgets)).records("company").get(acme.id());
        assertThat(asNone.values()).doesNotContainKeys("widgets", "qty_total");
        // filtering on a hidden roll-up is the error of a field that does not exist
        assertThatThrownBy(() -> crm().as(Principal.user("rep", own)).records("company")
                .query(Filters.where("qty_total").gt(0L))).isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(hasError(e, "qty_total", FieldErrorCode.UNKNOWN_FIELD)).isTrue());
        // the change log does not show it either
        assertThat(crm().as(Principal.user("rep", own)).records("company").timeline(acme.id()))
                .allSatisfy(e -> assertThat(e.changes()).noneMatch(c -> c.field().equals("qty_total")));
        // an explicit decision makes it visible
        crm().schema().addField("company", Field.rollup("widget_total", WIDGET, "company", Metric.count(), null)
                .visibleRegardlessOfInputs(true));
        awaitRecalculations();
        assertThat(crm().as(Principal.user("rep", own)).records("company").get(acme.id()).get("widget_total"))
                .isEqualTo(2L);
    }

    @Test
    void badDefinitionsAreRefusedNamingTheField() {
        assertRefused(Field.rollup("r1", "nothing", "company", Metric.count(), null), "r1");
        assertRefused(Field.rollup("r2", WIDGET, "name", Metric.count(), null), "r2");
        assertRefused(Field.rollup("r3", "contact", "company", Metric.sum("last_name"), null), "r3");
        assertRefused(Field.rollup("r4", WIDGET, "company", Metric.sum("qty"), Filters.where("company.name")
                .eq("x")), "r4");
        assertRefused(Field.rollup("r5", WIDGET, "company", Metric.sum("qty"), Filters.where("nope").eq("x")),
                "r5");
        assertRefused(Field.rollup("r6", WIDGET, "company", Metric.sum("qty"), null).required(true), "r6");
        assertRefused(Field.rollup("r7", WIDGET, "company", Metric.sum("qty"), Filters.where("qty").eq("many")),
                "r7");
        assertRefused(Field.rollup("r8", "company", "parent", Metric.sum("widgets"), null), "r8");
        // what a roll-up reads cannot be deleted from under it
        assertThatThrownBy(() -> crm().schema().deleteField(WIDGET, "qty", DataPolicy.DISCARD_DATA))
                .isInstanceOf(SchemaException.class).hasMessageContaining("roll-up");
        assertThatThrownBy(() -> crm().schema().deleteObjectType(WIDGET, DataPolicy.DISCARD_DATA))
                .isInstanceOf(SchemaException.class);
        // deleting the roll-up itself is fine
        crm().schema().deleteField("company", "red_max", DataPolicy.DISCARD_DATA);
        widget(acme, 1, "1.00", "red");
        assertThat(records("company").get(acme.id()).has("red_max")).isFalse();
    }

    @Test
    void aDistinctCountRollsUpTheNumberOfDifferentValues() {
        addRollup(Field.rollup("colors", WIDGET, "company", Metric.countDistinct("color"), null));
        assertThat(crm().schema().objectType("company").findField("colors").orElseThrow().type())
                .isEqualTo(FieldType.INTEGER);
        assertThat(records("company").get(acme.id()).get("colors")).isEqualTo(0L);
        Record red = widget(acme, 1, "1.00", "red");
        widget(acme, 2, "2.00", "red");
        widget(acme, 3, "3.00", "blue");
        widget(globex, 4, "4.00", "green");
        assertThat(records("company").get(acme.id()).get("colors")).isEqualTo(2L);
        records(WIDGET).update(red.id(), red.version(), Map.of("color", "green"));
        assertThat(records("company").get(acme.id()).get("colors")).isEqualTo(3L);
        assertThat(records("company").get(globex.id()).get("colors")).isEqualTo(1L);
        // several currencies would count as one where amounts are equal: refused
        assertRefused(Field.rollup("amounts", "deal", "company", Metric.countDistinct("amount"), null), "amounts");
    }

    private void assertRefused(Field f, String name) {
        int fields = crm().schema().objectType("company").fields().size();
        assertThatThrownBy(() -> crm().schema().addField("company", f)).isInstanceOfSatisfying(SchemaException.class,
                e -> assertThat(e.field()).contains(name));
        assertThat(crm().schema().objectType("company").fields()).hasSize(fields);
    }
}
