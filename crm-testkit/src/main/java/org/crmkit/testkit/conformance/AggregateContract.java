package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.crmkit.query.Filters.where;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crmkit.RecordSet;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.query.AggregateRow;
import org.crmkit.query.Aggregation;
import org.crmkit.query.Filters;
import org.crmkit.query.Metric;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.crmkit.storage.spi.StorageFeature;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * count / count distinct / sum / avg / min / max, grouped by zero, one or two fields, filtered, over currency amounts.
 */
public abstract class AggregateContract extends ConformanceContract {

    @BeforeEach
    void fixture() {
        assumeSupported(StorageFeature.AGGREGATES);
        defineWidget();
        widget("red", 1L, "1.00");
        widget("red", 2L, "2.00");
        widget("red", null, "0.5");
        widget("green", 4L, null);
        widget(null, 7L, "3");
        widget(null, null, null);
        Record gone = widget("blue", 100L, "100");
        records(WIDGET).delete(gone.id(), 1);
    }

    private Record widget(@Nullable String color, @Nullable Long qty, @Nullable String price) {
        return records(WIDGET).create(values("name", "w", "color", color, "qty", qty,
                "price", price == null ? null : new BigDecimal(price)));
    }

    private static BigDecimal dec(String s) {
        return new BigDecimal(s);
    }

    @Test
    void groupedByOneFieldWithEmptyGroupLast() {
        List<AggregateRow> rows = records(WIDGET).aggregate(Aggregation.groupBy("color").sum("qty").avg("qty")
                .min("qty").max("qty").sum("price").avg("price").with(Metric.count()), Filters.all());
        assertThat(rows).extracting(AggregateRow::group).containsExactly(row("green"), row("red"), row((Object) null));
        assertThat(rows).extracting(AggregateRow::count).containsExactly(1L, 3L, 2L);

        AggregateRow green = rows.get(0);
        assertThat(green.sum("qty")).isEqualTo(dec("4"));
        assertThat(green.avg("qty")).isEqualTo(dec("4.000000"));
        assertThat(green.sum("price")).isNull();
        assertThat(green.avg("price")).isNull();
        assertThat(green.get(Metric.count())).isEqualTo(1L);

        AggregateRow red = rows.get(1);
        assertThat(red.sum("qty")).isInstanceOf(BigDecimal.class).isEqualTo(dec("3"));
        assertThat(red.avg("qty")).isEqualTo(dec("1.500000"));
        assertThat(red.min("qty")).isEqualTo(1L);
        assertThat(red.max("qty")).isEqualTo(2L);
        assertThat((BigDecimal) red.sum("price")).isEqualByComparingTo("3.5");
        assertThat(red.avg("price")).isEqualTo(dec("1.166667"));

        AggregateRow empty = rows.get(2);
        assertThat(empty.sum("qty")).isEqualTo(dec("7"));
        assertThat(empty.avg("qty")).isEqualTo(dec("7.000000"));
        assertThat((BigDecimal) empty.sum("price")).isEqualByComparingTo("3");
        assertThat(empty.avg("price")).isEqualTo(dec("3.000000"));
        assertThat(empty.get(Metric.count())).isEqualTo(2L);
    }

    @Test
    void groupedByTwoFieldsInGroupOrder() {
        List<AggregateRow> rows = records(WIDGET).aggregate(Aggregation.groupBy("color", "qty").sum("price"),
                Filters.all());
        assertThat(rows).extracting(AggregateRow::group).containsExactly(
                row("green", 4L), row("red", 1L), row("red", 2L), row("red", null), row(null, 7L), row(null, null));
        assertThat(rows).extracting(AggregateRow::count).containsOnly(1L);
        assertThat((BigDecimal) rows.get(3).sum("price")).isEqualByComparingTo("0.5");
        assertThat(rows.get(5).sum("price")).isNull();
    }

    @Test
    void totalsAndFilteredAggregates() {
        List<AggregateRow> total = records(WIDGET).aggregate(Aggregation.total().sum("qty").avg("price")
                .min("price").max("qty"), Filters.all());
        assertThat(total).hasSize(1);
        assertThat(total.get(0).group()).isEmpty();
        assertThat(total.get(0).count()).isEqualTo(6L);
        assertThat(total.get(0).sum("qty")).isEqualTo(dec("14"));
        assertThat(total.get(0).avg("price")).isEqualTo(dec("1.625000"));
        assertThat((BigDecimal) total.get(0).min("price")).isEqualByComparingTo("0.5");
        assertThat(total.get(0).max("qty")).isEqualTo(7L);

        List<AggregateRow> filtered = records(WIDGET).aggregate(Aggregation.groupBy("color").sum("qty"),
                where("qty").gt(1));
        assertThat(filtered).extracting(AggregateRow::group).containsExactly(row("green"), row("red"),
                row((Object) null));
        assertThat(filtered).extracting(r -> r.sum("qty")).containsExactly(dec("4"), dec("2"),
                dec("7"));

        List<AggregateRow> none = records(WIDGET).aggregate(Aggregation.total().sum("qty").avg("qty"),
                where("qty").gt(1000));
        assertThat(none).hasSize(1);
        assertThat(none.get(0).count()).isZero();
        assertThat(none.get(0).sum("qty")).isNull();
        assertThat(none.get(0).avg("qty")).isNull();
        assertThat(records(WIDGET).aggregate(Aggregation.groupBy("color"), where("qty").gt(1000))).isEmpty();
    }

