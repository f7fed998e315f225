package org.crmkit.internal.csv;

import java.util.regex.Pattern;
import org.crmkit.search.support.SearchTerms;

/** Small text helpers of the CSV import: trimming every kind of space, and the folding that matches names. */
final class CellText {
    private static final Pattern NOT_LETTER_OR_DIGIT = Pattern.compile("[^\\p{L}\\p{N}]+");
    /** What {@code CsvCells} prefixes with {@code '} against formula injection. */
    private static final String FORMULA_STARTS = "=+-@\t\r";

    private CellText() {}

    /** {@code s} without leading and trailing white space, no-break spaces included. */
    static String strip(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && isSpace(s.charAt(from))) {
            from++;
        }
        while (to > from && isSpace(s.charAt(to - 1))) {
            to--;
        }
        return s.substring(from, to);
    }

    static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    /**
     * The key two names match by: lower case, accents, spaces and punctuation gone ({@code "E-Mail"},
     * {@code "e_mail"} and {@code "EMAIL"} are {@code email}; {@code "Prénom"} is {@code prenom}).
     */
    static String key(String name) {
        return NOT_LETTER_OR_DIGIT.matcher(SearchTerms.fold(name)).replaceAll("");
    }

    /** Text as an export wrote it, with the formula guard's leading {@code '} taken off again. */
    static String unguarded(String s) {
        return s.length() > 1 && s.charAt(0) == '\'' && FORMULA_STARTS.indexOf(s.charAt(1)) >= 0 ? s.substring(1) : s;
    }
}
