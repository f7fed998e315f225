package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.crmkit.query.Filters.and;
import static org.crmkit.query.Filters.not;
import static org.crmkit.query.Filters.or;
import static org.crmkit.query.Filters.where;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.crmkit.RecordSet;
import org.crmkit.query.Filter;
import org.crmkit.query.Query;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.DataPolicy;
import org.crmkit.schema.ObjectType;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Indexes never change an answer: a type holds each value twice, in an indexed (or unique) field and in a plain
 * twin, and random filters on the indexed fields (every comparison, {@code in}, {@code between}, empty values and
 * combinations) must find exactly the records the same filter finds on the twins, after creates, updates that move
 * values, soft deletes, purges, inside a transaction that has not committed, and after schema changes that add,
 * change or delete an indexed field. References and owners, always indexed, are checked against the values written.
 */
public abstract class IndexedQueryContract extends ConformanceContract {
    private static final String GAUGE = "gauge";
    private static final int RECORDS = 120;
    private static final int FILTERS = 150;
    private static final List<@Nullable String> TEXTS = java.util.Arrays.asList("Ann", "ann", "ANN", "Bob", "bob",
            "Émile", "emile", "Zoë", "a", "ab", null);
    private static final List<@Nullable Long> INTS = java.util.Arrays.asList(-3L, 0L, 1L, 2L, 5L, 100L, null);
    private static final List<@Nullable String> DECIMALS = java.util.Arrays.asList("1", "1.0", "1.00", "2.5", "-0.5",
            "0", "10", null);
    private static final List<@Nullable LocalDate> DATES = java.util.Arrays.asList(LocalDate.of(2026, 1, 1),
            LocalDate.of(2026, 1, 2), LocalDate.of(2025, 12, 31), LocalDate.of(2026, 6, 30), null);
    /** Indexed field -> its plain twin. */
    private static final Map<String, String> TWINS = Map.of("ix_text", "text", "ix_int", "int", "ix_dec", "dec",
            "ix_date", "date");

    private final Random random = new Random(20261206);
    private final List<UUID> companies = new ArrayList<>();
    private final Map<UUID, String> ownerOf = new HashMap<>();

    @BeforeEach
    void defineGauge() {
        for (String name : List.of("Acme", "Globex", "Initech")) {
            companies.add(records("company").create(Map.of("name", name)).id());
        }
        crm().schema().addObjectType(ObjectType.custom(GAUGE, "Gauge",
                Field.text("ix_text").indexed(true), Field.text("text"),
                Field.integer("ix_int").indexed(true), Field.integer("int"),
                Field.decimal("ix_dec").indexed(true), Field.decimal("dec"),
                Field.date("ix_date").indexed(true), Field.date("date"),
                Field.text("serial").unique(true),
                Field.reference("company", "company")));
        for (int i = 0; i < RECORDS; i++) {
            Record r = gauges().create(randomValues(i));
            ownerOf.put(r.id(), r.owner());
        }
    }

    private RecordSet gauges() {
        return records(GAUGE);
    }

    @Test
    void indexedFieldsFindWhatTheirPlainTwinsFind() {
        checkRandomFilters(gauges());
    }

    @Test
    void movedValuesDeletedAndPurgedRecordsAreFoundWhereTheyAreNow() {
        List<Record> all = all(gauges(), Query.all().limit(Query.MAX_LIMIT));
        for (int i = 0; i < 40; i++) {
            Record r = all.get(i);
            gauges().update(r.id(), r.version(), withoutSerial(randomValues(1000 + i)));
        }
        for (int i = 40; i < 55; i++) {
            gauges().delete(all.get(i).id(), all.get(i).version());
        }
        for (int i = 55; i < 65; i++) {
            gauges().purge(all.get(i).id());
        }
        checkRandomFilters(gauges());
        for (int i = 40; i < 45; i++) {
            gauges().restore(all.get(i).id(), all.get(i).version() + 1);
        }
        checkRandomFilters(gauges());
        Filter deleted = where("ix_int").gte(0L);
        assertThat(idsOf(gauges(), Query.where(deleted).deleted(Query.Deleted.ONLY)))
                .isEqualTo(idsOf(gauges(), Query.where(twin(deleted)).deleted(Query.Deleted.ONLY)))
                .hasSizeLessThanOrEqualTo(10);
    }

