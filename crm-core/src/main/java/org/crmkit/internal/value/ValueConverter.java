package org.crmkit.internal.value;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.record.Address;
import org.crmkit.record.Money;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.PicklistOption;
import org.jspecify.annotations.Nullable;

/**
 * Turns what callers pass (plain Java values, strings from imports) into the canonical value of a field, or
 * reports why it cannot. Canonical values are what records hold and storages store: see {@link FieldType}.
 */
public final class ValueConverter {
    /** Largest number of significant digits a decimal, currency or percent value may have. */
    public static final int MAX_PRECISION = 18;
    private static final int MAX_URL = 2048;
    private static final Pattern HOST_LIKE = Pattern.compile("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+(:\\d+)?(/.*)?");
    private static final Instant MIN_INSTANT = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999999Z");

    private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
    private final String phoneRegion;
    private final String defaultCurrency;

    /**
     * @param phoneRegion     ISO 3166 region used to read national phone numbers ("GB", "US")
     * @param defaultCurrency ISO 4217 code given to plain numbers written to currency fields
     */
    public ValueConverter(String phoneRegion, String defaultCurrency) {
        this.phoneRegion = phoneRegion;
        this.defaultCurrency = defaultCurrency;
    }

    public static boolean isSupportedRegion(String region) {
        return PhoneNumberUtil.getInstance().getSupportedRegions().contains(region);
    }

