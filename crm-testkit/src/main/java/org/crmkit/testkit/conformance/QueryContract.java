package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.query.Filters.and;
import static org.crmkit.query.Filters.not;
import static org.crmkit.query.Filters.or;
import static org.crmkit.query.Filters.where;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.crmkit.RecordSet;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.crmkit.query.Page;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.Record;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Filters (every operator, null semantics, reference paths, boolean combinations), sorts with nulls placement,
 * keyset paging, counts and deletion states.
 */
public abstract class QueryContract extends ConformanceContract {
    private final Map<String, Record> byName = new LinkedHashMap<>();

    @BeforeEach
    void fixture() {
        defineWidget();
        Record acme = records("company").create(Map.of("name", "Acme", "industry", "software"));
        Record globex = records("company").create(Map.of("name", "Globex", "industry", "retail"));
        Record initech = records("company").create(Map.of("name", "Initech"));
        widget("Alpha", 1L, "9.99", "red", List.of("a"), acme, "Hello World");
        widget("beta", 5L, "20", "green", List.of("a", "b"), globex, "hello there");
        widget("Gamma", 10L, null, null, List.of("b", "c"), initech, null);
        widget("delta", null, "5.5", "blue", null, null, "World peace");
        widget("Epsilon", 5L, "20.00", "red", List.of("c"), acme, "x");
        widget("alpha2", -3L, "0", null, null, globex, "100%_sure");
    }

    private void widget(String name, @Nullable Long qty, @Nullable String price, @Nullable String color,
            @Nullable List<String> tags, @Nullable Record company, @Nullable String notes) {
        byName.put(name, records(WIDGET).create(values("name", name, "qty", qty,
                "price", price == null ? null : new BigDecimal(price), "color", color, "tags", tags,
                "company", company == null ? null : company.id(), "notes", notes)));
    }

    private List<String> names(Filter filter) {
        List<String> out = new ArrayList<>();
        for (Record r : all(records(WIDGET), Query.where(filter).limit(3))) {
            out.add(r.getString("name"));
        }
        return out;
    }

    private void assertMatches(Filter filter, String... expected) {
        assertThat(names(filter)).as("%s", filter).containsExactlyInAnyOrder(expected);
        assertThat(records(WIDGET).count(filter)).as("count of %s", filter).isEqualTo(expected.length);
        // the complement, exactly
        List<String> rest = new ArrayList<>(byName.keySet());
        rest.removeAll(List.of(expected));
        assertThat(names(not(filter))).as("not %s", filter).containsExactlyInAnyOrderElementsOf(rest);
    }

    private List<String> sorted(Sort... sorts) {
        List<String> out = new ArrayList<>();
        for (Record r : all(records(WIDGET), Query.all().orderBy(sorts).limit(2))) {
            out.add(r.getString("name"));
        }
        return out;
    }

    /** The record created under {@code name} in the fixture. */
    private Record named(String name) {
        return java.util.Objects.requireNonNull(byName.get(name), name);
    }

    /** Names of records that tie on every sort key, in id (canonical string) order. */
    private List<String> byId(String... names) {
        return java.util.Arrays.stream(names).sorted(Comparator.comparing(n -> named(n).id().toString())).toList();
    }

    @Test
    void equalityAndInequalityWithNullSemantics() {
        assertMatches(where("qty").eq(5), "beta", "Epsilon");
        assertMatches(where("qty").ne(5), "Alpha", "Gamma", "delta", "alpha2");
        assertMatches(where("color").eq("red"), "Alpha", "Epsilon");
        assertMatches(where("color").ne("red"), "beta", "Gamma", "delta", "alpha2");
        assertMatches(where("price").eq(new BigDecimal("20.0")), "beta", "Epsilon");
        assertMatches(where("price").eq(0), "alpha2");
        assertMatches(where("name").eq("alpha"));
        assertMatches(where("name").eq("Alpha"), "Alpha");
        assertMatches(where("notes").ne("x"), "Alpha", "beta", "Gamma", "delta", "alpha2");
    }

