package org.crmkit.internal.value.codec;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Map;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.record.Money;
import org.crmkit.schema.Field;
import org.jspecify.annotations.Nullable;

/** Money: an amount read as a decimal of the field plus an ISO 4217 code, the engine's default for plain numbers. */
final class CurrencyCodec implements FieldCodec {
    private final String defaultCurrency;

    /** {@code defaultCurrency}: ISO 4217 code given to plain numbers. */
    CurrencyCodec(String defaultCurrency) {
        this.defaultCurrency = defaultCurrency;
    }

    /** Whether {@code code} is an ISO 4217 code as the JDK knows it, in upper case. */
    static boolean isCurrencyCode(String code) {
        try {
            return Currency.getInstance(code).getCurrencyCode().equals(code);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public @Nullable Money write(Field field, Object raw, Problems p) {
        Object amount;
        Object code;
        if (raw instanceof Money m) {
            amount = m.amount();
            code = m.currency();
        } else if (raw instanceof Map<?, ?> map) {
            amount = map.get("amount");
            code = map.get("currency");
            if (amount == null) {
                return null;
            }
        } else {
            amount = raw;
            code = defaultCurrency;
        }
        if (!(code instanceof String c) || !isCurrencyCode(c)) {
            return p.fail(FieldErrorCode.INVALID_CURRENCY, "'" + Problems.abbreviate(String.valueOf(code))
                    + "' is not an ISO 4217 currency code");
        }
        BigDecimal d = Numbers.checkRange(field, Numbers.scaled(field.scale(), amount, p), p);
        int minor = Currency.getInstance(c).getDefaultFractionDigits();
        if (d != null && minor >= 0 && d.stripTrailingZeros().scale() > minor) {
            return p.fail(FieldErrorCode.TOO_PRECISE, c + " amounts have at most " + minor + " decimal places "
                    + "(ISO 4217), not " + Problems.abbreviate(d.toPlainString()));
        }
        return d == null ? null : new Money(d, c);
    }

    /** Filters compare the amount alone. */
    @Override
    public @Nullable BigDecimal filter(String path, @Nullable Field field, Object raw, Problems p) {
        return Numbers.read(raw, p);
    }
}
