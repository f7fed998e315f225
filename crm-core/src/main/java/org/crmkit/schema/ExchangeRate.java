package org.crmkit.schema;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A dated exchange rate, as Salesforce's advanced currency management keeps them: from {@code effectiveFrom} on
 * (until the currency's next rate), one unit of the corporate currency is worth {@code rate} units of
 * {@code currency}. The first rate of a currency also applies to every earlier date.
 *
 * @param currency      an ISO 4217 code other than the corporate currency
 * @param effectiveFrom the first day the rate applies to
 * @param rate          units of {@code currency} per unit of the corporate currency; positive, at most 10
 *                      fractional digits
 */
public record ExchangeRate(String currency, LocalDate effectiveFrom, BigDecimal rate) {
    public ExchangeRate {
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
        Objects.requireNonNull(rate, "rate");
    }

    /** A rate from text, e.g. {@code ExchangeRate.of("USD", "2026-01-01", "1.0834")}. */
    public static ExchangeRate of(String currency, String effectiveFrom, String rate) {
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
        Objects.requireNonNull(rate, "rate");
        return new ExchangeRate(currency, LocalDate.parse(effectiveFrom), new BigDecimal(rate));
    }
}