    @Test
    void orderingComparisons() {
        assertMatches(where("qty").lt(5), "Alpha", "alpha2");
        assertMatches(where("qty").lte(5), "Alpha", "beta", "Epsilon", "alpha2");
        assertMatches(where("qty").gt(5), "Gamma");
        assertMatches(where("qty").gte(5), "beta", "Gamma", "Epsilon");
        assertMatches(where("price").gt(new BigDecimal("9.99")), "beta", "Epsilon");
        assertMatches(where("price").lte("5.5"), "delta", "alpha2");
        // text compares by UTF-16 code units: upper case before lower case
        assertMatches(where("name").lt("beta"), "Alpha", "Gamma", "Epsilon", "alpha2");
        assertMatches(where("name").gte("a"), "beta", "delta", "alpha2");
    }

    @Test
    void inAndBetween() {
        assertMatches(where("qty").in(1, 10, 99), "Alpha", "Gamma");
        assertMatches(where("color").in("red", "blue"), "Alpha", "delta", "Epsilon");
        assertMatches(where("price").in(List.of(new BigDecimal("20.000"))), "beta", "Epsilon");
        assertMatches(where("price").between(new BigDecimal("5.5"), 20), "Alpha", "beta", "delta", "Epsilon");
        assertMatches(where("qty").between(1, 5), "Alpha", "beta", "Epsilon");
        assertMatches(where("name").between("Alpha", "Gamma"), "Alpha", "Epsilon", "Gamma");
    }

    @Test
    void nullChecks() {
        assertMatches(where("price").isNull(), "Gamma");
        assertMatches(where("color").isNotNull(), "Alpha", "beta", "delta", "Epsilon");
        assertMatches(where("tags").isNull(), "delta", "alpha2");
        assertMatches(where("company").isNull(), "delta");
    }

    @Test
    void textMatchingIsCaseInsensitive() {
        assertMatches(where("notes").contains("WORLD"), "Alpha", "delta");
        assertMatches(where("notes").startsWith("hello"), "Alpha", "beta");
        assertMatches(where("name").startsWith("ALP"), "Alpha", "alpha2");
        assertMatches(where("name").contains("ta"), "beta", "delta");
        assertMatches(where("color").startsWith("R"), "Alpha", "Epsilon");
        // LIKE wildcards are plain characters
        assertMatches(where("notes").contains("%"), "alpha2");
        assertMatches(where("notes").contains("_"), "alpha2");
        assertMatches(where("notes").contains("0%_S"), "alpha2");
        assertMatches(where("notes").startsWith("1_"));
        assertMatches(where("notes").contains("%%"));
        assertMatches(where("notes").startsWith("h%"));
    }

    @Test
    void setMatchingOnMultiPicklistAndRelation() {
        assertMatches(where("tags").hasAny("a", "c"), "Alpha", "beta", "Gamma", "Epsilon");
        assertMatches(where("tags").hasAll("a", "b"), "beta");
        assertMatches(where("tags").hasAll("b"), "beta", "Gamma");
        assertMatches(where("tags").hasAny("a"), "Alpha", "beta");

        Record c1 = records("contact").create(Map.of("last_name", "One"));
        Record c2 = records("contact").create(Map.of("last_name", "Two"));
        Record d1 = records("deal").create(Map.of("name", "d1", "contacts", List.of(c1.id(), c2.id())));
        Record d2 = records("deal").create(Map.of("name", "d2", "contacts", List.of(c2.id())));
        records("deal").create(Map.of("name", "d3"));
        RecordSet deals = records("deal");
        assertThat(ids(deals, where("contacts").hasAny(c1.id()))).containsExactly(d1.id());
        assertThat(ids(deals, where("contacts").hasAny(c2.id()))).containsExactlyInAnyOrder(d1.id(), d2.id());
        assertThat(ids(deals, where("contacts").hasAll(c1.id(), c2.id()))).containsExactly(d1.id());
        assertThat(deals.count(not(where("contacts").hasAny(c1.id())))).isEqualTo(2);
    }