    @Test
    void aTransactionFindsItsOwnUncommittedValuesThroughTheIndex() {
        Record moved = all(gauges(), Query.where(where("ix_int").eq(5L)).limit(1)).stream().findFirst()
                .orElseGet(() -> gauges().create(Map.of("ix_int", 5L, "int", 5L)));
        system().inTransaction(s -> {
            RecordSet tx = s.records(GAUGE);
            tx.update(moved.id(), tx.get(moved.id()).version(), Map.of("ix_int", 77L, "int", 77L));
            Record added = tx.create(Map.of("ix_int", 77L, "int", 77L, "ix_text", "Ann", "text", "Ann"));
            assertThat(idsOf(tx, Query.where(where("ix_int").eq(77L)))).containsExactlyInAnyOrder(moved.id(),
                    added.id());
            assertThat(idsOf(tx, Query.where(where("ix_int").eq(5L)))).doesNotContain(moved.id());
            checkRandomFilters(tx);
            return null;
        });
        assertThat(idsOf(gauges(), Query.where(where("ix_int").eq(77L)))).hasSize(2);
    }

    @Test
    void referencesOwnersAndUniqueValuesFindTheRecordsThatHoldThem() {
        List<Record> all = all(gauges(), Query.all().limit(Query.MAX_LIMIT));
        for (UUID company : companies) {
            Set<UUID> expected = new HashSet<>();
            all.stream().filter(r -> company.equals(r.get("company"))).forEach(r -> expected.add(r.id()));
            assertThat(idsOf(gauges(), Query.where(where("company").eq(company)))).isEqualTo(expected);
        }
        Set<UUID> none = new HashSet<>();
        all.stream().filter(r -> r.get("company") == null).forEach(r -> none.add(r.id()));
        assertThat(idsOf(gauges(), Query.where(where("company").isNull()))).isEqualTo(none);
        assertThat(idsOf(gauges(), Query.where(where("company").in(companies.get(0), companies.get(2)))))
                .isEqualTo(idsOf(gauges(), Query.where(or(where("company").eq(companies.get(0)),
                        where("company").eq(companies.get(2))))));
        Record one = all.get(7);
        assertThat(idsOf(gauges(), Query.where(where("serial").eq(one.getString("serial")))))
                .containsExactly(one.id());
        String owner = ownerOf.get(one.id());
        Set<UUID> owned = new HashSet<>();
        ownerOf.forEach((id, o) -> {
            if (o.equals(owner)) {
                owned.add(id);
            }
        });
        assertThat(idsOf(gauges(), Query.where(and(where("owner").eq(owner), where("ix_int").gte(-100L)))))
                .isEqualTo(idsOf(gauges(), Query.where(and(where("owner").eq(owner), where("int").gte(-100L)))))
                .isSubsetOf(owned);
        assertThat(idsOf(gauges(), Query.where(where("owner").eq("nobody")))).isEmpty();
    }

