package org.crmkit.internal.duplicate;

import java.net.URI;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** The normal forms values are compared in: folded text, e-mail, web domain, company name without legal forms. */
public final class Keys {
    /** Legal forms that say nothing about which company is meant (as the Lucene backend's analysis drops them). */
    static final Set<String> LEGAL_SUFFIXES = Set.of("inc", "incorporated", "ltd", "limited", "llc", "llp", "lp",
            "plc", "corp", "corporation", "co", "company", "gmbh", "ag", "kg", "ug", "mbh", "sa", "sas", "sarl", "srl",
            "spa", "bv", "nv", "ab", "as", "asa", "oy", "oyj", "aps", "pty", "pte", "kk", "se", "sl", "lda", "group",
            "holding", "holdings", "and", "the");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private Keys() {}

    /** Lower case, accents removed, white space collapsed and trimmed. */
    public static String folded(String s) {
        String d = Normalizer.normalize(s, Normalizer.Form.NFKD);
        d = MARKS.matcher(d).replaceAll("").replace('ß', 's').replace('ø', 'o').replace('ł', 'l').replace('đ', 'd');
        return SPACES.matcher(d.toLowerCase(Locale.ROOT)).replaceAll(" ").strip();
    }

    /** The words of a folded text: letters and digits, split at anything else. */
    public static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        for (String w : NOT_WORD.split(folded(s))) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    /** A personal name: folded, hyphens and apostrophes as spaces ({@code "O'Brien"}: {@code "o brien"}). */
    public static String name(String s) {
        return String.join(" ", words(s));
    }

    /** An e-mail address ignoring case. */
    public static String email(String s) {
        return s.strip().toLowerCase(Locale.ROOT);
    }

    /** A company name's words without legal forms, joined by single spaces ({@code "ACME, Inc."}: {@code "acme"}). */
    public static String company(String s) {
        List<String> words = words(s.replace("&", " and "));
        List<String> kept = words.stream().filter(w -> !LEGAL_SUFFIXES.contains(w)).toList();
        return String.join(" ", kept.isEmpty() ? words : kept);
    }

    /**
     * The pieces a storage's case-insensitive {@code contains} can find a company name by: {@link #pieces} of its words
     * as written, legal forms left out (unless that leaves none).
     */
    public static Set<String> companyPieces(String s, int max) {
        List<String> written = writtenWords(s.replace("&", " and "));
        List<String> kept = written.stream().filter(w -> !LEGAL_SUFFIXES.contains(folded(w))).toList();
        return pieces(kept.isEmpty() ? written : kept, max);
    }

    /** The words of a text as written, in lower case: letters and digits, split at anything else. */
    public static List<String> writtenWords(String s) {
        List<String> out = new ArrayList<>();
        for (String w : NOT_WORD.split(s.toLowerCase(Locale.ROOT))) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    /**
     * Three-letter pieces of the words (longest words first), as given and folded, that hold only ASCII letters and
     * digits, at most {@code max}; a word of three letters or fewer is a piece of its own. Every text whose words fold
     * to the same ones contains one of them (ignoring case), unless accents are denser than one in three letters.
     */
    public static Set<String> pieces(List<String> words, int max) {
        Set<String> out = new LinkedHashSet<>();
        List<String> longestFirst = new ArrayList<>(words);
        longestFirst.sort((a, b) -> Integer.compare(b.length(), a.length()));
        for (String word : longestFirst) {
            for (String form : List.of(word.toLowerCase(Locale.ROOT), folded(word))) {
                if (out.size() < max && form.length() <= 3 && ascii(form) && !form.isEmpty()) {
                    out.add(form);
                }
                for (int i = 0; i + 3 <= form.length() && out.size() < max; i++) {
                    String piece = form.substring(i, i + 3);
                    if (ascii(piece)) {
                        out.add(piece);
                    }
                }
            }
        }
        return out;
    }

    private static boolean ascii(String s) {
        return s.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c));
    }

    /** The web domain of a URL, host name or e-mail address, lower case, without {@code www.}; null if none. */
    public static @Nullable String domain(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        int at = t.lastIndexOf('@');
        if (at >= 0) {
            t = t.substring(at + 1);
        } else {
            if (!t.contains("://")) {
                t = "http://" + t;
            }
            try {
                String host = URI.create(t).getHost();
                if (host == null) {
                    return null;
                }
                t = host;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        if (t.startsWith("www.")) {
            t = t.substring(4);
        }
        while (t.endsWith(".")) {
            t = t.substring(0, t.length() - 1);
        }
        return t.contains(".") ? t : null;
    }
}