    @Test
    void currencyAmountsSumAndGroupByCurrency() {
        records("deal").create(Map.of("name", "a", "amount", Money.of("100", "USD")));
        records("deal").create(Map.of("name", "b", "amount", Money.of("50.5", "USD")));
        records("deal").create(Map.of("name", "c", "amount", Money.of("200", "EUR")));
        records("deal").create(Map.of("name", "d"));
        List<AggregateRow> rows = records("deal").aggregate(Aggregation.groupBy("amount.currency").sum("amount")
                .max("amount").avg("amount"), Filters.all());
        assertThat(rows).extracting(AggregateRow::group).containsExactly(row("EUR"), row("USD"), row((Object) null));
        assertThat((BigDecimal) rows.get(0).sum("amount")).isEqualByComparingTo("200");
        assertThat((BigDecimal) rows.get(1).sum("amount")).isEqualByComparingTo("150.5");
        assertThat((BigDecimal) rows.get(1).max("amount")).isEqualByComparingTo("100");
        assertThat(rows.get(1).avg("amount")).isEqualTo(dec("75.250000"));
        assertThat(rows.get(2).sum("amount")).isNull();
        assertThat(rows.get(2).count()).isEqualTo(1L);

        List<AggregateRow> total = records("deal").aggregate(Aggregation.total().sum("amount"),
                where("amount.currency").eq("USD"));
        assertThat((BigDecimal) total.get(0).sum("amount")).isEqualByComparingTo("150.5");
        assertThat(records("deal").aggregate(Aggregation.groupBy("stage").sum("amount"), where("amount.currency")
                .eq("EUR"))).extracting(AggregateRow::group).containsExactly(row("prospecting"));
    }

    @Test
    void averagesRoundHalfEvenToSixPlacesAndDatesHaveMinAndMax() {
        crm().schema().addField(WIDGET, Field.decimal("tiny").scale(8));
        crm().schema().addField(WIDGET, Field.date("due"));
        records(WIDGET).create(Map.of("name", "t1", "color", "blue", "tiny", new BigDecimal("0.0000005"),
                "due", LocalDate.of(2026, 3, 1)));
        records(WIDGET).create(Map.of("name", "t2", "color", "green", "tiny", new BigDecimal("0.0000015"),
                "due", LocalDate.of(2026, 1, 15)));
        records(WIDGET).create(Map.of("name", "t3", "color", "green", "due", LocalDate.of(2026, 2, 1)));
        List<AggregateRow> rows = records(WIDGET).aggregate(Aggregation.groupBy("color").avg("tiny").min("due")
                .max("due"), where("tiny").isNotNull().or("due").isNotNull());
        assertThat(rows).extracting(AggregateRow::group).containsExactly(row("blue"), row("green"));
        assertThat(rows.get(0).avg("tiny")).isEqualTo(dec("0.000000"));
        assertThat(rows.get(1).avg("tiny")).isEqualTo(dec("0.000002"));
        assertThat(rows.get(1).min("due")).isEqualTo(LocalDate.of(2026, 1, 15));
        assertThat(rows.get(1).max("due")).isEqualTo(LocalDate.of(2026, 2, 1));
        assertThat(rows.get(0).max("due")).isEqualTo(LocalDate.of(2026, 3, 1));
    }

    @Test
    void unsupportedAggregatesAreRefused() {
        assertThatThrownBy(() -> records(WIDGET).aggregate(Aggregation.total().sum("name"), Filters.all()))
                .matches(error("name", FieldErrorCode.UNSUPPORTED_OPERATION));
        assertThatThrownBy(() -> records(WIDGET).aggregate(Aggregation.groupBy("tags"), Filters.all()))
                .matches(error("tags", FieldErrorCode.UNSUPPORTED_OPERATION));
        assertThatThrownBy(() -> records(WIDGET).aggregate(Aggregation.groupBy("nope"), Filters.all()))
                .matches(error("nope", FieldErrorCode.UNKNOWN_FIELD));
    }

