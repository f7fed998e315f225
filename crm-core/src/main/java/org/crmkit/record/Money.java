package org.crmkit.record;

import java.math.BigDecimal;
import java.util.Objects;

/** A currency amount: the value of {@link org.crmkit.schema.FieldType#CURRENCY} fields. */
public record Money(BigDecimal amount, String currency) {
    public Money {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
    }

    public static Money of(String amount, String currency) {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        return new Money(new BigDecimal(amount), currency);
    }

    public static Money of(long amount, String currency) {
        Objects.requireNonNull(currency, "currency");
        return new Money(BigDecimal.valueOf(amount), currency);
    }

    @Override
    public String toString() {
        return amount.toPlainString() + " " + currency;
    }
}
