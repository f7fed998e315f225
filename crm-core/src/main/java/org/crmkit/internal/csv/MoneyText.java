package org.crmkit.internal.csv;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Money as people write it: an amount in the locale's notation ({@link LocaleNumbers}) with an ISO 4217 code before
 * or after it ({@code EUR 1.234,56}, {@code 1234.56 EUR}), a currency symbol ({@code €1,234.56}, {@code 1.234,56 €},
 * {@code -$5}), or neither. Symbols are those the locale writes (the JDK's CLDR data), then those American English
 * writes; a symbol two currencies share in both is not read (write the code).
 */
final class MoneyText {
    /** An amount and the currency written with it, if any. */
    record Amount(BigDecimal amount, @Nullable String currency) {}

    private final LocaleNumbers numbers;
    /** Symbol to code, longest symbols first when matching. */
    private final Map<String, String> symbols = new HashMap<>();
    private final List<String> bySize;

    MoneyText(Locale locale, LocaleNumbers numbers) {
        this.numbers = numbers;
        Map<String, String> own = symbolsOf(locale);
        symbols.putAll(symbolsOf(Locale.US));
        symbols.putAll(own);
        bySize = symbols.keySet().stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /** The unambiguous symbols of {@code locale}: a symbol two currencies share goes to the locale's own, or none. */
    private static Map<String, String> symbolsOf(Locale locale) {
        Map<String, String> out = new HashMap<>();
        Set<String> shared = new HashSet<>();
        for (Currency c : Currency.getAvailableCurrencies()) {
            String symbol = c.getSymbol(locale);
            if (symbol.equals(c.getCurrencyCode()) || symbol.isBlank() || isCodeLike(symbol)) {
                continue;
            }
            if (out.putIfAbsent(symbol, c.getCurrencyCode()) != null) {
                shared.add(symbol);
            }
        }
        String home = homeCurrency(locale);
        for (String symbol : shared) {
            if (home != null && Currency.getInstance(home).getSymbol(locale).equals(symbol)) {
                out.put(symbol, home);
            } else {
                out.remove(symbol);
            }
        }
        return out;
    }

    private static @Nullable String homeCurrency(Locale locale) {
        try {
            return locale.getCountry().isEmpty() ? null : Currency.getInstance(locale).getCurrencyCode();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isCodeLike(String s) {
        return s.length() == 3 && s.chars().allMatch(Character::isLetter);
    }

    /** The money {@code text} writes, or null when it cannot be read. */
    @Nullable
    Amount parse(String text) {
        String t = CellText.strip(text);
        String sign = "";
        if (!t.isEmpty() && (t.charAt(0) == '-' || t.charAt(0) == '\u2212')) {
            sign = "-";
            t = CellText.strip(t.substring(1));
        }
        String code = null;
        String rest = t;
        if (t.length() > 3 && isCode(t.substring(0, 3)) && !Character.isLetter(t.charAt(3))) {
            code = t.substring(0, 3).toUpperCase(Locale.ROOT);
            rest = t.substring(3);
        } else if (t.length() > 3 && isCode(t.substring(t.length() - 3))
                && !Character.isLetter(t.charAt(t.length() - 4))) {
            code = t.substring(t.length() - 3).toUpperCase(Locale.ROOT);
            rest = t.substring(0, t.length() - 3);
        } else {
            for (String symbol : bySize) {
                if (t.startsWith(symbol)) {
                    code = symbols.get(symbol);
                    rest = t.substring(symbol.length());
                    break;
                }
                if (t.endsWith(symbol)) {
                    code = symbols.get(symbol);
                    rest = t.substring(0, t.length() - symbol.length());
                    break;
                }
            }
        }
        rest = CellText.strip(rest);
        if (!sign.isEmpty() && (rest.startsWith("-") || rest.startsWith("+"))) {
            return null;
        }
        BigDecimal amount = numbers.parse(sign + rest);
        return amount == null ? null : new Amount(amount, code);
    }

    private static boolean isCode(String s) {
        if (!isCodeLike(s)) {
            return false;
        }
        String upper = s.toUpperCase(Locale.ROOT);
        try {
            return Currency.getInstance(upper).getCurrencyCode().equals(upper);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
