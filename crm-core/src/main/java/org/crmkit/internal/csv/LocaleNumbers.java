package org.crmkit.internal.csv;

import java.math.BigDecimal;
import java.text.DecimalFormatSymbols;
import java.text.NumberFormat;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Numbers as a locale writes them: its decimal separator, and optionally its grouping separator between groups of
 * three digits ({@code 1,234.56}; {@code 1.234,56} in German; {@code 1 234,56} in French, with any kind of space).
 * Strict, so that a number in another locale's notation is refused rather than misread: in German {@code 1.5} is an
 * error, not 15 or 1.5.
 */
final class LocaleNumbers {
    /** Longer text is not a number anyone wrote by hand (the engine refuses the same). */
    private static final int MAX_LENGTH = 100;

    private final Locale locale;
    private final char decimal;
    private final Set<Character> grouping = new HashSet<>();

    LocaleNumbers(Locale locale) {
        this.locale = locale;
        DecimalFormatSymbols symbols = DecimalFormatSymbols.getInstance(locale);
        this.decimal = symbols.getDecimalSeparator();
        char g = symbols.getGroupingSeparator();
        grouping.add(g);
        if (Character.isSpaceChar(g) || Character.isWhitespace(g)) {
            grouping.add(' ');
            grouping.add('\u00a0');
            grouping.add('\u202f');
        }
        if (g == '\'' || g == '\u2019') {
            grouping.add('\'');
            grouping.add('\u2019');
        }
    }

    /** How the locale writes 1234.56, for messages. */
    String example() {
        NumberFormat f = NumberFormat.getNumberInstance(locale);
        f.setMinimumFractionDigits(2);
        return f.format(new BigDecimal("1234.56")).replace('\u202f', ' ').replace('\u00a0', ' ');
    }

    /** The number {@code text} writes, or null when it is not one in this locale's notation. */
    @Nullable
    BigDecimal parse(String text) {
        String t = CellText.strip(text);
        if (t.isEmpty() || t.length() > MAX_LENGTH) {
            return null;
        }
        String sign = "";
        char first = t.charAt(0);
        if (first == '-' || first == '+' || first == '\u2212') {
            sign = first == '+' ? "" : "-";
            t = t.substring(1);
        }
        int at = t.indexOf(decimal);
        if (at != t.lastIndexOf(decimal)) {
            return null;
        }
        String whole = at < 0 ? t : t.substring(0, at);
        String fraction = at < 0 ? "" : t.substring(at + 1);
        String digits = wholeDigits(whole);
        if (digits == null || !allDigits(fraction) || (digits.isEmpty() && fraction.isEmpty())) {
            return null;
        }
        return new BigDecimal(sign + (digits.isEmpty() ? "0" : digits) + (fraction.isEmpty() ? "" : "." + fraction));
    }

    /** The digits of the whole part, its grouping separators checked and taken out; null when malformed. */
    private @Nullable String wholeDigits(String whole) {
        StringBuilder digits = new StringBuilder();
        int group = 0;
        boolean grouped = false;
        for (int i = 0; i < whole.length(); i++) {
            char c = whole.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
                group++;
            } else if (grouping.contains(c)) {
                if (group == 0 || group > 3 || (grouped && group != 3)) {
                    return null;
                }
                grouped = true;
                group = 0;
            } else {
                return null;
            }
        }
        if (grouped && group != 3) {
            return null;
        }
        return digits.toString();
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