    public static boolean isCurrencyCode(String code) {
        try {
            return Currency.getInstance(code).getCurrencyCode().equals(code);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Converts a value written to {@code field}. Adds errors to {@code errors} (named after {@code name}) and
     * returns null when the value is invalid; null or blank input gives null (an empty field).
     */
    public @Nullable Object convert(Field field, @Nullable Object raw, List<FieldError> errors) {
        if (raw == null) {
            return null;
        }
        Problems p = new Problems(field.name(), errors);
        try {
            return switch (field.type()) {
                case TEXT, LONG_TEXT -> text(field, raw, p);
                case EMAIL -> email(raw, p);
                case PHONE -> phone(raw, p);
                case URL -> url(raw, p);
                case INTEGER -> checkRange(field, integer(raw, p), p);
                case DECIMAL, PERCENT -> checkRange(field, decimal(field.scale(), raw, p, true), p);
                case CURRENCY -> money(field, raw, p);
                case BOOLEAN -> bool(raw, p);
                case DATE -> date(raw, p);
                case DATETIME -> datetime(raw, p);
                case PICKLIST -> picklist(field, raw, p);
                case MULTI_PICKLIST -> multiPicklist(field, raw, p);
                case REFERENCE -> uuid(raw, p);
                case RELATION -> uuids(raw, p);
                case ADDRESS -> address(raw, p);
                case FORMULA -> p.fail(FieldErrorCode.READ_ONLY, "formula fields are computed, not written");
            };
        } catch (RuntimeException e) {
            return p.fail(FieldErrorCode.WRONG_TYPE, "cannot read " + describe(raw) + ": " + e.getMessage());
        }
    }

    /**
     * Converts a value compared against a path of type {@code type} in a filter: the same reading as writes,
     * without length, range, scale or option-activity checks.
     */
    public @Nullable Object convertForFilter(String path, FieldType type, @Nullable Field field, Object raw,
            List<FieldError> errors) {
        Problems p = new Problems(path, errors);
        try {
            return switch (type) {
                case TEXT, LONG_TEXT, URL -> raw instanceof String s ? s : p.wrongType(raw, "text");
                case EMAIL -> raw instanceof String s ? emailForFilter(s.strip()) : p.wrongType(raw, "text");
                case PHONE -> raw instanceof String s ? phoneOrRaw(s) : p.wrongType(raw, "text");
                case PICKLIST, MULTI_PICKLIST -> {
                    if (!(raw instanceof String s)) {
                        yield p.wrongType(raw, "an option value");
                    }
                    if (field != null && field.option(s).isEmpty()) {
                        yield p.fail(FieldErrorCode.UNKNOWN_OPTION, "'" + abbreviate(s) + "' is not an option of "
                                + path);
                    }
                    yield s;
                }
                case INTEGER -> integer(raw, p);
                case DECIMAL, PERCENT, CURRENCY -> decimal(Integer.MAX_VALUE, raw, p, false);
                case BOOLEAN -> bool(raw, p);
                case DATE -> date(raw, p);
                case DATETIME -> datetime(raw, p);
                case REFERENCE, RELATION -> uuid(raw, p);
                case ADDRESS, FORMULA -> p.fail(FieldErrorCode.UNSUPPORTED_OPERATION, "cannot compare " + path);
            };
        } catch (RuntimeException e) {
            return p.fail(FieldErrorCode.WRONG_TYPE, "cannot read " + describe(raw) + ": " + e.getMessage());
        }
    }

    private @Nullable String text(Field field, Object raw, Problems p) {
        if (!(raw instanceof CharSequence cs)) {
            return p.wrongType(raw, "text");
        }
        String s = cs.toString();
        if (s.isBlank()) {
            return null;
        }
        String bad = TextChecks.badCharacter(s, field.type() == FieldType.LONG_TEXT);
        if (bad != null) {
            return p.fail(FieldErrorCode.INVALID_CHARACTER, "contains " + bad);
        }
        int max = field.effectiveMaxLength();
        int length = TextChecks.length(s);
        if (length > max) {
            return p.fail(FieldErrorCode.TOO_LONG, length + " characters, at most " + max + " allowed");
        }
        return s;
    }

    private @Nullable String email(Object raw, Problems p) {
        if (!(raw instanceof CharSequence cs)) {
            return p.wrongType(raw, "an email address");
        }
        String s = cs.toString().strip();
        if (s.isEmpty()) {
            return null;
        }
        String normal = s.length() > 4 * EmailAddresses.MAX_LENGTH ? null : EmailAddresses.normalise(s);
        if (normal == null) {
            return p.fail(FieldErrorCode.INVALID_EMAIL, "'" + abbreviate(s) + "' is not an email address");
        }
        return normal;
    }

    /** A filter value in the normal form of addresses, so both forms of an IDN domain compare equal. */
    private static String emailForFilter(String s) {
        String normal = s.length() > 4 * EmailAddresses.MAX_LENGTH ? null : EmailAddresses.normalise(s);
        if (normal != null) {
            return normal;
        }
        String t = EmailAddresses.withUnicodeDomain(s);
        int at = t.lastIndexOf('@');
        return at < 0 ? t : t.substring(0, at) + t.substring(at).toLowerCase(Locale.ROOT);
    }

    private @Nullable String phone(Object raw, Problems p) {
        if (!(raw instanceof CharSequence cs)) {
            return p.wrongType(raw, "a phone number");
        }
        String s = cs.toString().strip();
        if (s.isEmpty()) {
            return null;
        }
        if (s.length() > 64 || TextChecks.badCharacter(s, false) != null) {
            return p.fail(FieldErrorCode.INVALID_PHONE, "'" + abbreviate(s) + "' is not a phone number");
        }
        try {
            Phonenumber.PhoneNumber number = phones.parse(s, phoneRegion);
            if (!phones.isValidNumber(number)) {
                return p.fail(FieldErrorCode.INVALID_PHONE, "'" + abbreviate(s) + "' is not a valid phone number (default region "
                        + phoneRegion + ")");
            }
            return phones.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            return p.fail(FieldErrorCode.INVALID_PHONE, "'" + abbreviate(s) + "' is not a phone number: " + e.getMessage());
        }
    }

    private String phoneOrRaw(String s) {
        try {
            Phonenumber.PhoneNumber number = phones.parse(s, phoneRegion);
            return phones.isValidNumber(number) ? phones.format(number, PhoneNumberUtil.PhoneNumberFormat.E164) : s;
        } catch (NumberParseException e) {
            return s;
        }
    }

    private @Nullable String url(Object raw, Problems p) {
        String s = raw instanceof URI u ? u.toString() : raw instanceof CharSequence cs ? cs.toString().strip() : null;
        if (s == null) {
            return p.wrongType(raw, "a URL");
        }
        if (s.isEmpty()) {
            return null;
        }
        if (!s.contains("://") && HOST_LIKE.matcher(s).matches()) {
            s = "https://" + s;
        }
        try {
            URI uri = new URI(s);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                    || s.length() > MAX_URL || TextChecks.badCharacter(s, false) != null) {
                return p.fail(FieldErrorCode.INVALID_URL, "'" + abbreviate(s) + "' is not an http(s) URL");
            }
            return s;
        } catch (URISyntaxException e) {
            return p.fail(FieldErrorCode.INVALID_URL, "'" + abbreviate(s) + "' is not a URL: " + e.getReason());
        }
    }

    private @Nullable Long integer(Object raw, Problems p) {
        if (raw instanceof Long || raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
            return ((Number) raw).longValue();
        }
        BigDecimal d = raw instanceof String s && !s.isBlank() ? parseDecimal(s.strip(), p)
                : raw instanceof String ? null : numberAsDecimal(raw, p);
        if (d == null) {
            return null;
        }
        try {
            return d.stripTrailingZeros().scale() > 0 ? p.wrongType(raw, "a whole number") : d.longValueExact();
        } catch (ArithmeticException e) {
            return p.fail(FieldErrorCode.OUT_OF_RANGE, abbreviate(d.toPlainString()) + " does not fit a 64-bit integer");
        }
    }

    private @Nullable BigDecimal decimal(int scale, Object raw, Problems p, boolean strict) {
        BigDecimal d = raw instanceof String s ? (s.isBlank() ? null : parseDecimal(s.strip(), p))
                : numberAsDecimal(raw, p);
        if (d == null || !strict) {
            return d;
        }
        BigDecimal stripped = d.stripTrailingZeros();
        if (stripped.scale() > scale) {
            return p.fail(FieldErrorCode.TOO_PRECISE, abbreviate(d.toPlainString()) + " has more than " + scale
                    + " decimal places");
        }
        BigDecimal scaled = d.setScale(scale, java.math.RoundingMode.UNNECESSARY);
        if (scaled.precision() - scaled.scale() > MAX_PRECISION - scale) {
            return p.fail(FieldErrorCode.OUT_OF_RANGE, abbreviate(d.toPlainString()) + " has more than "
                    + (MAX_PRECISION - scale) + " digits before the decimal point");
        }
        return scaled;
    }

    private static @Nullable BigDecimal parseDecimal(String s, Problems p) {
        if (s.length() > 100) {
            return p.fail(FieldErrorCode.OUT_OF_RANGE, "a number of " + s.length() + " characters");
        }
        if (s.equalsIgnoreCase("nan") || s.toLowerCase(Locale.ROOT).contains("infinity")) {
            return p.fail(FieldErrorCode.NOT_A_NUMBER, "'" + abbreviate(s) + "' is not a finite number");
        }
        try {
            BigDecimal d = new BigDecimal(s);
            if (Math.abs((long) d.scale()) > 1000) {
                return p.fail(FieldErrorCode.OUT_OF_RANGE, "'" + abbreviate(s) + "' is out of range");
            }
            return d;
        } catch (NumberFormatException e) {
            return p.wrongType(s, "a number");
        }
    }

    private static @Nullable BigDecimal numberAsDecimal(Object raw, Problems p) {
        if (raw instanceof BigDecimal d) {
            if (Math.abs((long) d.scale()) > 1000) {
                return p.fail(FieldErrorCode.OUT_OF_RANGE, "number out of range");
            }
            return d;
        }
        if (raw instanceof BigInteger i) {
            return i.bitLength() > 256 ? p.fail(FieldErrorCode.OUT_OF_RANGE, "number out of range")
                    : new BigDecimal(i);
        }
        if (raw instanceof Double || raw instanceof Float) {
            double d = ((Number) raw).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return p.fail(FieldErrorCode.NOT_A_NUMBER, raw + " is not a finite number");
            }
            return new BigDecimal(raw.toString());
        }
        if (raw instanceof Long || raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
            return BigDecimal.valueOf(((Number) raw).longValue());
        }
        return p.wrongType(raw, "a number");
    }

