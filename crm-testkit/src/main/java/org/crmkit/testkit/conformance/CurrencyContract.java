package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.SchemaException;
import org.crmkit.error.ValidationException;
import org.crmkit.query.AggregateRow;
import org.crmkit.query.Aggregation;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.crmkit.query.Metric;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.rollup.RecalculationJob;
import org.crmkit.schema.Currencies;
import org.crmkit.schema.ExchangeRate;
import org.crmkit.schema.Field;
import org.crmkit.schema.SchemaChange;
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
 * Multi-currency: a corporate currency (EUR here) and dated exchange rates as schema data; every currency field's
 * amount in EUR through {@code amount.corporate} in filters, sorts and aggregates, checked against a plain-Java model
 * of the documented rule (amount times 1/rate rounded half-even to 12 digits, rate of the deal's close date, newest
 * rate without one, first rate before the first date; totals rounded once, half-even, to the minor units); roll-ups
 * of currency fields; refusals of amounts that would not convert; ISO 4217 minor units.
 */
public abstract class CurrencyContract extends ConformanceContract {
    private static final Currencies RATES = Currencies.corporate("EUR")
            .withRate(ExchangeRate.of("USD", "2026-01-01", "1.10"))
            .withRate(ExchangeRate.of("USD", "2026-07-01", "1.20"))
            .withRate(ExchangeRate.of("GBP", "2026-01-01", "0.85"))
            .withRate(ExchangeRate.of("JPY", "2026-01-01", "160"));

    private List<Record> deals;

    @BeforeEach
    void currencies() {
        crm().schema().setCurrencies(RATES);
        deals = List.of(
                deal("a", "110.00", "USD", "2026-03-01", "prospecting"),
                deal("b", "120.00", "USD", "2026-08-01", "prospecting"),
                deal("c", "110.00", "USD", null, "negotiation"),
                deal("d", "50.00", "EUR", "2026-02-01", "negotiation"),
                deal("e", "85.00", "GBP", "2025-06-01", "negotiation"),
                deal("f", "16000", "JPY", "2026-09-30", "prospecting"));
    }

    private Record deal(String name, String amount, String currency, @Nullable String close, String stage) {
        return records("deal").create(values("name", name, "amount", Money.of(amount, currency), "close_date",
                close == null ? null : LocalDate.parse(close), "stage", stage));
    }

    /** The documented conversion, in plain Java: exact amount times the rounded inverse of the rate in force. */
    private static BigDecimal model(Record deal) {
        return ConversionModel.inCorporate(RATES, (Money) Objects.requireNonNull(deal.get("amount")),
                (LocalDate) deal.get("close_date"));
    }

    private static BigDecimal total(List<Record> deals) {
        return deals.stream().map(CurrencyContract::model).reduce(BigDecimal.ZERO, BigDecimal::add)
                .setScale(2, RoundingMode.HALF_EVEN);
    }

    @Test
    void theCurrenciesAreSchemaDataVersionedAndKept() {
        assertThat(crm().schema().currencies()).isEqualTo(RATES);
        assertThat(crm().schema().history().get(crm().schema().history().size() - 1).change())
                .isEqualTo(new SchemaChange.SetCurrencies(RATES));
        if (reopen() != null) {
            assertThat(crm().schema().currencies()).isEqualTo(RATES);
        }
    }

    @Test
    void badCurrenciesAreRefusedAndChangeNothing() {
        long version = crm().schema().version();
        for (Currencies bad : List.of(Currencies.corporate("EURO"),
                RATES.withRate(ExchangeRate.of("USD", "2027-01-01", "0")),
                RATES.withRate(ExchangeRate.of("USD", "2027-01-01", "1.12345678901")),
                RATES.withRate(ExchangeRate.of("EUR", "2027-01-01", "1")),
                RATES.withRate(ExchangeRate.of("XYZ", "2027-01-01", "2")),
                new Currencies(null, List.of(ExchangeRate.of("USD", "2026-01-01", "1.1"))))) {
            assertThatThrownBy(() -> crm().schema().setCurrencies(bad)).isInstanceOf(SchemaException.class);
        }
        // dropping the rates of a currency that stored amounts are in would strand them
        assertThatThrownBy(() -> crm().schema().setCurrencies(Currencies.corporate("EUR")
                .withRate(ExchangeRate.of("USD", "2026-01-01", "1.10"))))
                .isInstanceOfSatisfying(SchemaException.class, e -> {
                    assertThat(e.problem()).isEqualTo(SchemaException.Problem.HAS_DATA);
                    assertThat(e.field()).contains("amount");
                });
        assertThat(crm().schema().version()).isEqualTo(version);
    }

