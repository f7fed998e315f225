package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import org.crmkit.RecordSet;
import org.crmkit.error.ConflictException;
import org.crmkit.error.NotFoundException;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;

/**
 * Property tests (QuickTheories): random operation sequences agree with a plain {@link HashMap} model, and random
 * filters and sorts agree with a plain-Java reading of the semantics documented on {@link Filter} and
 * {@link Sort}. The reference model here is written independently of any storage code.
 *
 * <p>Just past 450 lines, and two concerns along a visible seam: operation sequences against a map model (up to
 * {@code assertSameState}), and filters and sorts against plain Java (from {@code Row}). Kept as one contract
 * because each storage wires it by one subclass; if either half grows, move the filter half to a contract of its
 * own and give every storage its second wiring class then.
 */
public abstract class PropertiesContract extends ConformanceContract {
    private static final int EXAMPLES = 50;
    private static final int SHRINK_CYCLES = 40;

    private static final String ITEM = "prop_item";
    private static final List<@Nullable String> TEXTS = java.util.Arrays.asList(null, "a", "A", "ab", "Ab", "b",
            "ba", "B a", "abc", "Zed");
    private static final List<@Nullable Long> INTS = java.util.Arrays.asList(null, -2L, -1L, 0L, 1L, 2L, 3L);
    private static final List<@Nullable BigDecimal> DECIMALS = java.util.Arrays.asList(null, new BigDecimal("-1.5"),
            new BigDecimal("0"), new BigDecimal("0.5"), new BigDecimal("1"), new BigDecimal("2.25"),
            new BigDecimal("1.00"));
    private static final List<@Nullable String> OPTIONS = java.util.Arrays.asList(null, "x", "y", "z");
    private static final List<String> NEEDLES = List.of("a", "B", "b a", "z", "AB", "e");
    private static final List<String> FIELDS = List.of("n", "t", "d", "p");

    private void defineItem() {
        crm().schema().addObjectType(ObjectType.custom(ITEM, "Property item",
                Field.integer("n"), Field.text("t"), Field.decimal("d"), Field.picklist("p", "x", "y", "z")));
    }

    /** Purges every record of the property type, so each example starts empty. */
    private void clear() {
        RecordSet items = records(ITEM);
        for (Record r : all(items, Query.all().deleted(Query.Deleted.INCLUDE).limit(1000))) {
            items.purge(r.id());
        }
    }

    private static @Nullable Object pick(List<?> pool, int index) {
        return pool.get(Math.floorMod(index, pool.size()));
    }

    private static int draw(RandomnessSource in, int bound) {
        return integers().between(0, bound - 1).generate(in);
    }