    private static <N extends Comparable<?>> @Nullable N checkRange(Field field, @Nullable N value, Problems p) {
        if (value == null) {
            return null;
        }
        BigDecimal v = new BigDecimal(value.toString());
        if (field.min() != null && v.compareTo(field.min()) < 0) {
            return p.fail(FieldErrorCode.OUT_OF_RANGE, v.toPlainString() + " is below the minimum "
                    + field.min().toPlainString());
        }
        if (field.max() != null && v.compareTo(field.max()) > 0) {
            return p.fail(FieldErrorCode.OUT_OF_RANGE, v.toPlainString() + " is above the maximum "
                    + field.max().toPlainString());
        }
        return value;
    }

    private @Nullable Money money(Field field, Object raw, Problems p) {
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
            return p.fail(FieldErrorCode.INVALID_CURRENCY, "'" + abbreviate(String.valueOf(code)) + "' is not an ISO 4217 currency code");
        }
        BigDecimal d = checkRange(field, decimal(field.scale(), amount, p, true), p);
        return d == null ? null : new Money(d, c);
    }

    private static @Nullable Boolean bool(Object raw, Problems p) {
        if (raw instanceof Boolean b) {
            return b;
        }
        if (raw instanceof String s) {
            String t = s.strip().toLowerCase(Locale.ROOT);
            if (t.isEmpty()) {
                return null;
            }
            if (t.equals("true") || t.equals("false")) {
                return Boolean.valueOf(t);
            }
        }
        return p.wrongType(raw, "true or false");
    }

    private static @Nullable LocalDate date(Object raw, Problems p) {
        LocalDate d;
        if (raw instanceof LocalDate ld) {
            d = ld;
        } else if (raw instanceof String s) {
            if (s.isBlank()) {
                return null;
            }
            try {
                d = LocalDate.parse(s.strip());
            } catch (DateTimeException e) {
                return p.wrongType(raw, "a date (yyyy-mm-dd)");
            }
        } else {
            return p.wrongType(raw, "a date");
        }
        if (d.getYear() < 1 || d.getYear() > 9999) {
            return p.fail(FieldErrorCode.OUT_OF_RANGE, d + " is outside years 1 to 9999");
        }
        return d;
    }

    private static @Nullable Instant datetime(Object raw, Problems p) {
        Instant i;
        if (raw instanceof Instant in) {
            i = in;
        } else if (raw instanceof OffsetDateTime o) {
            i = o.toInstant();
        } else if (raw instanceof ZonedDateTime z) {
            i = z.toInstant();
        } else if (raw instanceof String s) {
            if (s.isBlank()) {
                return null;
            }
            try {
                i = OffsetDateTime.parse(s.strip()).toInstant();
            } catch (DateTimeException e) {
                return p.wrongType(raw, "an ISO-8601 date-time with offset");
            }
        } else {
            return p.wrongType(raw, "an instant");
        }
        if (i.isBefore(MIN_INSTANT) || i.isAfter(MAX_INSTANT)) {
            return p.fail(FieldErrorCode.OUT_OF_RANGE, i + " is outside years 1 to 9999");
        }
        return i.truncatedTo(ChronoUnit.MICROS);
    }

    private static @Nullable String picklist(Field field, Object raw, Problems p) {
        if (!(raw instanceof String s)) {
            return p.wrongType(raw, "an option value");
        }
        if (s.isBlank()) {
            return null;
        }
        PicklistOption option = field.option(s).orElse(null);
        if (option == null || !option.active()) {
            return p.fail(FieldErrorCode.UNKNOWN_OPTION, "'" + abbreviate(s) + "' is not an option of " + field.name());
        }
        return s;
    }

    private static @Nullable List<String> multiPicklist(Field field, Object raw, Problems p) {
        Collection<?> items;
        if (raw instanceof Collection<?> c) {
            items = c;
        } else if (raw instanceof String s) {
            items = s.isBlank() ? List.of() : List.of(s.split(";"));
        } else {
            return p.wrongType(raw, "a list of option values");
        }
        Set<String> chosen = new LinkedHashSet<>();
        int before = p.errors.size();
        for (Object item : items) {
            String value = item instanceof String s ? s.strip() : null;
            if (value == null) {
                p.wrongType(item, "an option value");
                continue;
            }
            PicklistOption option = field.option(value).orElse(null);
            if (option == null || !option.active()) {
                p.fail(FieldErrorCode.UNKNOWN_OPTION, "'" + abbreviate(value) + "' is not an option of "
                        + field.name());
                continue;
            }
            chosen.add(value);
        }
        if (p.errors.size() > before || chosen.isEmpty()) {
            return null;
        }
        List<String> ordered = new ArrayList<>();
        for (PicklistOption o : field.options()) {
            if (chosen.contains(o.value())) {
                ordered.add(o.value());
            }
        }
        return List.copyOf(ordered);
    }

    private static @Nullable UUID uuid(Object raw, Problems p) {
        if (raw instanceof UUID u) {
            return u;
        }
        if (raw instanceof String s) {
            if (s.isBlank()) {
                return null;
            }
            try {
                if (s.length() == 36) {
                    return UUID.fromString(s);
                }
            } catch (IllegalArgumentException e) {
                // fall through
            }
        }
        return p.wrongType(raw, "a record id (UUID)");
    }

    private static @Nullable List<UUID> uuids(Object raw, Problems p) {
        if (!(raw instanceof Collection<?> c)) {
            return p.wrongType(raw, "a list of record ids");
        }
        Set<UUID> ids = new java.util.TreeSet<>(ValueOrderUuid.ORDER);
        int before = p.errors.size();
        for (Object item : c) {
            UUID id = uuid(item, p);
            if (id != null) {
                ids.add(id);
            }
        }
        if (p.errors.size() > before || ids.isEmpty()) {
            return null;
        }
        return List.copyOf(ids);
    }

    private static @Nullable Address address(Object raw, Problems p) {
        Address a;
        if (raw instanceof Address given) {
            a = given;
        } else if (raw instanceof Map<?, ?> map) {
            for (Object key : map.keySet()) {
                if (!(key instanceof String k) || !Address.PARTS.contains(k)) {
                    return p.fail(FieldErrorCode.UNKNOWN_FIELD, "address has no part '" + key + "'; parts are "
                            + Address.PARTS);
                }
            }
            a = new Address(str(map.get("street"), p), str(map.get("city"), p), str(map.get("region"), p),
                    str(map.get("postal_code"), p), str(map.get("country"), p));
        } else {
            return p.wrongType(raw, "an address");
        }
        for (String part : Address.PARTS) {
            String v = a.part(part);
            if (v == null) {
                continue;
            }
            String bad = TextChecks.badCharacter(v, part.equals("street"));
            if (bad != null) {
                return p.fail(FieldErrorCode.INVALID_CHARACTER, part + " contains " + bad);
            }
            if (TextChecks.length(v) > Field.DEFAULT_TEXT_LENGTH) {
                return p.fail(FieldErrorCode.TOO_LONG, part + " is longer than " + Field.DEFAULT_TEXT_LENGTH);
            }
        }
        Address clean = new Address(blankToNull(a.street()), blankToNull(a.city()), blankToNull(a.region()),
                blankToNull(a.postalCode()), blankToNull(a.country()));
        return clean.isEmpty() ? null : clean;
    }

    private static @Nullable String str(@Nullable Object v, Problems p) {
        if (v == null || v instanceof String) {
            return (String) v;
        }
        return p.wrongType(v, "text");
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** The caller's text safe for a message: cut to 60 characters, control and bidi characters escaped. */
    static String abbreviate(String s) {
        String cut = s.length() <= 60 ? s : s.substring(0, 57) + "...";
        StringBuilder out = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < cut.length()
                    && Character.isLowSurrogate(cut.charAt(i + 1));
            if (paired) {
                out.append(c).append(cut.charAt(++i));
            } else if (c < 0x20 || (c >= 0x7f && c < 0xa0) || (c >= 0x200b && c <= 0x200f)
                    || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0xfeff
                    || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String describe(Object raw) {
        String text = String.valueOf(raw);
        return raw.getClass().getSimpleName() + " '" + abbreviate(text) + "'";
    }

    /** Collects errors for one field. */
    private static final class Problems {
        final String name;
        final List<FieldError> errors;

        Problems(String name, List<FieldError> errors) {
            this.name = name;
            this.errors = errors;
        }

        <T> @Nullable T fail(FieldErrorCode code, String message) {
            errors.add(new FieldError(name, code, message));
            return null;
        }

        <T> @Nullable T wrongType(Object raw, String expected) {
            return fail(FieldErrorCode.WRONG_TYPE, "expected " + expected + ", got " + describe(raw));
        }
    }
}