    @Test
    void referencePaths() {
        assertMatches(where("company.industry").eq("software"), "Alpha", "Epsilon");
        assertMatches(where("company.industry").ne("software"), "beta", "Gamma", "delta", "alpha2");
        assertMatches(where("company.industry").isNull(), "Gamma", "delta");
        assertMatches(where("company.name").startsWith("glo"), "beta", "alpha2");
        assertMatches(where("company.name").in("Acme", "Initech"), "Alpha", "Gamma", "Epsilon");
        Record acme = records("company").get(java.util.Objects.requireNonNull(named("Alpha").getReference("company")));
        assertMatches(where("company").eq(acme.id()), "Alpha", "Epsilon");
        assertMatches(where("company.id").eq(acme.id()), "Alpha", "Epsilon");
        // the path follows the referenced record as it is now
        records("company").update(acme, Map.of("industry", "finance"));
        assertMatches(where("company.industry").eq("finance"), "Alpha", "Epsilon");
    }

    @Test
    void booleanCombinations() {
        assertMatches(or(where("color").eq("red"), where("qty").gt(5)), "Alpha", "Gamma", "Epsilon");
        assertMatches(and(where("qty").gte(5), not(where("color").eq("green"))), "Gamma", "Epsilon");
        assertMatches(where("qty").gt(0).and("color").eq("red"), "Alpha", "Epsilon");
        assertMatches(where("qty").lt(0).or("price").isNull(), "Gamma", "alpha2");
        assertMatches(not(not(where("qty").eq(5))), "beta", "Epsilon");
        assertMatches(Filters.all(), "Alpha", "beta", "Gamma", "delta", "Epsilon", "alpha2");
        assertMatches(or());
        assertMatches(and(where("qty").eq(5), where("qty").eq(1)));
    }

    @Test
    void sortsOnSeveralFieldsPlaceEmptyValuesLastAscendingAndFirstDescending() {
        List<String> expected = new ArrayList<>(List.of("delta", "beta", "Epsilon", "Alpha", "Gamma", "alpha2"));
        assertThat(sorted(Sort.asc("color"), Sort.desc("qty"))).isEqualTo(expected);
        List<String> desc = new ArrayList<>(List.of("Gamma"));
        desc.addAll(byId("beta", "Epsilon"));
        desc.addAll(List.of("Alpha", "delta", "alpha2"));
        assertThat(sorted(Sort.desc("price"))).isEqualTo(desc);
        assertThat(sorted(Sort.asc("name"))).containsExactly("Alpha", "Epsilon", "Gamma", "alpha2", "beta", "delta");
        assertThat(sorted(Sort.desc("name"))).containsExactly("delta", "beta", "alpha2", "Gamma", "Epsilon", "Alpha");
        List<String> qtyAsc = new ArrayList<>(List.of("alpha2", "Alpha"));
        qtyAsc.addAll(byId("beta", "Epsilon"));
        qtyAsc.addAll(List.of("Gamma", "delta"));
        assertThat(sorted(Sort.asc("qty"))).isEqualTo(qtyAsc);
        List<String> byCreation = byId(byName.keySet().toArray(String[]::new));
        assertThat(sorted()).isEqualTo(byCreation);
        assertThat(sorted(Sort.asc("id"))).isEqualTo(byCreation);
        List<String> reverse = new ArrayList<>(byCreation);
        java.util.Collections.reverse(reverse);
        assertThat(sorted(Sort.desc("id"))).isEqualTo(reverse);
    }

