package org.crmkit.internal.value;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.record.Address;
import org.crmkit.record.Money;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.junit.jupiter.api.Test;

/** Edge cases of value conversion, without an engine. */
class ValueConverterTest {
    private final ValueConverter us = new ValueConverter("US", "USD");
    private final List<FieldError> errors = new ArrayList<>();

    private Object ok(Field f, Object raw) {
        errors.clear();
        Object v = us.convert(f, raw, errors);
        assertThat(errors).as(f.name() + " = " + raw).isEmpty();
        return v;
    }

    private FieldErrorCode bad(Field f, Object raw) {
        errors.clear();
        Object v = us.convert(f, raw, errors);
        assertThat(v).isNull();
        assertThat(errors).as(f.name() + " = " + raw).hasSize(1);
        assertThat(errors.get(0).field()).isEqualTo(f.name());
        return errors.get(0).code();
    }

    /** A phone number read ahead (an import's second core) converts exactly as one read in the write. */
    @Test
    void phoneNumbersPreparedAheadConvertAsWithout() {
        Field phone = Field.phone("p");
        List<Object> raws = List.of("(415) 555-0132", " +44 20 7946 0958 ", "415 555 0132 ext. 7", "555-0000",
                "not a number", "+1 415 555 0132", new StringBuilder("4155550199"), 42L, "+999 1", "");
        ValueConverter fresh = new ValueConverter("US", "USD");
        assertThat(us.prepares(phone)).isTrue();
        assertThat(us.prepares(Field.text("t"))).isFalse();
        for (Object raw : raws) {
            us.prepare(phone, raw);
        }
        us.prepare(phone, raws.get(0)); // twice: the same
        for (Object raw : raws) {
            List<FieldError> prepared = new ArrayList<>();
            List<FieldError> plain = new ArrayList<>();
            assertThat(us.convert(phone, raw, prepared)).as(String.valueOf(raw))
                    .isEqualTo(fresh.convert(phone, raw, plain));
            assertThat(prepared).as(String.valueOf(raw)).isEqualTo(plain);
        }
        us.forgetPrepared();
        assertThat(us.convert(phone, "(415) 555-0132", errors)).isEqualTo("+14155550132");
    }

    @Test
    void nullAndBlankMeanEmpty() {
        for (Field f : List.of(Field.text("t"), Field.integer("i"), Field.decimal("d"), Field.bool("b"),
                Field.date("dt"), Field.datetime("ts"), Field.email("e"), Field.phone("p"), Field.url("u"),
                Field.picklist("pl", "a"), Field.multiPicklist("mp", "a"), Field.reference("r", "x"))) {
            errors.clear();
            assertThat(us.convert(f, null, errors)).isNull();
            assertThat(us.convert(f, "  ", errors)).as(f.name()).isNull();
            assertThat(errors).as(f.name()).isEmpty();
        }
        assertThat(ok(Field.address("a"), Map.of("city", " "))).isNull();
        assertThat(ok(Field.relation("rel", "x"), List.of())).isNull();
        assertThat(ok(Field.multiPicklist("mp", "a"), List.of())).isNull();
    }

    @Test
    void textKeepsTabsAndCountsCodePoints() {
        assertThat(ok(Field.text("t"), "a\tb")).isEqualTo("a\tb");
        assertThat(ok(Field.text("t"), new StringBuilder("sb"))).isEqualTo("sb");
        assertThat(ok(Field.text("t").maxLength(2), "\uD83D\uDE00\uD83D\uDE00")).isNotNull();
        assertThat(bad(Field.text("t").maxLength(2), "abc")).isEqualTo(FieldErrorCode.TOO_LONG);
        assertThat(ok(Field.longText("l"), "a\r\nb")).isEqualTo("a\r\nb");
        assertThat(bad(Field.text("t"), "a\rb")).isEqualTo(FieldErrorCode.INVALID_CHARACTER);
        assertThat(ok(Field.text("t"), "x".repeat(255))).isNotNull();
        assertThat(ok(Field.longText("l"), "x".repeat(Field.MAX_LONG_TEXT_LENGTH))).isNotNull();
    }

