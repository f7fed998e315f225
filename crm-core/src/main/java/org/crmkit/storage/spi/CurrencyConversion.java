package org.crmkit.storage.spi;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.crmkit.schema.Currencies;
import org.crmkit.schema.ExchangeRate;
import org.jspecify.annotations.Nullable;

/**
 * How the amount of a currency path becomes corporate units ({@code <field>.corporate}, see
 * {@link org.crmkit.schema.Currencies}), as a storage computes it: the amount times the multiplier of the first span
 * of its currency that covers the record's conversion date, exactly; empty when no span does (an empty amount, or a
 * currency without rates). Every storage computes it alike: memory by {@link #convert}, SQL as
 * {@code amount * CASE WHEN currency = ? AND date >= ? AND date < ? THEN multiplier ... END} with these spans inlined.
 *
 * @param corporate the corporate currency
 * @param date      the path of the date that picks the rate on the same record, or null when the record's type
 *                  converts at the newest rate
 * @param spans     per currency, the intervals of its rates (the corporate currency: one span, multiplier 1)
 */
public record CurrencyConversion(String corporate, @Nullable ResolvedPath date, List<Span> spans) {
    public CurrencyConversion {
        Objects.requireNonNull(corporate, "corporate");
        spans = List.copyOf(spans);
    }

    /**
     * One rate's interval: amounts in {@code currency} whose date lies in [{@code from}, {@code until}) multiply by
     * {@code multiplier}. A null {@code from} is open towards the past (a currency's first rate covers earlier dates
     * too); a null {@code until} is the newest rate, which also converts records without a date.
     */
    public record Span(String currency, @Nullable LocalDate from, @Nullable LocalDate until, BigDecimal multiplier) {
        public Span {
            Objects.requireNonNull(currency, "currency");
            Objects.requireNonNull(multiplier, "multiplier");
        }

        /** Whether the span converts an amount of its currency dated {@code date} (null: undated). */
        public boolean covers(@Nullable LocalDate date) {
            if (date == null) {
                return until == null;
            }
            return (from == null || !date.isBefore(from)) && (until == null || date.isBefore(until));
        }
    }

    /** The conversion the currencies give, with rates picked by {@code date} (null: the newest). */
    public static CurrencyConversion of(Currencies currencies, @Nullable ResolvedPath date) {
        String corporate = Objects.requireNonNull(currencies.corporate(), "a corporate currency");
        List<Span> spans = new ArrayList<>();
        spans.add(new Span(corporate, null, null, BigDecimal.ONE));
        List<String> codes = currencies.rates().stream().map(ExchangeRate::currency).distinct().toList();
        for (String code : codes) {
            List<ExchangeRate> of = currencies.ratesOf(code);
            for (int i = 0; i < of.size(); i++) {
                LocalDate from = i == 0 ? null : of.get(i).effectiveFrom();
                LocalDate until = i + 1 < of.size() ? of.get(i + 1).effectiveFrom() : null;
                spans.add(new Span(code, from, until, Currencies.multiplier(of.get(i))));
            }
        }
        return new CurrencyConversion(corporate, date, spans);
    }

    /** The amount in corporate units, exact, or null when it does not convert. */
    public @Nullable BigDecimal convert(@Nullable String currency, @Nullable BigDecimal amount,
            @Nullable LocalDate on) {
        if (currency == null || amount == null) {
            return null;
        }
        LocalDate at = date == null ? null : on;
        for (Span s : spans) {
            if (s.currency().equals(currency) && s.covers(at)) {
                return amount.multiply(s.multiplier());
            }
        }
        return null;
    }
}