    @Test
    void textBeyondAsciiSortsByUtf16CodeUnitsAndMatchesIgnoringCase() {
        // "Z" < "z" < "\u00e9" < "\u4e2d" (CJK) < "\ud83d\ude00" (emoji, a surrogate pair). UTF-16 and code-point
        // order agree on these; they differ only between supplementary characters and U+E000..U+FFFF, where the
        // SQL storages sort by code point (docs/architecture.md, "Text order")
        List<String> names = List.of("\u4e2d", "\ud83d\ude00", "\u00e9t\u00e9", "z", "Z");
        Map<String, Record> made = new LinkedHashMap<>();
        for (String n : names) {
            made.put(n, records(WIDGET).create(Map.of("name", n, "notes", "CAF\u00c9 " + n, "qty", 42)));
        }
        List<String> asc = new ArrayList<>();
        for (Record r : all(records(WIDGET), Query.where(where("qty").eq(42)).orderBy(Sort.asc("name")).limit(2))) {
            asc.add(r.getString("name"));
        }
        assertThat(asc).containsExactly("Z", "z", "\u00e9t\u00e9", "\u4e2d", "\ud83d\ude00");
        assertThat(records(WIDGET).count(where("notes").contains("caf\u00e9"))).isEqualTo(5);
        assertThat(records(WIDGET).count(where("name").gt("\u00e9"))).isEqualTo(3);
        assertThat(records(WIDGET).count(where("name").startsWith("\ud83d\ude00"))).isEqualTo(1);
        assertThat(records(WIDGET).count(where("notes").contains("\u00e9 \u4e2d"))).isEqualTo(1);
    }

    @Test
    void keysetPagingVisitsEveryRecordOnce() {
        for (int i = 0; i < 17; i++) {
            records(WIDGET).create(values("name", "p" + (i % 5), "qty", i % 3 == 0 ? null : (long) (i % 4),
                    "color", i % 2 == 0 ? "red" : null));
        }
        List<UUID> expectedAll = ids(records(WIDGET), Filters.all());
        assertThat(expectedAll).hasSize(23).doesNotHaveDuplicates();
        List<List<Sort>> orders = List.of(List.of(), List.of(Sort.asc("qty")),
                List.of(Sort.desc("qty"), Sort.asc("name")),
                List.of(Sort.asc("color"), Sort.desc("name"), Sort.asc("qty")), List.of(Sort.desc("price")));
        for (List<Sort> order : orders) {
            Query base = Query.all().orderBy(order.toArray(Sort[]::new));
            List<UUID> oneShot = records(WIDGET).query(base.limit(1000)).items().stream().map(Record::id).toList();
            for (int size = 1; size <= 7; size++) {
                List<UUID> walked = new ArrayList<>();
                Query q = base.limit(size);
                int pages = 0;
                while (true) {
                    Page<Record> page = records(WIDGET).query(q);
                    assertThat(page.items().size()).isLessThanOrEqualTo(size);
                    page.items().forEach(r -> walked.add(r.id()));
                    pages++;
                    if (!page.hasNext()) {
                        break;
                    }
                    q = page.nextQuery().orElseThrow();
                }
                assertThat(walked).as("order %s, page size %d", order, size).isEqualTo(oneShot);
                assertThat(pages).isBetween((23 + size - 1) / size, (23 + size - 1) / size + 1);
            }
        }
    }