    @Test
    void convertedAmountsFilterSortAndAggregateAsTheModelSays() {
        List<AggregateRow> all = records("deal").aggregate(Aggregation.total().sum("amount.corporate")
                .min("amount.corporate").max("amount.corporate"), Filter.ALL);
        assertThat(all.get(0).get(Metric.sum("amount.corporate"))).isEqualTo(total(deals));
        assertThat(all.get(0).get(Metric.max("amount.corporate"))).isEqualTo(deals.stream()
                .map(CurrencyContract::model).max(Comparator.naturalOrder()).orElseThrow()
                .setScale(2, RoundingMode.HALF_EVEN));
        List<AggregateRow> byStage = records("deal").aggregate(Aggregation.groupBy("stage").sum("amount.corporate"),
                Filter.ALL);
        for (AggregateRow row : byStage) {
            List<Record> inStage = deals.stream().filter(d -> Objects.equals(d.get("stage"), row.group().get(0)))
                    .toList();
            assertThat(row.get(Metric.sum("amount.corporate"))).as("%s", row.group()).isEqualTo(total(inStage));
        }
        BigDecimal threshold = new BigDecimal("99.99");
        assertThat(ids(records("deal"), Filters.where("amount.corporate").gt(threshold)))
                .containsExactlyInAnyOrderElementsOf(deals.stream().filter(d -> model(d).compareTo(threshold) > 0)
                        .map(Record::id).toList());
        List<UUID> sorted = all(records("deal"), Query.all().orderBy(Sort.desc("amount.corporate"))).stream()
                .map(Record::id).toList();
        assertThat(sorted).containsExactlyElementsOf(deals.stream()
                .sorted(Comparator.comparing(CurrencyContract::model).reversed().thenComparing(Record::id))
                .map(Record::id).toList());
        // amounts of different currencies are still never added as they are
        assertThatThrownBy(() -> records("deal").aggregate(Aggregation.total().sum("amount"), Filter.ALL))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void aDealsCloseDatePicksItsRate() {
        Record a = deals.get(0);
        BigDecimal before = model(a);
        Record moved = records("deal").update(a, Map.of("close_date", LocalDate.parse("2026-12-01")));
        assertThat(model(moved)).isNotEqualTo(before);
        assertThat(records("deal").aggregate(Aggregation.total().sum("amount.corporate"),
                Filters.where("id").eq(a.id())).get(0).get(Metric.sum("amount.corporate")))
                .isEqualTo(model(moved).setScale(2, RoundingMode.HALF_EVEN));
    }

    @Test
    void amountsThatWouldNotConvertAreRefused() {
        assertThatThrownBy(() -> deal("x", "10.00", "CHF", null, "prospecting"))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(hasError(e, "amount", FieldErrorCode.INVALID_CURRENCY)).isTrue());
        assertThatThrownBy(() -> deal("y", "100.5", "JPY", null, "prospecting"))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(hasError(e, "amount", FieldErrorCode.TOO_PRECISE)).isTrue());
        assertThat(records("deal").count(Filter.ALL)).isEqualTo(deals.size());
    }

    @Test
    void theConvertedAmountIsAsHiddenAsTheDateThatPicksItsRate() {
        Role noDates = Role.builder("no_dates").grant("deal", RecordScope.ALL, Permission.READ)
                .field("deal", "close_date", FieldAccess.HIDDEN).build();
        assertThatThrownBy(() -> crm().as(Principal.user("rep", noDates)).records("deal")
                .aggregate(Aggregation.total().sum("amount.corporate"), Filter.ALL))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(hasError(e, "amount.corporate", FieldErrorCode.UNKNOWN_FIELD)).isTrue());
    }

    @Test
    void rollUpsOfCurrencyFieldsTotalInTheCorporateCurrencyAndFollowTheRates() {
        assumeSupported(StorageFeature.ROW_LOCKS);
        crm().schema().addField("company", Field.rollup("pipeline", "deal", "company", Metric.sum("amount"), null));
        awaitRecalculations();
        Record acme = records("company").create(Map.of("name", "Acme"));
        assertThat(records("company").get(acme.id()).get("pipeline")).isEqualTo(Money.of("0.00", "EUR"));
        List<Record> mine = deals.stream().map(d -> records("deal").update(d, Map.of("company", acme.id())))
                .toList();
        assertThat(records("company").get(acme.id()).get("pipeline")).isEqualTo(new Money(total(mine), "EUR"));
        crm().schema().setCurrencies(RATES.withRate(ExchangeRate.of("USD", "2026-07-01", "1.25")));
        awaitRecalculations();
        BigDecimal newTotal = mine.stream().map(d -> {
            Money m = (Money) Objects.requireNonNull(d.get("amount"));
            LocalDate close = (LocalDate) d.get("close_date");
            if (m.currency().equals("USD") && (close == null || !close.isBefore(LocalDate.parse("2026-07-01")))) {
                return m.amount().multiply(BigDecimal.ONE.divide(new BigDecimal("1.25"), 12, RoundingMode.HALF_EVEN));
            }
            return model(d);
        }).reduce(BigDecimal.ZERO, BigDecimal::add).setScale(2, RoundingMode.HALF_EVEN);
        assertThat(records("company").get(acme.id()).get("pipeline")).isEqualTo(new Money(newTotal, "EUR"));
        // a corporate currency is needed while a currency roll-up exists
        assertThatThrownBy(() -> crm().schema().setCurrencies(Currencies.none())).isInstanceOf(SchemaException.class);
    }

    private void awaitRecalculations() {
        for (RecalculationJob job : crm().admin().rollups().jobs()) {
            job.result().toCompletableFuture().join();
        }
    }
}
