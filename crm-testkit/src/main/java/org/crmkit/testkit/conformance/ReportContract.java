package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import org.crmkit.error.AccessDeniedException;
import org.crmkit.error.CrmException;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.query.AggregateRow;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.crmkit.query.Metric;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.report.DateBucket;
import org.crmkit.report.Grouping;
import org.crmkit.report.ReportDefinition;
import org.crmkit.report.ReportResult;
import org.crmkit.report.ReportTable;
import org.crmkit.schema.Currencies;
import org.crmkit.schema.ExchangeRate;
import org.crmkit.security.AdminPermission;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.crmkit.storage.spi.StorageFeature;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Reports as data ({@code session.reports()}): random report definitions over a fixed, seeded set of deals give
 * exactly the rows of a plain-Java model (groupings by value and by date bucket with any fiscal year start, converted
 * sums, averages, minimum and maximum, counts of values and of distinct values, top N), on every storage; saving checks and versions a
 * definition; a run keeps to the caller's access.
 */
public abstract class ReportContract extends ConformanceContract {
    private static final int DEALS = 120;
    private static final List<String> STAGES = List.of("prospecting", "qualification", "proposal", "negotiation",
            "closed_won", "closed_lost");
    private static final List<String> OWNERS = List.of("ann", "bob", "cid", "dee");
    private static final Currencies RATES = Currencies.corporate("EUR")
            .withRate(ExchangeRate.of("USD", "2025-01-01", "1.10"))
            .withRate(ExchangeRate.of("USD", "2026-04-01", "1.25"));
    /** What a grouping can be: a value, or a bucket of close_date. */
    private static final List<Function<Integer, Grouping>> GROUPINGS = List.of(
            i -> Grouping.by("stage"), i -> Grouping.by("owner"),
            i -> Grouping.by("close_date", DateBucket.DAY), i -> Grouping.by("close_date", DateBucket.WEEK),
            i -> Grouping.by("close_date", DateBucket.MONTH), i -> Grouping.by("close_date", DateBucket.QUARTER),
            i -> Grouping.by("close_date", DateBucket.YEAR));
    private static final List<Metric> METRICS = List.of(Metric.count(), Metric.sum("amount.corporate"),
            Metric.avg("probability"), Metric.min("close_date"), Metric.max("amount.corporate"),
            new Metric(Metric.Function.COUNT, "close_date"), Metric.avg("amount.corporate"),
            Metric.countDistinct("owner"), Metric.countDistinct("amount.corporate"),
            Metric.countDistinct("close_date.month"), Metric.countDistinct("stage"));

    private List<Record> deals = List.of();