    @Test
    void integersAcceptWholeNumbersInAnyForm() {
        Field i = Field.integer("i");
        assertThat(ok(i, 42)).isEqualTo(42L);
        assertThat(ok(i, (short) 7)).isEqualTo(7L);
        assertThat(ok(i, " 42 ")).isEqualTo(42L);
        assertThat(ok(i, 42.0)).isEqualTo(42L);
        assertThat(ok(i, "1e2")).isEqualTo(100L);
        assertThat(ok(i, new BigDecimal("5.000"))).isEqualTo(5L);
        assertThat(ok(i, BigInteger.valueOf(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
        assertThat(ok(i, Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
        assertThat(bad(i, "9223372036854775808")).isEqualTo(FieldErrorCode.OUT_OF_RANGE);
        assertThat(bad(i, "0x10")).isEqualTo(FieldErrorCode.WRONG_TYPE);
        assertThat(bad(i, "1_000")).isEqualTo(FieldErrorCode.WRONG_TYPE);
    }

    @Test
    void decimalsAreScaledExactly() {
        Field d = Field.decimal("d").scale(2);
        assertThat(ok(d, "1.5")).isEqualTo(new BigDecimal("1.50"));
        assertThat(ok(d, "1.500")).isEqualTo(new BigDecimal("1.50"));
        assertThat(ok(d, 0.1)).isEqualTo(new BigDecimal("0.10"));
        assertThat(ok(d, 3)).isEqualTo(new BigDecimal("3.00"));
        assertThat(ok(d, "-0")).isEqualTo(new BigDecimal("0.00"));
        assertThat(ok(d, "1E+3")).isEqualTo(new BigDecimal("1000.00"));
        assertThat(ok(d, "9999999999999999.99")).isEqualTo(new BigDecimal("9999999999999999.99"));
        assertThat(bad(d, "99999999999999999.99")).isEqualTo(FieldErrorCode.OUT_OF_RANGE);
        assertThat(bad(d, 0.1 + 0.2)).isEqualTo(FieldErrorCode.TOO_PRECISE);
        assertThat(ok(d, 0.1f + 0.7f)).isEqualTo(new BigDecimal("0.80"));
        assertThat(ok(Field.decimal("z").scale(0), "12")).isEqualTo(new BigDecimal("12"));
        assertThat(bad(Field.decimal("r").range(BigDecimal.ZERO, BigDecimal.TEN), "10.01"))
                .isEqualTo(FieldErrorCode.OUT_OF_RANGE);
    }

    @Test
    void moneyTakesTheDefaultCurrencyForPlainNumbers() {
        Field c = Field.currency("c");
        assertThat(ok(c, 5)).isEqualTo(new Money(new BigDecimal("5.00"), "USD"));
        assertThat(ok(c, Map.of("amount", "1.1", "currency", "GBP"))).isEqualTo(Money.of("1.10", "GBP"));
        assertThat(ok(c, Money.of("2", "JPY"))).isEqualTo(Money.of("2.00", "JPY"));
        assertThat(ok(c, Map.of("currency", "GBP"))).isNull();
        assertThat(bad(c, Map.of("amount", 1, "currency", "XYZ"))).isEqualTo(FieldErrorCode.INVALID_CURRENCY);
        assertThat(bad(Field.currency("c").range(BigDecimal.ZERO, null), -1)).isEqualTo(FieldErrorCode.OUT_OF_RANGE);
    }

    @Test
    void booleansDatesAndInstants() {
        assertThat(ok(Field.bool("b"), "TRUE")).isEqualTo(true);
        assertThat(ok(Field.bool("b"), " false ")).isEqualTo(false);
        assertThat(bad(Field.bool("b"), "1")).isEqualTo(FieldErrorCode.WRONG_TYPE);
        assertThat(ok(Field.date("d"), "0001-01-01")).isEqualTo(LocalDate.of(1, 1, 1));
        assertThat(ok(Field.date("d"), "9999-12-31")).isEqualTo(LocalDate.of(9999, 12, 31));
        assertThat(ok(Field.datetime("t"), "2024-01-01T00:00:00.1234567+01:00"))
                .isEqualTo(Instant.parse("2023-12-31T23:00:00.123456Z"));
        assertThat(ok(Field.datetime("t"), "9999-12-31T23:59:59.999999Z")).isNotNull();
        assertThat(bad(Field.datetime("t"), "9999-12-31T23:59:59.9999999Z")).isEqualTo(FieldErrorCode.OUT_OF_RANGE);
        assertThat(ok(Field.datetime("t"), "0001-01-01T00:00:00Z")).isEqualTo(Instant.parse("0001-01-01T00:00:00Z"));
    }

    @Test
    void emailsPhonesAndUrlsAreNormalised() {
        assertThat(ok(Field.email("e"), " Ada.L+tag@Sub.Example.ORG ")).isEqualTo("Ada.L+tag@sub.example.org");
        assertThat(bad(Field.phone("p"), "(000) 555-0100")).isEqualTo(FieldErrorCode.INVALID_PHONE);
        assertThat(ok(Field.phone("p"), "(201) 555-0123")).isEqualTo("+12015550123");
        assertThat(ok(Field.phone("p"), "+44 20 7946 0958")).isEqualTo("+442079460958");
        assertThat(new ValueConverter("GB", "GBP").convert(Field.phone("p"), "020 7946 0958", errors))
                .isEqualTo("+442079460958");
        assertThat(ok(Field.url("u"), "example.com")).isEqualTo("https://example.com");
        assertThat(ok(Field.url("u"), "HTTP://Example.com/a?b=c#d")).isEqualTo("HTTP://Example.com/a?b=c#d");
        assertThat(ok(Field.url("u"), java.net.URI.create("https://x.org"))).isEqualTo("https://x.org");
        assertThat(bad(Field.url("u"), "https://exa mple.com")).isEqualTo(FieldErrorCode.INVALID_URL);
    }

    @Test
    void picklistsAndRelationsAreCanonical() {
        Field mp = Field.multiPicklist("mp", "c", "b", "a");
        assertThat(ok(mp, List.of("a", "c", "a"))).isEqualTo(List.of("c", "a"));
        assertThat(ok(mp, " a ; b ")).isEqualTo(List.of("b", "a"));
        UUID x = UUID.fromString("00000000-0000-7000-8000-000000000002");
        UUID y = UUID.fromString("00000000-0000-7000-8000-000000000001");
        assertThat(ok(Field.relation("r", "t"), List.of(x, y.toString(), x))).isEqualTo(List.of(y, x));
        assertThat(bad(Field.reference("r", "t"), "{" + x + "}")).isEqualTo(FieldErrorCode.WRONG_TYPE);
        assertThat(ok(Field.address("a"), Map.of("city", "Oslo", "street", " "))).isEqualTo(new Address(null, "Oslo",
                null, null, null));
        assertThat(bad(Field.formula("f", FieldType.INTEGER, "1"), 1)).isEqualTo(FieldErrorCode.READ_ONLY);
    }

    @Test
    void filterValuesAreReadWithoutWriteChecks() {
        errors.clear();
        assertThat(us.convertForFilter("e", FieldType.EMAIL, null, " A@B.COM ", errors)).isEqualTo("A@b.com");
        assertThat(us.convertForFilter("t", FieldType.TEXT, Field.text("t").maxLength(1), "long text", errors))
                .isEqualTo("long text");
        assertThat(us.convertForFilter("d", FieldType.DECIMAL, null, "1.23456789", errors))
                .isEqualTo(new BigDecimal("1.23456789"));
        assertThat(us.convertForFilter("p", FieldType.PHONE, null, "not a phone", errors)).isEqualTo("not a phone");
        assertThat(errors).isEmpty();
        assertThat(us.convertForFilter("a", FieldType.ADDRESS, null, "x", errors)).isNull();
        assertThat(errors).extracting(FieldError::code).containsExactly(FieldErrorCode.UNSUPPORTED_OPERATION);
    }

    @Test
    void messagesEscapeControlCharactersAndStayShort() {
        bad(Field.email("e"), "a\u0000\u202e@" + "x".repeat(500));
        assertThat(errors.get(0).message()).doesNotContain("\u0000").doesNotContain("\u202e").contains("\\u0000")
                .hasSizeLessThan(200);
        assertThat(ValueConverter.abbreviate("\uD83D\uDE00 ok")).isEqualTo("\uD83D\uDE00 ok");
        assertThat(ValueConverter.abbreviate("lone \uD800")).isEqualTo("lone \\ud800");
    }

    @Test
    void regionsAndCurrencies() {
        assertThat(ValueConverter.isSupportedRegion("GB")).isTrue();
        assertThat(ValueConverter.isSupportedRegion("gb")).isFalse();
        assertThat(ValueConverter.isSupportedRegion("ZZ")).isFalse();
        assertThat(ValueConverter.isCurrencyCode("EUR")).isTrue();
        assertThat(ValueConverter.isCurrencyCode("eur")).isFalse();
        assertThat(ValueConverter.isCurrencyCode("")).isFalse();
    }
}