    /** Field values normalised for comparison: decimals without trailing zeros. */
    private static Map<String, Object> normal(Map<String, ?> values) {
        Map<String, Object> out = new TreeMap<>();
        values.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString() : v);
            }
        });
        return out;
    }

    // ---- (a) operation sequences against a HashMap model --------------------------------------------------

    /** One random operation; fields pick from the value pools (0: leave out, 1: clear, else a value). */
    record Op(int kind, int target, boolean stale, int n, int t, int d, int p) {
        @Override
        public String toString() {
            return List.of("create", "update", "delete", "restore", "purge", "update").get(kind) + "(#" + target
                    + (stale ? ", stale" : "") + ", n" + n + " t" + t + " d" + d + " p" + p + ")";
        }
    }

    private static final class Model {
        long version;
        boolean deleted;
        final Map<String, Object> values = new HashMap<>();
    }

    private static Gen<Op> ops() {
        return in -> new Op(draw(in, 6), draw(in, 8), draw(in, 4) == 0, draw(in, 12), draw(in, 12), draw(in, 12),
                draw(in, 6));
    }

    private static void put(Map<String, @Nullable Object> changes, String field, int code, List<?> pool) {
        if (code == 0) {
            return;
        }
        changes.put(field, code == 1 ? null : pick(pool, code - 1));
    }

    private static Map<String, @Nullable Object> changes(Op op) {
        Map<String, @Nullable Object> c = new LinkedHashMap<>();
        put(c, "n", op.n(), INTS);
        put(c, "t", op.t(), TEXTS);
        put(c, "d", op.d(), DECIMALS);
        put(c, "p", op.p(), OPTIONS);
        return c;
    }

    @Test
    void operationSequencesAgreeWithAMapModel() {
        defineItem();
        qt().withExamples(EXAMPLES).withShrinkCycles(SHRINK_CYCLES)
                .forAll(lists().of(ops()).ofSizeBetween(1, 25))
                .checkAssert(this::runSequence);
    }

    private void runSequence(List<Op> ops) {
        clear();
        RecordSet items = records(ITEM);
        Map<UUID, Model> model = new HashMap<>();
        List<UUID> known = new ArrayList<>();
        for (Op op : ops) {
            if (op.kind() == 0 || known.isEmpty()) {
                Map<String, @Nullable Object> values = changes(op);
                Record r = items.create(values);
                Model m = new Model();
                m.version = 1;
                values.forEach((k, v) -> {
                    if (v != null) {
                        m.values.put(k, v);
                    }
                });
                model.put(r.id(), m);
                known.add(r.id());
                assertThat(normal(r.values())).as("created %s", op).isEqualTo(normal(m.values));
                continue;
            }
            UUID id = known.get(op.target() % known.size());
            Model m = model.get(id);
            long expected = m == null ? 1 : op.stale() ? (m.version > 1 ? m.version - 1 : m.version + 1) : m.version;
            switch (op.kind()) {
                case 1, 5 -> {
                    if (m == null || m.deleted) {
                        assertThatThrownBy(() -> items.update(id, expected, changes(op))).as("%s", op)
                                .isInstanceOf(NotFoundException.class);
                    } else if (op.stale()) {
                        assertConflict(() -> items.update(id, expected, changes(op)), id, expected, m.version);
                    } else {
                        Map<String, Object> after = new HashMap<>(m.values);
                        changes(op).forEach((k, v) -> {
                            if (v == null) {
                                after.remove(k);
                            } else {
                                after.put(k, v);
                            }
                        });
                        if (!normal(after).equals(normal(m.values))) {
                            m.version++;
                        }
                        m.values.clear();
                        m.values.putAll(after);
                        Record r = items.update(id, expected, changes(op));
                        assertThat(r.version()).as("%s", op).isEqualTo(m.version);
                        assertThat(normal(r.values())).as("%s", op).isEqualTo(normal(m.values));
                    }
                }
                case 2 -> {
                    if (m == null || m.deleted) {
                        assertThatThrownBy(() -> items.delete(id, expected)).isInstanceOf(NotFoundException.class);
                    } else if (op.stale()) {
                        assertConflict(() -> items.delete(id, expected), id, expected, m.version);
                    } else {
                        assertThat(items.delete(id, expected).isDeleted()).isTrue();
                        m.deleted = true;
                        m.version++;
                    }
                }
                case 3 -> {
                    if (m == null || !m.deleted) {
                        assertThatThrownBy(() -> items.restore(id, expected)).isInstanceOf(NotFoundException.class);
                    } else if (op.stale()) {
                        assertConflict(() -> items.restore(id, expected), id, expected, m.version);
                    } else {
                        assertThat(items.restore(id, expected).isDeleted()).isFalse();
                        m.deleted = false;
                        m.version++;
                    }
                }
                case 4 -> {
                    if (m == null) {
                        assertThatThrownBy(() -> items.purge(id)).isInstanceOf(NotFoundException.class);
                    } else {
                        items.purge(id);
                        model.remove(id);
                    }
                }
                default -> fail("no operation " + op.kind());
            }
        }
        assertSameState(items, model, known);
    }

    private static void assertConflict(Runnable write, UUID id, long expected, long actual) {
        assertThatThrownBy(write::run).isInstanceOfSatisfying(ConflictException.class, e -> {
            assertThat(e.recordId()).isEqualTo(id);
            assertThat(e.expectedVersion()).isEqualTo(expected);
            assertThat(e.actualVersion()).isEqualTo(actual);
        });
    }

    private static void assertSameState(RecordSet items, Map<UUID, Model> model, List<UUID> known) {
        Map<UUID, Object> live = new HashMap<>();
        for (Record r : all(items, Query.all().limit(7))) {
            live.put(r.id(), List.of(r.version(), normal(r.values())));
        }
        Map<UUID, Object> expectedLive = new HashMap<>();
        List<UUID> expectedDeleted = new ArrayList<>();
        model.forEach((id, m) -> {
            if (m.deleted) {
                expectedDeleted.add(id);
            } else {
                expectedLive.put(id, List.of(m.version, normal(m.values)));
            }
        });
        assertThat(live).isEqualTo(expectedLive);
        assertThat(all(items, Query.all().deleted(Query.Deleted.ONLY)).stream().map(Record::id).toList())
                .containsExactlyInAnyOrderElementsOf(expectedDeleted);
        assertThat(items.count(Filters.all())).isEqualTo(expectedLive.size());
        for (UUID id : known) {
            Model m = model.get(id);
            if (m == null || m.deleted) {
                assertThat(items.find(id)).isEmpty();
            } else {
                Record r = items.get(id);
                assertThat(r.version()).isEqualTo(m.version);
            }
        }
    }

    // ---- (b) random filters and sorts against plain Java ------------------------------------------------

    /** A record's values by field; nulls for empty fields. */
    record Row(@Nullable Long n, @Nullable String t, @Nullable BigDecimal d, @Nullable String p) {
        @Nullable
        Object get(String field) {
            return switch (field) {
                case "n" -> n;
                case "t" -> t;
                case "d" -> d;
                case "p" -> p;
                default -> throw new IllegalArgumentException(field);
            };
        }

        Map<String, @Nullable Object> values() {
            Map<String, @Nullable Object> v = new HashMap<>();
            for (String f : FIELDS) {
                v.put(f, get(f));
            }
            return v;
        }
    }

    private static Gen<Row> rows() {
        return in -> new Row((Long) pick(INTS, draw(in, INTS.size())), (String) pick(TEXTS, draw(in, TEXTS.size())),
                (BigDecimal) pick(DECIMALS, draw(in, DECIMALS.size())),
                (String) pick(OPTIONS, draw(in, OPTIONS.size())));
    }

    private static List<?> pool(String field) {
        return switch (field) {
            case "n" -> INTS.subList(1, INTS.size());
            case "t" -> TEXTS.subList(1, TEXTS.size());
            case "d" -> DECIMALS.subList(1, DECIMALS.size());
            default -> OPTIONS.subList(1, OPTIONS.size());
        };
    }

    private static Object value(RandomnessSource in, String field) {
        List<?> pool = pool(field);
        return pool.get(draw(in, pool.size()));
    }

    private static Gen<Filter> filters(int depth) {
        return in -> filter(in, depth);
    }

    private static Filter filter(RandomnessSource in, int depth) {
        int kind = draw(in, depth > 0 ? 13 : 10);
        String field = FIELDS.get(draw(in, FIELDS.size()));
        boolean text = field.equals("t") || field.equals("p");
        return switch (kind) {
            case 0 -> Filters.where(field).eq(value(in, field));
            case 1 -> Filters.where(field).ne(value(in, field));
            case 2 -> Filters.where(field).lt(value(in, field));
            case 3 -> Filters.where(field).gt(value(in, field));
            case 4 -> {
                List<Object> values = new ArrayList<>();
                int size = 1 + draw(in, 3);
                for (int i = 0; i < size; i++) {
                    values.add(value(in, field));
                }
                yield Filters.where(field).in(values);
            }
            case 5 -> Filters.where(field).between(value(in, field), value(in, field));
            case 6 -> Filters.where(field).isNull();
            case 7 -> Filters.where(field).isNotNull();
            case 8 -> text ? Filters.where(field).contains(NEEDLES.get(draw(in, NEEDLES.size())))
                    : Filters.where(field).lte(value(in, field));
            case 9 -> text ? Filters.where(field).startsWith(NEEDLES.get(draw(in, NEEDLES.size())))
                    : Filters.where(field).gte(value(in, field));
            case 10 -> Filters.not(filter(in, depth - 1));
            default -> {
                List<Filter> operands = new ArrayList<>();
                int size = draw(in, 4);
                for (int i = 0; i < size; i++) {
                    operands.add(filter(in, depth - 1));
                }
                yield kind == 11 ? new Filter.And(operands) : new Filter.Or(operands);
            }
        };
    }

    private static Gen<List<Sort>> sorts() {
        return in -> {
            List<Sort> out = new ArrayList<>();
            int size = 1 + draw(in, 3);
            for (int i = 0; i < size; i++) {
                String field = FIELDS.get(draw(in, FIELDS.size()));
                out.add(draw(in, 2) == 0 ? Sort.asc(field) : Sort.desc(field));
            }
            return out;
        };
    }

    @Test
    void randomFiltersAndSortsAgreeWithPlainJava() {
        defineItem();
        qt().withExamples(EXAMPLES).withShrinkCycles(SHRINK_CYCLES)
                .forAll(lists().of(rows()).ofSizeBetween(0, 10), lists().of(filters(3)).ofSizeBetween(1, 4), sorts())
                .checkAssert(this::checkQueries);
    }

    private void checkQueries(List<Row> rows, List<Filter> filters, List<Sort> sorts) {
        clear();
        RecordSet items = records(ITEM);
        Map<UUID, Row> byId = new LinkedHashMap<>();
        for (Row row : rows) {
            byId.put(items.create(row.values()).id(), row);
        }
        for (Filter f : filters) {
            List<UUID> expected = byId.entrySet().stream().filter(e -> matches(f, e.getValue()))
                    .map(Map.Entry::getKey).sorted(Comparator.comparing(UUID::toString)).toList();
            List<UUID> actual = all(items, Query.where(f).limit(4)).stream().map(Record::id).toList();
            assertThat(actual).as("filter %s over %s", f, rows).isEqualTo(expected);
            assertThat(items.count(f)).as("count of %s", f).isEqualTo(expected.size());
        }
        Comparator<Map.Entry<UUID, Row>> order = null;
        for (Sort s : sorts) {
            Comparator<Map.Entry<UUID, Row>> key = (a, b) -> compareNullsLast(a.getValue().get(s.path()),
                    b.getValue().get(s.path()));
            if (s.descending()) {
                key = key.reversed();
            }
            order = order == null ? key : order.thenComparing(key);
        }
        order = Objects.requireNonNull(order).thenComparing(e -> e.getKey().toString());
        List<UUID> expected = byId.entrySet().stream().sorted(order).map(Map.Entry::getKey).toList();
        List<UUID> actual = all(items, Query.all().orderBy(sorts.toArray(Sort[]::new)).limit(3)).stream()
                .map(Record::id).toList();
        assertThat(actual).as("sorted by %s over %s", sorts, rows).isEqualTo(expected);
    }

    /** The documented semantics, in plain Java. */
    private static boolean matches(Filter f, Row row) {
        return switch (f) {
            case Filter.And a -> a.operands().stream().allMatch(x -> matches(x, row));
            case Filter.Or o -> o.operands().stream().anyMatch(x -> matches(x, row));
            case Filter.Not n -> !matches(n.operand(), row);
            case Filter.IsNull n -> row.get(n.path()) == null;
            case Filter.Compare c -> {
                Object v = row.get(c.path());
                if (v == null) {
                    yield c.op() == Filter.Op.NE;
                }
                int cmp = compare(v, c.value());
                yield switch (c.op()) {
                    case EQ -> cmp == 0;
                    case NE -> cmp != 0;
                    case LT -> cmp < 0;
                    case LTE -> cmp <= 0;
                    case GT -> cmp > 0;
                    case GTE -> cmp >= 0;
                };
            }
            case Filter.In in -> {
                Object v = row.get(in.path());
                yield v != null && in.values().stream().anyMatch(x -> compare(v, x) == 0);
            }
            case Filter.Between b -> {
                Object v = row.get(b.path());
                yield v != null && compare(v, java.util.Objects.requireNonNull(b.low())) >= 0
                        && compare(v, java.util.Objects.requireNonNull(b.high())) <= 0;
            }
            case Filter.TextMatch t -> {
                Object v = row.get(t.path());
                if (v == null) {
                    yield false;
                }
                String hay = ((String) v).toLowerCase(Locale.ROOT);
                String needle = t.text().toLowerCase(Locale.ROOT);
                yield t.op() == Filter.TextOp.CONTAINS ? hay.contains(needle) : hay.startsWith(needle);
            }
            case Filter.SetMatch m -> throw new IllegalArgumentException("not generated: " + m);
        };
    }

    private static int compare(Object a, Object b) {
        if (a instanceof Long x) {
            return Long.compare(x, (Long) b);
        }
        if (a instanceof BigDecimal x) {
            return x.compareTo((BigDecimal) b);
        }
        return ((String) a).compareTo((String) b);
    }

    private static int compareNullsLast(@Nullable Object a, @Nullable Object b) {
        if (a == null) {
            return b == null ? 0 : 1;
        }
        return b == null ? -1 : compare(a, b);
    }
}
