package org.crmkit.search.support;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.crmkit.internal.value.EmailAddresses;
import org.jspecify.annotations.Nullable;

/**
 * How typed text becomes search terms, the same for every backend. Words are split at white space; a run of
 * phone-like words ({@code +44 20 7946-0958}) is one term. Each term is folded (lower case, accents and ligatures
 * removed: "Müller" is "muller") and split at punctuation into words ("o'brien" gives "o" and "brien", an email
 * "ada.lovelace@example.com" gives "ada", "lovelace", "example", "com"). A term with an {@code @} has its domain in
 * the Unicode form email fields store ({@code ada@example.xn--p1ai} is {@code ada@example.рф}), so both forms of
 * an internationalised domain find the same records.
 */
public final class SearchTerms {
    private static final Pattern PHONE_LIKE = Pattern.compile("[+(]?[0-9][0-9().\\-/]*");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    /**
     * One term of the typed text.
     *
     * @param raw    the text of the term as typed (an email domain in Unicode form)
     * @param folded the term folded (see {@link #fold}), punctuation kept
     * @param words  the folded term split at everything but letters and digits, empty parts left out
     * @param digits the term's digits when it looks like (part of) a phone number: at least 4 digits and no
     *               letters; else null
     */
    public record Term(String raw, String folded, List<String> words, @Nullable String digits) {
        public Term {
            Objects.requireNonNull(raw, "raw");
            Objects.requireNonNull(folded, "folded");
            Objects.requireNonNull(words, "words");
            words = List.copyOf(words);
        }

        /** Whether the term looks like (part of) an email address: an {@code @}, or a dot between letters. */
        public boolean emailLike() {
            return folded.indexOf('@') >= 0 || folded.matches(".*[a-z0-9]\\.[a-z].*");
        }
    }

    private SearchTerms() {}

    /** The terms of {@code text}, in order; empty when it holds no letter or digit. */
    public static List<Term> parse(String text) {
        String[] parts = text.strip().split("[\\s,;]+");
        List<Term> terms = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].isEmpty()) {
                continue;
            }
            if (PHONE_LIKE.matcher(parts[i]).matches()) {
                StringBuilder run = new StringBuilder(parts[i]);
                while (i + 1 < parts.length && PHONE_LIKE.matcher(parts[i + 1]).matches()) {
                    run.append(' ').append(parts[++i]);
                }
                String digits = run.toString().replaceAll("[^0-9]", "");
                if (digits.length() >= 4) {
                    String raw = run.toString();
                    terms.add(new Term(raw, fold(raw), List.of(digits), digits));
                    continue;
                }
                // a short number ("3", "42"): an ordinary word
                for (String word : run.toString().split(" ")) {
                    add(terms, word);
                }
                continue;
            }
            add(terms, parts[i]);
        }
        return terms;
    }

    private static void add(List<Term> terms, String typed) {
        // an address's domain in its stored (Unicode) form: "jörg@xn--mller-kva.de" finds "jörg@müller.de"
        String raw = typed.indexOf('@') >= 0 ? EmailAddresses.withUnicodeDomain(typed) : typed;
        String folded = fold(raw);
        List<String> words = words(folded);
        if (!words.isEmpty()) {
            terms.add(new Term(raw, folded, words, null));
        }
    }

    /** The folded text split at everything but letters and digits. */
    public static List<String> words(String folded) {
        List<String> words = new ArrayList<>();
        for (String w : folded.split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        return words;
    }

    /**
     * Lower case (root locale) without accents, with ligatures and special letters spelled out
     * ({@code ß} is {@code ss}, {@code Æ} is {@code ae}, {@code Ø} is {@code o}, {@code Ł} is {@code l}).
     */
    public static String fold(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (isPlainAscii(lower)) {
            return lower;
        }
        StringBuilder sb = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            switch (c) {
                case 'ß' -> sb.append("ss");
                case 'æ' -> sb.append("ae");
                case 'œ' -> sb.append("oe");
                case 'ø' -> sb.append('o');
                case 'ł' -> sb.append('l');
                case 'đ', 'ð' -> sb.append('d');
                case 'þ' -> sb.append("th");
                case 'ı' -> sb.append('i');
                default -> sb.append(c);
            }
        }
        String decomposed = Normalizer.normalize(sb, Normalizer.Form.NFKD);
        return MARKS.matcher(decomposed).replaceAll("");
    }

    private static boolean isPlainAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** The length of the shortest words with a typo (their first letter kept: {@link #typoPrefix}). */
    private static final int SHORT_WORD = 3;

    /**
     * How many typing errors a word of this length may have: none below 3 characters, 1 up to 7, then 2. A word of
     * three letters has its one error only past its first letter ({@link #typoPrefix}); one of three characters with
     * a digit has none.
     */
    public static int maxEdits(String word) {
        int n = word.codePointCount(0, word.length());
        if (n == SHORT_WORD) {
            return word.codePoints().allMatch(Character::isLetter) ? 1 : 0;
        }
        return n < SHORT_WORD ? 0 : n < 8 ? 1 : 2;
    }

    /**
     * How many leading characters of {@code word} a typo leaves as typed: the first letter of a three-letter word
     * ("Iva" finds Ivo and "Ina" Ian, "Ana" finds Ada but not Eva: one edit anywhere in three letters
     * reaches many more short names), none of a longer one. The one exception: a four-letter word that lost a
     * letter, its first included ("ail" finds Gail).
     */
    public static int typoPrefix(String word) {
        return word.codePointCount(0, word.length()) == SHORT_WORD ? 1 : 0;
    }

    /** Whether {@code word} is within the typing errors {@code typed} may have ({@link #maxEdits}, {@link #typoPrefix}). */
    public static boolean withinTypos(String typed, String word) {
        java.util.Objects.requireNonNull(word, "word");
        int edits = maxEdits(typed);
        if (edits == 0) {
            return false;
        }
        int prefix = typed.offsetByCodePoints(0, typoPrefix(typed));
        if (prefix > 0 && word.codePointCount(0, word.length()) == SHORT_WORD + 1
                && distance(typed, word, 1) <= 1) {
            return true; // a four-letter word that lost a letter, its first too ("ail" for Gail)
        }
        return word.startsWith(typed.substring(0, prefix))
                && distance(typed.substring(prefix), word.substring(prefix), edits) <= edits;
    }

    /**
     * The optimal-string-alignment distance (insertions, deletions, substitutions and swaps of neighbours count one
     * each), or {@code max + 1} once it is certain to exceed {@code max}.
     */
    public static int distance(String a, String b, int max) {
        if (Math.abs(a.length() - b.length()) > max) {
            return max + 1;
        }
        int[] prev2 = new int[b.length() + 1];
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            int rowMin = cur[0];
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, prev2[j - 2] + 1);
                }
                cur[j] = v;
                rowMin = Math.min(rowMin, v);
            }
            if (rowMin > max) {
                return max + 1;
            }
            int[] t = prev2;
            prev2 = prev;
            prev = cur;
            cur = t;
        }
        return Math.min(prev[b.length()], max + 1);
    }
}