    @Test
    void currencyMetricsOverSeveralCurrenciesAreRefusedUnlessGroupedByCurrency() {
        records("deal").create(Map.of("name", "a", "amount", Money.of("100", "USD")));
        records("deal").create(Map.of("name", "b", "amount", Money.of("200", "EUR")));
        records("deal").create(Map.of("name", "c", "amount", Money.of("5", "USD")));
        records("deal").create(Map.of("name", "d"));
        for (Aggregation a : List.of(Aggregation.total().sum("amount"), Aggregation.total().avg("amount"),
                Aggregation.total().min("amount"), Aggregation.groupBy("stage").max("amount"),
                Aggregation.groupBy("stage").sum("probability").sum("amount"))) {
            assertThatThrownBy(() -> records("deal").aggregate(a, Filters.all())).as("%s", a)
                    .matches(error("amount", FieldErrorCode.UNSUPPORTED_OPERATION))
                    .hasMessageContaining("several currencies").hasMessageContaining("amount.currency");
        }
        // one currency per group: fine, whether grouped by the currency, filtered to one, or by another key
        List<AggregateRow> byCurrency = records("deal").aggregate(Aggregation.groupBy("amount.currency")
                .sum("amount").min("amount"), Filters.all());
        assertThat(byCurrency).extracting(AggregateRow::group).containsExactly(row("EUR"), row("USD"),
                row((Object) null));
        assertThat((BigDecimal) byCurrency.get(0).sum("amount")).isEqualByComparingTo("200");
        assertThat((BigDecimal) byCurrency.get(1).sum("amount")).isEqualByComparingTo("105");
        assertThat((BigDecimal) byCurrency.get(1).min("amount")).isEqualByComparingTo("5");
        assertThat(byCurrency.get(2).sum("amount")).isNull();
        assertThat(records("deal").aggregate(Aggregation.groupBy("name").sum("amount"), Filters.all()))
                .extracting(r -> r.sum("amount") == null ? null : ((BigDecimal) r.sum("amount")).stripTrailingZeros())
                .containsExactly(dec("1E+2"), dec("2E+2"), dec("5"), null);
        assertThat(records("deal").aggregate(Aggregation.total().count().with(new Metric(Metric.Function.COUNT,
                "amount")), Filters.all()).get(0).get(new Metric(Metric.Function.COUNT, "amount"))).isEqualTo(3L);
        assertThat((BigDecimal) records("deal").aggregate(Aggregation.total().sum("amount"),
                where("amount.currency").ne("USD")).get(0).sum("amount")).isEqualByComparingTo("200");
    }

    @Test
    void distinctCountsCountDifferentNonEmptyValuesComparedAsValues() {
        widget("green", 9L, "1"); // the price 1 is the 1.00 of another widget
        List<AggregateRow> total = records(WIDGET).aggregate(Aggregation.total().countDistinct("color")
                .countDistinct("price").countDistinct("qty").countDistinct("owner"), Filters.all());
        assertThat(total.get(0).get(Metric.countDistinct("color"))).isEqualTo(2L);
        assertThat(total.get(0).get(Metric.countDistinct("price"))).isEqualTo(4L);
        assertThat(total.get(0).get(Metric.countDistinct("qty"))).isEqualTo(5L);
        assertThat(total.get(0).get(Metric.countDistinct("owner"))).isEqualTo(1L);
        List<AggregateRow> byColor = records(WIDGET).aggregate(Aggregation.groupBy("color").countDistinct("price"),
                Filters.all());
        assertThat(byColor).extracting(r -> r.get(Metric.countDistinct("price"))).containsExactly(1L, 3L, 1L);
        assertThat(records(WIDGET).aggregate(Aggregation.groupBy("color").countDistinct("price"),
                where("qty").gt(1000))).isEmpty();
        assertThat(records(WIDGET).aggregate(Aggregation.total().countDistinct("price"), where("qty").gt(1000))
                .get(0).get(Metric.countDistinct("price"))).isEqualTo(0L);
        assertThatThrownBy(() -> records(WIDGET).aggregate(Aggregation.total().countDistinct("tags"),
                Filters.all())).matches(error("tags", FieldErrorCode.UNSUPPORTED_OPERATION));
        assertThatThrownBy(() -> records(WIDGET).aggregate(Aggregation.total()
                .with(new Metric(Metric.Function.COUNT_DISTINCT, null)), Filters.all()))
                .matches(error("*", FieldErrorCode.UNSUPPORTED_OPERATION));
        // amounts: one currency per group, as for a sum
        records("deal").create(Map.of("name", "a", "amount", Money.of("100", "USD")));
        records("deal").create(Map.of("name", "b", "amount", Money.of("100", "EUR")));
        records("deal").create(Map.of("name", "c", "amount", Money.of("100.00", "USD")));
        assertThatThrownBy(() -> records("deal").aggregate(Aggregation.total().countDistinct("amount"),
                Filters.all())).matches(error("amount", FieldErrorCode.UNSUPPORTED_OPERATION));
        assertThat(records("deal").aggregate(Aggregation.groupBy("amount.currency").countDistinct("amount")
                .countDistinct("name"), Filters.all())).extracting(r -> List.of(r.get(Metric.countDistinct("amount")),
                        r.get(Metric.countDistinct("name"))))
                .containsExactly(List.of(1L, 1L), List.of(1L, 2L));
    }

