package org.crmkit.testkit.conformance;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.List;
import org.crmkit.record.Money;
import org.crmkit.schema.Currencies;
import org.crmkit.schema.ExchangeRate;
import org.jspecify.annotations.Nullable;

/**
 * The documented currency conversion in plain Java, for contracts to check the storages against: the exact amount
 * times 1/rate rounded half-even to 12 digits, the rate in force on {@code date} (the newest without one, the first
 * before the first date).
 */
final class ConversionModel {
    private ConversionModel() {}

    static BigDecimal inCorporate(Currencies currencies, Money m, @Nullable LocalDate date) {
        if (m.currency().equals(currencies.corporate())) {
            return m.amount();
        }
        List<ExchangeRate> of = currencies.ratesOf(m.currency());
        ExchangeRate inForce = date == null ? of.get(of.size() - 1) : of.get(0);
        for (ExchangeRate r : of) {
            if (date != null && !r.effectiveFrom().isAfter(date)) {
                inForce = r;
            }
        }
        return m.amount().multiply(BigDecimal.ONE.divide(inForce.rate(), 12, RoundingMode.HALF_EVEN));
    }
}