    @Test
    void keysetPagingUnderConcurrentInsertsRepeatsNothing() throws Exception {
        for (int i = 0; i < 30; i++) {
            records(WIDGET).create(Map.of("name", String.format("n%02d", i), "qty", i % 7));
        }
        Set<UUID> before = new HashSet<>(ids(records(WIDGET), Filters.all()));
        AtomicBoolean stop = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread inserter = new Thread(() -> {
            try {
                for (int i = 0; !stop.get() && i < 500; i++) {
                    records(WIDGET).create(Map.of("name", String.format("n%02d-%d", (i * 7) % 30, i), "qty", i % 7));
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        inserter.start();
        try {
            for (Sort sort : List.of(Sort.asc("name"), Sort.desc("qty"))) {
                List<UUID> seen = new ArrayList<>();
                Query q = Query.all().orderBy(sort).limit(4);
                while (true) {
                    Page<Record> page = records(WIDGET).query(q);
                    page.items().forEach(r -> seen.add(r.id()));
                    records(WIDGET).create(Map.of("name", "n00-between", "qty", 3));
                    if (!page.hasNext()) {
                        break;
                    }
                    q = page.nextQuery().orElseThrow();
                }
                assertThat(seen).as("sorted by %s", sort).doesNotHaveDuplicates().containsAll(before);
            }
        } finally {
            stop.set(true);
            inserter.join(30_000);
        }
        assertThat(failure.get()).isNull();
    }

    @Test
    void countAndDeletionStates() {
        Record beta = named("beta");
        records(WIDGET).delete(beta.id(), beta.version());
        assertThat(records(WIDGET).count(Filters.all())).isEqualTo(5);
        assertThat(records(WIDGET).count(where("qty").eq(5))).isEqualTo(1);
        assertThat(records(WIDGET).query(Query.where(where("color").eq("green")).deleted(Query.Deleted.ONLY))
                .items()).extracting(Record::id).containsExactly(beta.id());
        assertThat(records(WIDGET).query(Query.where(where("qty").eq(5)).deleted(Query.Deleted.INCLUDE)).items())
                .extracting(r -> r.getString("name")).containsExactlyInAnyOrder("beta", "Epsilon");
        assertThat(records(WIDGET).query(Query.where(where("qty").eq(5)).deleted(Query.Deleted.ONLY)).items())
                .extracting(Record::isDeleted).containsExactly(true);
        assertThat(records(WIDGET).query(Query.all().deleted(Query.Deleted.INCLUDE).orderBy(Sort.asc("name"))
                .limit(100)).items()).hasSize(6);
    }

    @Test
    void badQueriesAreRefusedWithEveryProblem() {
        assertThatThrownBy(() -> records(WIDGET).query(where("nope").eq(1)))
                .matches(error("nope", FieldErrorCode.UNKNOWN_FIELD));
        assertThatThrownBy(() -> records(WIDGET).count(where("company.nope").eq(1)))
                .matches(error("company.nope", FieldErrorCode.UNKNOWN_FIELD));
        assertThatThrownBy(() -> records(WIDGET).count(where("qty").contains("1")))
                .matches(error("qty", FieldErrorCode.UNSUPPORTED_OPERATION));
        assertThatThrownBy(() -> records(WIDGET).count(where("qty").eq("many")))
                .matches(error("qty", FieldErrorCode.WRONG_TYPE));
        // blank text is no value (an empty field when written); compared, it is refused like null
        assertThatThrownBy(() -> records(WIDGET).count(where("qty").gt("")))
                .matches(error("qty", FieldErrorCode.WRONG_TYPE));
        assertThatThrownBy(() -> records(WIDGET).count(where("price").in("1.50", " ")))
                .matches(error("price", FieldErrorCode.WRONG_TYPE));
        assertThatThrownBy(() -> records(WIDGET).query(where("qty").between("", 3)))
                .matches(error("qty", FieldErrorCode.WRONG_TYPE));
        assertThatThrownBy(() -> records(WIDGET).count(and(where("nope").eq(1), where("qty").eq("many"))))
                .matches(error("nope", FieldErrorCode.UNKNOWN_FIELD))
                .matches(error("qty", FieldErrorCode.WRONG_TYPE));
        assertThatThrownBy(() -> records(WIDGET).query(Query.all().orderBy(Sort.asc("tags"))))
                .matches(error("tags", FieldErrorCode.UNSUPPORTED_OPERATION));
        assertThatThrownBy(() -> records(WIDGET).query(Query.all().limit(0)))
                .isInstanceOf(org.crmkit.error.ValidationException.class);
        Page<Record> first = records(WIDGET).query(Query.all().orderBy(Sort.asc("name")).limit(2));
        assertThatThrownBy(() -> records(WIDGET).query(Query.all().orderBy(Sort.asc("qty")).limit(2)
                .after(first.nextCursor()))).isInstanceOf(org.crmkit.error.ValidationException.class);
    }
}