    @Test
    void integerSumsAreExactBeyondTheRangeOfLong() {
        widget("blue", Long.MAX_VALUE, null);
        widget("blue", Long.MAX_VALUE, null);
        widget("blue", Long.MAX_VALUE - 1, null);
        widget("green", Long.MIN_VALUE, null);
        widget("green", Long.MIN_VALUE, null);
        List<AggregateRow> rows = records(WIDGET).aggregate(Aggregation.groupBy("color").sum("qty").avg("qty")
                .min("qty").max("qty"), where("color").in("blue", "green"));
        BigDecimal max = BigDecimal.valueOf(Long.MAX_VALUE);
        BigDecimal min = BigDecimal.valueOf(Long.MIN_VALUE);
        assertThat(rows.get(0).sum("qty")).isEqualTo(max.multiply(dec("3")).subtract(BigDecimal.ONE));
        assertThat(rows.get(0).avg("qty")).isEqualTo(max.subtract(dec("0.333333")));
        assertThat(rows.get(0).min("qty")).isEqualTo(Long.MAX_VALUE - 1);
        assertThat(rows.get(0).max("qty")).isEqualTo(Long.MAX_VALUE);
        BigDecimal greens = min.multiply(dec("2")).add(dec("4")); // the fixture's green widget has 4
        assertThat(rows.get(1).sum("qty")).isEqualTo(greens);
        assertThat(rows.get(1).avg("qty")).isEqualTo(greens.divide(dec("3"), 6, java.math.RoundingMode.HALF_EVEN));
        assertThat(records(WIDGET).aggregate(Aggregation.total().sum("qty"), where("qty").gt(Long.MAX_VALUE - 2))
                .get(0).sum("qty")).isEqualTo(max.multiply(dec("3")).subtract(BigDecimal.ONE));
    }

    @Test
    void formulaFieldsAreRefusedInFiltersSortsGroupsAndMetrics() {
        crm().schema().addField(WIDGET, Field.formula("qty_x2", FieldType.INTEGER, "qty == null ? 0 : qty * 2"));
        crm().schema().addField("company", Field.formula("name_len", FieldType.INTEGER, "size(name)"));
        Map<String, ThrowingCallable> calls = new LinkedHashMap<>();
        for (String f : List.of("qty_x2", "company.name_len")) {
            calls.put("filter " + f, () -> records(WIDGET).query(where(f).gt(1)));
            calls.put("isNull " + f, () -> records(WIDGET).query(where(f).isNull()));
            calls.put("count " + f, () -> records(WIDGET).count(where(f).eq(2)));
            calls.put("sort " + f, () -> records(WIDGET).query(Query.all().orderBy(Sort.desc(f))));
            calls.put("sum " + f, () -> records(WIDGET).aggregate(Aggregation.total().sum(f), Filters.all()));
            calls.put("max " + f, () -> records(WIDGET).aggregate(Aggregation.total().max(f), Filters.all()));
            calls.put("group " + f, () -> records(WIDGET).aggregate(Aggregation.groupBy(f), Filters.all()));
            calls.put("aggregate filter " + f, () -> records(WIDGET).aggregate(Aggregation.total(), where(f).eq(2)));
        }
        calls.forEach((what, call) -> {
            String f = what.substring(what.lastIndexOf(' ') + 1);
            assertThatThrownBy(call).as(what).matches(error(f, FieldErrorCode.UNSUPPORTED_OPERATION))
                    .hasMessageContaining("formula");
        });
        // a hidden formula reads as a missing field, with the same error
        Role noQty = Role.builder("no_qty").grant(WIDGET, RecordScope.ALL, Permission.READ)
                .field(WIDGET, "qty", FieldAccess.HIDDEN).build();
        RecordSet hidden = crm().as(Principal.user("hal", noQty)).records(WIDGET);
        Throwable formula = catchThrowable(() -> hidden.query(where("qty_x2").gt(1)));
        Throwable missing = catchThrowable(() -> hidden.query(where("nope").gt(1)));
        assertThat(formula).matches(error("qty_x2", FieldErrorCode.UNKNOWN_FIELD));
        assertThat(((ValidationException) formula).errors().get(0).message())
                .isEqualTo(((ValidationException) missing).errors().get(0).message());
    }
}
