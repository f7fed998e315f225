package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.query.Filters.where;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.query.AggregateRow;
import org.crmkit.query.Aggregation;
import org.crmkit.query.Filters;
import org.crmkit.query.Metric;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** count / sum / avg / min / max, grouped by zero, one or two fields, filtered, over currency amounts. */
public abstract class AggregateContract extends ConformanceContract {

    @BeforeEach
    void fixture() {
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
        assertThat(green.sum("qty")).isEqualTo(4L);
        assertThat(green.avg("qty")).isEqualTo(dec("4.000000"));
        assertThat(green.sum("price")).isNull();
        assertThat(green.avg("price")).isNull();
        assertThat(green.get(Metric.count())).isEqualTo(1L);

        AggregateRow red = rows.get(1);
        assertThat(red.sum("qty")).isInstanceOf(Long.class).isEqualTo(3L);
        assertThat(red.avg("qty")).isEqualTo(dec("1.500000"));
        assertThat(red.min("qty")).isEqualTo(1L);
        assertThat(red.max("qty")).isEqualTo(2L);
        assertThat((BigDecimal) red.sum("price")).isEqualByComparingTo("3.5");
        assertThat(red.avg("price")).isEqualTo(dec("1.166667"));

        AggregateRow empty = rows.get(2);
        assertThat(empty.sum("qty")).isEqualTo(7L);
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
        assertThat(total.get(0).sum("qty")).isEqualTo(14L);
        assertThat(total.get(0).avg("price")).isEqualTo(dec("1.625000"));
        assertThat((BigDecimal) total.get(0).min("price")).isEqualByComparingTo("0.5");
        assertThat(total.get(0).max("qty")).isEqualTo(7L);

        List<AggregateRow> filtered = records(WIDGET).aggregate(Aggregation.groupBy("color").sum("qty"),
                where("qty").gt(1));
        assertThat(filtered).extracting(AggregateRow::group).containsExactly(row("green"), row("red"),
                row((Object) null));
        assertThat(filtered).extracting(r -> r.sum("qty")).containsExactly(4L, 2L, 7L);

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
        assertThat(records("deal").aggregate(Aggregation.groupBy("stage").sum("amount"), Filters.all()))
                .extracting(AggregateRow::group).containsExactly(row("prospecting"));
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
}
