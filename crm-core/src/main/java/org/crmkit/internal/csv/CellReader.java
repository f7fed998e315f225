package org.crmkit.internal.csv;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.internal.value.codec.Problems;
import org.crmkit.schema.Field;
import org.crmkit.schema.PicklistOption;
import org.jspecify.annotations.Nullable;

/**
 * Reads one cell for one field into a value the engine's converter takes ({@code internal.value}), which then
 * checks it as any written value (length, scale, range, active options, e-mail and phone formats, ...). What the
 * locale decides is read here: numbers, money, dates, date-times, booleans; picklist labels become option values.
 * Text goes on as it is. A cell that cannot be read is an error naming the field; the caller leaves it out of the
 * row.
 */
final class CellReader {
    private static final Map<String, Map<String, Boolean>> BOOLEAN_WORDS = Map.of(
            "de", words("ja", "wahr", "nein", "falsch"),
            "fr", words("oui", "vrai", "non", "faux"),
            "es", words("si", "verdadero", "no", "falso"),
            "it", words("si", "vero", "no", "falso"),
            "nl", words("ja", "waar", "nee", "onwaar"),
            "pt", words("sim", "verdadeiro", "nao", "falso"));
    private static final Map<String, Boolean> PLAIN_BOOLEANS = Map.of("true", true, "false", false, "yes", true,
            "no", false, "y", true, "n", false, "1", true, "0", false, "on", true, "off", false);

    private final LocaleNumbers numbers;
    private final MoneyText money;
    private final LocaleDates dates;
    private final Map<String, Boolean> booleans = new HashMap<>(PLAIN_BOOLEANS);

    CellReader(Locale locale, ZoneId zone) {
        this.numbers = new LocaleNumbers(locale);
        this.money = new MoneyText(locale, numbers);
        this.dates = new LocaleDates(locale, zone);
        booleans.putAll(BOOLEAN_WORDS.getOrDefault(locale.getLanguage(), Map.of()));
    }

    private static Map<String, Boolean> words(String yes, String yes2, String no, String no2) {
        return Map.of(yes, true, yes2, true, no, false, no2, false);
    }

    /**
     * The value of a non-blank cell for {@code field} (money as a {@link MoneyText.Amount}), or null after adding an
     * error to {@code errors}.
     */
    @Nullable
    Object read(Field field, String cell, List<FieldError> errors) {
        String t = CellText.strip(cell);
        return switch (field.type()) {
            case TEXT, LONG_TEXT, EMAIL, PHONE, URL -> CellText.unguarded(cell);
            case INTEGER, DECIMAL -> number(field, t, errors);
            case PERCENT -> number(field, withoutPercent(t), errors);
            case CURRENCY -> {
                MoneyText.Amount a = money.parse(t);
                yield a != null ? a : fail(field, errors, FieldErrorCode.WRONG_TYPE, "'" + shown(t)
                        + "' is not an amount (" + numbers.example() + ", EUR " + numbers.example() + ")");
            }
            case BOOLEAN -> {
                Boolean b = booleans.get(CellText.key(t));
                yield b != null ? b : fail(field, errors, FieldErrorCode.WRONG_TYPE, "'" + shown(t)
                        + "' is not true or false (yes/no, 1/0)");
            }
            case DATE -> {
                LocalDate d = dates.date(t);
                yield d != null ? d : fail(field, errors, FieldErrorCode.WRONG_TYPE, "'" + shown(t)
                        + "' is not a date (" + dates.dateExample() + ")");
            }
            case DATETIME -> {
                Instant i = dates.dateTime(t);
                yield i != null ? i : fail(field, errors, FieldErrorCode.WRONG_TYPE, "'" + shown(t)
                        + "' is not a date and time (" + dates.dateTimeExample() + ")");
            }
            case PICKLIST -> option(field, t);
            case MULTI_PICKLIST -> {
                List<String> chosen = new ArrayList<>();
                for (String part : t.split(";")) {
                    if (!part.isBlank()) {
                        chosen.add(option(field, CellText.strip(part)));
                    }
                }
                yield chosen;
            }
            case REFERENCE -> t;
            case RELATION -> {
                List<String> ids = new ArrayList<>();
                for (String part : t.split(";")) {
                    if (!part.isBlank()) {
                        ids.add(CellText.strip(part));
                    }
                }
                yield ids;
            }
            case ADDRESS, FORMULA -> fail(field, errors, FieldErrorCode.READ_ONLY, field.name()
                    + " is not read from one cell");
        };
    }

    /** A currency code cell: an ISO 4217 code (any case), or null after an error. */
    @Nullable
    String currency(Field field, String cell, List<FieldError> errors) {
        String code = CellText.strip(cell).toUpperCase(Locale.ROOT);
        try {
            if (java.util.Currency.getInstance(code).getCurrencyCode().equals(code)) {
                return code;
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        return fail(field, errors, FieldErrorCode.INVALID_CURRENCY, "'" + shown(code)
                + "' is not an ISO 4217 currency code");
    }

    private @Nullable BigDecimal number(Field field, String t, List<FieldError> errors) {
        BigDecimal d = numbers.parse(t);
        return d != null ? d : fail(field, errors, FieldErrorCode.WRONG_TYPE, "'" + shown(t)
                + "' is not a number (" + numbers.example() + ")");
    }

    private static String withoutPercent(String t) {
        if (t.endsWith("%")) {
            return CellText.strip(t.substring(0, t.length() - 1));
        }
        return t.startsWith("%") ? CellText.strip(t.substring(1)) : t;
    }

    /**
     * The option a cell names: its value as written, else the one option whose value or label matches ignoring case
     * and accents; else the text as it is (the engine refuses it as an unknown option).
     */
    static String option(Field field, String text) {
        if (field.option(text).isPresent()) {
            return text;
        }
        String key = CellText.key(text);
        Optional<PicklistOption> match = field.options().stream()
                .filter(o -> CellText.key(o.value()).equals(key) || CellText.key(o.label()).equals(key))
                .sorted((a, b) -> Boolean.compare(b.active(), a.active())).findFirst();
        return match.map(PicklistOption::value).orElse(text);
    }

    private static String shown(String s) {
        return Problems.abbreviate(s);
    }

    private static <T> @Nullable T fail(Field field, List<FieldError> errors, FieldErrorCode code, String message) {
        errors.add(new FieldError(field.name(), code, message));
        return null;
    }
}
