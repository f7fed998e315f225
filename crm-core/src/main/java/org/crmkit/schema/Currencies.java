package org.crmkit.schema;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The corporate currency and the dated exchange rates into it: data kept with the schema ({@link
 * Schema#setCurrencies}), versioned and audited like any schema change. No rate is ever fetched from a network.
 *
 * <p><b>Conversion.</b> Once a corporate currency is set, every currency field also gives its amount in it, through
 * the query path {@code <field>.corporate} (filters, sorts, aggregates, roll-ups and reports): the amount times the
 * inverse of the rate in force ({@link #multiplier}), exactly, on every storage. A deal's amounts convert at the rate
 * of its {@code close_date} ({@link #conversionDateField}); other records' amounts, and deals without a close date,
 * at the currency's newest rate. Totals are sums of those exact products, rounded once, half-even, to the corporate
 * currency's minor units (ISO 4217, as {@link java.util.Currency} gives them). Values in a currency that has no rate
 * are refused while a corporate currency is set, so a total never leaves an amount out or adds two currencies.
 *
 * @param corporate the corporate currency (ISO 4217), or null when none is set (no conversion)
 * @param rates     the dated rates, any order; at most one per currency and date
 */
public record Currencies(@Nullable String corporate, List<ExchangeRate> rates) {
    /** Fractional digits of the multiplier a rate converts with ({@link #multiplier}). */
    public static final int MULTIPLIER_SCALE = 12;

    /** The record types whose amounts convert at a date of their own, and that date's field. */
    private static final Map<String, String> CONVERSION_DATES = Map.of("deal", "close_date");

    private static final Currencies NONE = new Currencies(null, List.of());

    public Currencies {
        Objects.requireNonNull(rates, "rates");
        rates = rates.stream().sorted(Comparator.comparing(ExchangeRate::currency)
                .thenComparing(ExchangeRate::effectiveFrom)).toList();
    }

    /** No corporate currency, no rates: amounts are never converted. */
    public static Currencies none() {
        return NONE;
    }

    /** A corporate currency without rates yet. */
    public static Currencies corporate(String code) {
        Objects.requireNonNull(code, "code");
        return new Currencies(code, List.of());
    }

    /** A copy with {@code rate} added, replacing the rate of the same currency and date. */
    public Currencies withRate(ExchangeRate rate) {
        Objects.requireNonNull(rate, "rate");
        List<ExchangeRate> next = new ArrayList<>(rates);
        next.removeIf(r -> r.currency().equals(rate.currency()) && r.effectiveFrom().equals(rate.effectiveFrom()));
        next.add(rate);
        return new Currencies(corporate, next);
    }

    /** The rates of one currency, oldest first. */
    public List<ExchangeRate> ratesOf(String currency) {
        Objects.requireNonNull(currency, "currency");
        return rates.stream().filter(r -> r.currency().equals(currency)).toList();
    }

    /** Whether amounts in {@code currency} convert: it is the corporate currency or has a rate. */
    public boolean converts(String currency) {
        Objects.requireNonNull(currency, "currency");
        return currency.equals(corporate) || rates.stream().anyMatch(r -> r.currency().equals(currency));
    }

    /**
     * The rate in force for {@code currency} on {@code date}: the newest one effective on or before it, else the
     * currency's first; the newest of all when {@code date} is null. Empty for the corporate currency itself and for
     * currencies without rates.
     */
    public Optional<ExchangeRate> rateOn(String currency, @Nullable LocalDate date) {
        Objects.requireNonNull(currency, "currency");
        List<ExchangeRate> of = ratesOf(currency);
        if (of.isEmpty()) {
            return Optional.empty();
        }
        if (date == null) {
            return Optional.of(of.get(of.size() - 1));
        }
        ExchangeRate inForce = of.get(0);
        for (ExchangeRate r : of) {
            if (!r.effectiveFrom().isAfter(date)) {
                inForce = r;
            }
        }
        return Optional.of(inForce);
    }

    /**
     * What an amount of the rate's currency is multiplied by to give corporate units: {@code 1 / rate}, rounded
     * half-even to {@value #MULTIPLIER_SCALE} fractional digits, the same on every storage.
     */
    public static BigDecimal multiplier(ExchangeRate rate) {
        return BigDecimal.ONE.divide(rate.rate(), MULTIPLIER_SCALE, RoundingMode.HALF_EVEN);
    }

    /** The field whose date picks the rate for the amounts of {@code objectType} ({@code close_date} for deals). */
    public static Optional<String> conversionDateField(String objectType) {
        Objects.requireNonNull(objectType, "objectType");
        return Optional.ofNullable(CONVERSION_DATES.get(objectType));
    }
}