    @Test
    void schemaChangesThatAddOrDropAnIndexKeepAnswersRight() {
        crm().schema().addField(GAUGE, Field.text("kind").required(true).defaultValue("standard").indexed(true));
        assertThat(gauges().count(where("kind").eq("standard"))).isEqualTo(RECORDS);
        Record first = all(gauges(), Query.all().limit(1)).get(0);
        gauges().update(first.id(), first.version(), Map.of("kind", "special"));
        assertThat(idsOf(gauges(), Query.where(where("kind").eq("special")))).containsExactly(first.id());
        assertThat(gauges().count(where("kind").eq("standard"))).isEqualTo(RECORDS - 1);

        crm().schema().relabelField(GAUGE, "ix_text", "Indexed text");
        crm().schema().deprecateField(GAUGE, "ix_int");
        checkRandomFilters(gauges());
        crm().schema().deleteField(GAUGE, "kind", DataPolicy.DISCARD_DATA);
        crm().schema().addField(GAUGE, Field.text("kind").indexed(true));
        assertThat(gauges().count(where("kind").eq("special"))).isZero();
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private Map<String, @Nullable Object> randomValues(int serial) {
        String text = pick(TEXTS);
        Long integer = pick(INTS);
        String dec = pick(DECIMALS);
        LocalDate date = pick(DATES);
        BigDecimal decimal = dec == null ? null : new BigDecimal(dec);
        UUID company = random.nextInt(4) == 0 ? null : companies.get(random.nextInt(companies.size()));
        return values("ix_text", text, "text", text, "ix_int", integer, "int", integer, "ix_dec", decimal, "dec",
                decimal, "ix_date", date, "date", date, "serial", "S-" + serial, "company", company);
    }

    private static Map<String, @Nullable Object> withoutSerial(Map<String, @Nullable Object> values) {
        Map<String, @Nullable Object> out = new HashMap<>(values);
        out.remove("serial");
        return out;
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    private void checkRandomFilters(RecordSet set) {
        for (int i = 0; i < FILTERS; i++) {
            Filter filter = randomFilter(2);
            Filter plain = twin(filter);
            assertThat(idsOf(set, Query.where(filter))).as("%s", filter).isEqualTo(idsOf(set, Query.where(plain)));
            assertThat(set.count(filter)).as("count of %s", filter).isEqualTo(set.count(plain));
        }
    }

    private Filter randomFilter(int depth) {
        int shape = random.nextInt(depth > 0 ? 8 : 5);
        return switch (shape) {
            case 5 -> and(randomFilter(depth - 1), randomFilter(depth - 1));
            case 6 -> or(randomFilter(depth - 1), randomFilter(depth - 1));
            case 7 -> not(randomFilter(depth - 1));
            default -> randomLeaf();
        };
    }

    private Filter randomLeaf() {
        String field = pick(List.copyOf(new java.util.TreeSet<>(TWINS.keySet())));
        Function<Boolean, Object> value = anyNull -> switch (field) {
            case "ix_text" -> nonNull(TEXTS);
            case "ix_int" -> nonNull(INTS);
            case "ix_dec" -> new BigDecimal(nonNull(DECIMALS));
            default -> nonNull(DATES);
        };
        return switch (random.nextInt(10)) {
            case 0 -> where(field).eq(value.apply(false));
            case 1 -> where(field).ne(value.apply(false));
            case 2 -> where(field).lt(value.apply(false));
            case 3 -> where(field).lte(value.apply(false));
            case 4 -> where(field).gt(value.apply(false));
            case 5 -> where(field).gte(value.apply(false));
            case 6 -> where(field).in(value.apply(false), value.apply(false), value.apply(false));
            case 7 -> where(field).between(value.apply(false), value.apply(false));
            case 8 -> where(field).isNull();
            default -> where(field).eq(value.apply(false));
        };
    }

    private <T> T nonNull(List<@Nullable T> from) {
        T v;
        do {
            v = from.get(random.nextInt(from.size()));
        } while (v == null);
        return v;
    }

    /** The same filter on the plain twins of the indexed fields. */
    private static Filter twin(Filter f) {
        return switch (f) {
            case Filter.And a -> new Filter.And(a.operands().stream().map(IndexedQueryContract::twin).toList());
            case Filter.Or o -> new Filter.Or(o.operands().stream().map(IndexedQueryContract::twin).toList());
            case Filter.Not n -> new Filter.Not(twin(n.operand()));
            case Filter.Compare c -> new Filter.Compare(twinPath(c.path()), c.op(), c.value());
            case Filter.In in -> new Filter.In(twinPath(in.path()), in.values());
            case Filter.Between b -> new Filter.Between(twinPath(b.path()), b.low(), b.high());
            case Filter.IsNull n -> new Filter.IsNull(twinPath(n.path()));
            default -> f;
        };
    }

    private static String twinPath(String path) {
        return TWINS.getOrDefault(path, path);
    }

    private static Set<UUID> idsOf(RecordSet set, Query query) {
        Set<UUID> out = new HashSet<>();
        for (Record r : all(set, query.limit(Query.MAX_LIMIT))) {
            out.add(r.id());
        }
        return out;
    }
}