    @BeforeEach
    void deals() {
        assumeSupported(StorageFeature.AGGREGATES);
        crm().schema().setCurrencies(RATES);
        Random random = new Random(14);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < DEALS; i++) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("name", "deal " + i);
            v.put("stage", STAGES.get(random.nextInt(STAGES.size())));
            v.put("owner", OWNERS.get(random.nextInt(OWNERS.size())));
            if (random.nextInt(10) > 0) {
                v.put("amount", Money.of(BigDecimal.valueOf(random.nextInt(2_000_000), 2).toPlainString(),
                        random.nextBoolean() ? "EUR" : "USD"));
            }
            if (random.nextInt(8) > 0) {
                v.put("close_date", LocalDate.of(2025, 1, 1).plusDays(random.nextInt(900)));
            }
            rows.add(v);
        }
        for (Map<String, Object> row : rows) {
            records("deal").create(row);
        }
        deals = all(records("deal"), org.crmkit.query.Query.all().limit(1000));
        assertThat(deals).hasSize(DEALS);
    }

    private static Gen<ReportDefinition> definitions() {
        Gen<List<Integer>> groupings = lists().of(integers().between(0, GROUPINGS.size() - 1)).ofSizeBetween(0, 2);
        Gen<List<Integer>> metrics = lists().of(integers().between(0, METRICS.size() - 1)).ofSizeBetween(1, 4);
        return groupings.zip(metrics, integers().between(1, 12), integers().between(0, 4), integers().between(0, 3),
                (g, m, fiscal, top, filter) -> {
                    ReportDefinition.Builder b = ReportDefinition.builder("generated", "deal")
                            .fiscalYearStartMonth(fiscal).top(top == 4 ? 0 : top);
                    g.stream().distinct().forEach(i -> b.groupBy(GROUPINGS.get(i).apply(i)));
                    m.stream().distinct().forEach(i -> b.metric(METRICS.get(i)));
                    b.filter(switch (filter) {
                        case 0 -> Filter.ALL;
                        case 1 -> Filters.where("stage")
                                .in(List.of("prospecting", "qualification", "proposal", "negotiation"));
                        case 2 -> Filters.where("amount.corporate").gt(new BigDecimal("5000"));
                        default -> Filters.where("owner").eq("ann");
                    });
                    return b.build();
                });
    }

    @Test
    void randomReportsGiveTheModelsRowsOnEveryStorage() {
        qt().withExamples(60).withShrinkCycles(20).forAll(definitions()).checkAssert(d -> {
            ReportResult result = system().reports().run(d);
            assertThat(result.rows()).as("%s", d).isEqualTo(model(d, deals));
            ReportTable table = result.table();
            assertThat(table.columns()).hasSize(d.groupings().size() + d.metrics().size());
            for (int r = 0; r < result.rows().size(); r++) {
                org.crmkit.query.AggregateRow row = result.rows().get(r);
                for (int g = 0; g < d.groupings().size(); g++) {
                    assertThat(table.value(r, d.groupPaths().get(g))).isEqualTo(row.group().get(g));
                }
                for (Metric m : d.metrics()) {
                    assertThat(table.value(r, m.toString())).isEqualTo(m.field() == null ? (Object) row.count()
                            : row.get(m));
                }
            }
        });
    }

    @Test
    void aReportRunsWithinTheCallersAccess() {
        Role rep = Role.builder("report_rep").grant("deal", RecordScope.OWN, Permission.READ).build();
        ReportDefinition byStage = ReportDefinition.builder("by_stage", "deal").groupBy("stage")
                .metric(Metric.count()).metric(Metric.sum("amount.corporate")).build();
        ReportResult mine = crm().as(Principal.user("ann", rep)).reports().run(byStage);
        assertThat(mine.rows()).isEqualTo(model(byStage, deals.stream().filter(d -> d.owner().equals("ann"))
                .toList()));
        Role noAmounts = Role.builder("no_amounts").grant("deal", RecordScope.ALL, Permission.READ)
                .field("deal", "amount", FieldAccess.HIDDEN).build();
        assertThatThrownBy(() -> crm().as(Principal.user("x", noAmounts)).reports().run(byStage))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(hasError(e, "amount.corporate", FieldErrorCode.UNKNOWN_FIELD)).isTrue());
    }

    @Test
    void definitionsAreCheckedVersionedAndKeptWithTheirHistory() {
        ReportDefinition def = ReportDefinition.builder("pipeline", "deal").label("Pipeline")
                .groupBy(Grouping.by("close_date", DateBucket.QUARTER)).metric(Metric.sum("amount.corporate"))
                .fiscalYearStartMonth(4).build();
        ReportDefinition v1 = system().reports().save(def);
        assertThat(v1.version()).isEqualTo(1);
        ReportDefinition v2 = system().reports().save(ReportDefinition.builder("pipeline", "deal").label("Pipeline")
                .groupBy("stage").metric(Metric.count()).build().withVersion(1));
        assertThat(v2.version()).isEqualTo(2);
        assertThatThrownBy(() -> system().reports().save(def.withVersion(1))).isInstanceOfSatisfying(
                CrmException.class, e -> assertThat(e.code()).isEqualTo(org.crmkit.error.ErrorCode.CONFLICT));
        assertThat(system().reports().find("pipeline")).contains(v2);
        assertThat(system().reports().history("pipeline")).containsExactly(v1, v2);
        assertThat(system().reports().run("pipeline").rows()).isEqualTo(model(v2, deals));
        Principal rep = Principal.user("rep", Role.SALES_REP);
        assertThat(rep.may(AdminPermission.MANAGE_REPORTS)).isFalse();
        assertThatThrownBy(() -> crm().as(rep).reports().save(def)).isInstanceOf(AccessDeniedException.class);
        for (ReportDefinition bad : List.of(
                ReportDefinition.builder("three", "deal").groupBy("stage").groupBy("owner").groupBy("name").build(),
                ReportDefinition.builder("bucket", "deal").groupBy(Grouping.by("stage", DateBucket.MONTH)).build(),
                ReportDefinition.builder("twice", "deal").groupBy("stage").groupBy("stage").build(),
                ReportDefinition.builder("fiscal", "deal").fiscalYearStartMonth(13).build(),
                ReportDefinition.builder("nope", "deal").metric(Metric.sum("stage")).build(),
                ReportDefinition.builder("Bad Name", "deal").build())) {
            assertThatThrownBy(() -> system().reports().save(bad)).as(bad.name())
                    .isInstanceOf(ValidationException.class);
        }
        system().reports().delete("pipeline");
        assertThat(system().reports().find("pipeline")).isEmpty();
        assertThat(system().reports().list()).isEmpty();
    }

    // ---- the model ----------------------------------------------------------------------------------------

    /** The rows the report must give, computed from the records in plain Java. */
    private static List<AggregateRow> model(ReportDefinition d, List<Record> all) {
        List<Record> matching = all.stream().filter(r -> matches(d.filter(), r)).toList();
        Comparator<List<@Nullable Object>> byKey = ReportContract::compareKeys;
        TreeMap<List<@Nullable Object>, List<Record>> groups = new TreeMap<>(byKey);
        for (Record r : matching) {
            List<@Nullable Object> key = new ArrayList<>();
            for (Grouping g : d.groupings()) {
                key.add(groupValue(g, d.fiscalYearStartMonth(), r));
            }
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        if (d.groupings().isEmpty() && groups.isEmpty()) {
            groups.put(List.of(), List.of());
        }
        List<AggregateRow> rows = new ArrayList<>();
        groups.forEach((key, members) -> {
            Map<Metric, @Nullable Object> values = new LinkedHashMap<>();
            for (Metric m : d.metrics()) {
                values.put(m, metric(m, members));
            }
            rows.add(new AggregateRow(key, members.size(), values));
        });
        if (d.topN() > 0) {
            Metric first = d.metrics().get(0);
            List<AggregateRow> sorted = new ArrayList<>(rows);
            sorted.sort(Comparator.comparing((AggregateRow r) -> rank(r.get(first)),
                    Comparator.nullsLast(Comparator.reverseOrder())));
            return sorted.subList(0, Math.min(d.topN(), sorted.size()));
        }
        return rows;
    }

    private static @Nullable BigDecimal rank(@Nullable Object v) {
        return v instanceof BigDecimal b ? b : v instanceof Long l ? BigDecimal.valueOf(l) : null;
    }

    private static boolean matches(Filter f, Record r) {
        if (f.equals(Filter.ALL)) {
            return true;
        }
        if (f instanceof Filter.Compare c && c.path().equals("owner")) {
            return r.owner().equals(c.value());
        }
        if (f instanceof Filter.Compare c && c.path().equals("amount.corporate")) {
            BigDecimal v = corporate(r);
            return v != null && v.compareTo((BigDecimal) c.value()) > 0;
        }
        return !List.of("closed_won", "closed_lost").contains(r.get("stage")); // the open stages
    }

    private static @Nullable Object groupValue(Grouping g, int fiscal, Record r) {
        if (g.bucket() == null) {
            return g.path().equals("owner") ? r.owner() : r.get(g.path());
        }
        LocalDate d = (LocalDate) r.get(g.path());
        if (d == null) {
            return null;
        }
        int fiscalYear = d.getMonthValue() >= fiscal ? d.getYear() : d.getYear() - 1;
        LocalDate yearStart = LocalDate.of(fiscalYear, fiscal, 1);
        int monthsIn = (d.getMonthValue() - fiscal + 12) % 12;
        return switch (g.bucket()) {
            case DAY -> d;
            case WEEK -> d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> LocalDate.of(d.getYear(), d.getMonth(), 1);
            case QUARTER -> yearStart.plusMonths(monthsIn / 3 * 3L);
            case YEAR -> yearStart;
        };
    }

    /** The deal's amount in EUR: amount times 1/rate (12 digits, half-even) of the rate its close date picks. */
    private static @Nullable BigDecimal corporate(Record r) {
        Money m = (Money) r.get("amount");
        if (m == null) {
            return null;
        }
        if (m.currency().equals("EUR")) {
            return m.amount();
        }
        LocalDate close = (LocalDate) r.get("close_date");
        String rate = close == null || !close.isBefore(LocalDate.of(2026, 4, 1)) ? "1.25" : "1.10";
        return m.amount().multiply(BigDecimal.ONE.divide(new BigDecimal(rate), 12, RoundingMode.HALF_EVEN));
    }

    private static @Nullable Object metric(Metric m, List<Record> members) {
        String field = m.field();
        if (field == null) {
            return (long) members.size();
        }
        List<Object> values = members.stream().map(r -> switch (field) {
            case "amount.corporate" -> corporate(r);
            case "owner" -> r.owner();
            case "close_date.month" -> groupValue(Grouping.by("close_date", DateBucket.MONTH), 1, r);
            default -> r.get(field);
        }).filter(Objects::nonNull).<Object>map(Objects::requireNonNull).toList();
        boolean money = field.equals("amount.corporate");
        return switch (m.function()) {
            case COUNT -> (long) values.size();
            case COUNT_DISTINCT -> (long) distinct(values).size();
            case SUM -> values.isEmpty() ? null : round(sum(values), money);
            case AVG -> values.isEmpty() ? null : sum(values).divide(BigDecimal.valueOf(values.size()), money ? 2 : 6,
                    RoundingMode.HALF_EVEN);
            case MIN -> values.stream().min(ReportContract::compareValues).map(v -> round(v, money)).orElse(null);
            case MAX -> values.stream().max(ReportContract::compareValues).map(v -> round(v, money)).orElse(null);
        };
    }

    /** The different values, compared as values (a decimal 1.0 is 1.00). */
    private static java.util.Set<Object> distinct(List<Object> values) {
        java.util.Set<Object> out = new java.util.TreeSet<>(ReportContract::compareValues);
        out.addAll(values);
        return out;
    }

    private static BigDecimal sum(List<Object> values) {
        return values.stream().map(v -> (BigDecimal) v).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static Object round(Object v, boolean money) {
        if (money) {
            return ((BigDecimal) v).setScale(2, RoundingMode.HALF_EVEN);
        }
        return v;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareValues(Object a, Object b) {
        return ((Comparable) a).compareTo(b);
    }

    private static int compareKeys(List<@Nullable Object> a, List<@Nullable Object> b) {
        for (int i = 0; i < a.size(); i++) {
            Object x = a.get(i);
            Object y = b.get(i);
            if (x == null || y == null) {
                if (x != y) {
                    return x == null ? 1 : -1;
                }
                continue;
            }
            int c = compareValues(x, y);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
