package org.crmkit.search.support;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.crmkit.search.Highlight;
import org.crmkit.search.MatchKind;
import org.jspecify.annotations.Nullable;

/**
 * Marks what search terms matched in a field's text, so that every backend reports matches alike. Words are
 * compared folded ({@link SearchTerms#fold}); a word matches a term's word exactly, by prefix, with typos
 * ({@link SearchTerms#maxEdits}) or by sound (when a phonetic encoder is given); an email address also matches as a
 * whole or by its beginning, a phone number by its digits or their end. In substring mode (search through the
 * storage) a term matches wherever its text occurs, ignoring case.
 */
public final class MatchHighlighter {
    /** Encodes a folded word by its sound (Double Metaphone, say); null or empty for none. */
    @FunctionalInterface
    public interface Phonetic {
        @Nullable
        String encode(String word);
    }

    private final @Nullable Phonetic phonetic;
    private final boolean substrings;
    /** Codes of words seen lately (query words recur for every hit); bounded, so it cannot grow without end. */
    private final Cache<String, String> codes = Caffeine.newBuilder().maximumSize(4_096).build();

    private MatchHighlighter(@Nullable Phonetic phonetic, boolean substrings) {
        this.phonetic = phonetic;
        this.substrings = substrings;
    }

    /** Word matching: exact, prefix, typos, and sound when {@code phonetic} is not null. */
    public static MatchHighlighter words(@Nullable Phonetic phonetic) {
        return new MatchHighlighter(phonetic, false);
    }

    /** Case-insensitive substring matching. */
    public static MatchHighlighter substrings() {
        return new MatchHighlighter(null, true);
    }

    /** What the terms matched in {@code text}, if anything. */
    public Optional<Highlight> highlight(String field, String text, SearchFields.Role role,
            List<SearchTerms.Term> terms) {
        List<Highlight.Span> spans = substrings ? substringSpans(text, terms) : switch (role) {
            case PHONE -> phoneSpans(text, terms);
            case EMAIL -> emailSpans(text, terms);
            default -> wordSpans(text, terms);
        };
        return spans.isEmpty() ? Optional.empty() : Optional.of(new Highlight(field, text, spans));
    }

    /** The strongest kind among the spans of some highlights, or null when there are none. */
    public static @Nullable MatchKind strongest(List<Highlight> highlights) {
        MatchKind best = null;
        for (Highlight h : highlights) {
            for (Highlight.Span s : h.spans()) {
                if (best == null || s.kind().compareTo(best) < 0) {
                    best = s.kind();
                }
            }
        }
        return best;
    }

    // ---- words --------------------------------------------------------------------------------------------

    private List<Highlight.Span> wordSpans(String text, List<SearchTerms.Term> terms) {
        List<Highlight.Span> spans = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            if (!Character.isLetterOrDigit(cp)) {
                i += Character.charCount(cp);
                continue;
            }
            int start = i;
            while (i < text.length() && Character.isLetterOrDigit(text.codePointAt(i))) {
                i += Character.charCount(text.codePointAt(i));
            }
            MatchKind kind = wordMatch(SearchTerms.fold(text.substring(start, i)), terms);
            if (kind != null) {
                spans.add(new Highlight.Span(start, i, kind));
            }
        }
        return spans;
    }

    private @Nullable MatchKind wordMatch(String word, List<SearchTerms.Term> terms) {
        MatchKind best = null;
        for (SearchTerms.Term t : terms) {
            for (String q : t.words()) {
                MatchKind k = match(word, q);
                if (k != null && (best == null || k.compareTo(best) < 0)) {
                    best = k;
                }
            }
        }
        return best;
    }

    private @Nullable MatchKind match(String word, String q) {
        if (word.equals(q)) {
            return MatchKind.EXACT;
        }
        if (word.startsWith(q)) {
            return MatchKind.PREFIX;
        }
        if (SearchTerms.withinTypos(q, word)) {
            return MatchKind.FUZZY;
        }
        if (phonetic != null && q.length() > 1 && !q.chars().allMatch(Character::isDigit)) {
            String a = encoded(q);
            if (!a.isEmpty() && a.equals(encoded(word))) {
                return MatchKind.PHONETIC;
            }
        }
        return null;
    }

    /** The sound code of {@code word}, empty for none. */
    private String encoded(String word) {
        Phonetic encoder = java.util.Objects.requireNonNull(phonetic);
        return codes.get(word, w -> java.util.Objects.requireNonNullElse(encoder.encode(w), ""));
    }

    // ---- emails and phones ---------------------------------------------------------------------------------

    private List<Highlight.Span> emailSpans(String text, List<SearchTerms.Term> terms) {
        String folded = SearchTerms.fold(text);
        if (folded.length() == text.length()) {
            for (SearchTerms.Term t : terms) {
                if (t.folded().equals(folded)) {
                    return List.of(new Highlight.Span(0, text.length(), MatchKind.EXACT));
                }
            }
            for (SearchTerms.Term t : terms) {
                if (t.emailLike() && folded.startsWith(t.folded())) {
                    return List.of(new Highlight.Span(0, t.folded().length(), MatchKind.PREFIX));
                }
            }
        }
        return wordSpans(text, terms);
    }

    private static List<Highlight.Span> phoneSpans(String text, List<SearchTerms.Term> terms) {
        List<Integer> at = new ArrayList<>();
        StringBuilder digits = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            if (Character.isDigit(text.charAt(i))) {
                at.add(i);
                digits.append(text.charAt(i));
            }
        }
        for (SearchTerms.Term t : terms) {
            if (t.digits() == null) {
                continue;
            }
            String d = t.digits();
            String all = digits.toString();
            if (!all.endsWith(d) && d.startsWith("0")) {
                d = d.substring(1); // a national form: the trunk prefix is not part of E.164
            }
            if (d.length() >= 4 && all.endsWith(d)) {
                int first = at.get(at.size() - d.length());
                // the whole number, or all of it but a country code (1 to 3 digits): exact; else its last digits
                boolean whole = d.length() == all.length() || d.length() >= 7 && all.length() - d.length() <= 3;
                MatchKind kind = whole ? MatchKind.EXACT : MatchKind.PREFIX;
                return List.of(new Highlight.Span(first, at.get(at.size() - 1) + 1, kind));
            }
        }
        return List.of();
    }

    // ---- substrings ---------------------------------------------------------------------------------------

    private static List<Highlight.Span> substringSpans(String text, List<SearchTerms.Term> terms) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.length() != text.length()) {
            return List.of();
        }
        boolean[] marked = new boolean[text.length()];
        for (SearchTerms.Term t : terms) {
            String q = t.raw().toLowerCase(Locale.ROOT);
            for (int from = lower.indexOf(q); from >= 0 && !q.isEmpty(); from = lower.indexOf(q, from + 1)) {
                for (int k = from; k < from + q.length(); k++) {
                    marked[k] = true;
                }
            }
        }
        List<Highlight.Span> spans = new ArrayList<>();
        for (int i = 0; i < marked.length; i++) {
            if (marked[i]) {
                int start = i;
                while (i < marked.length && marked[i]) {
                    i++;
                }
                spans.add(new Highlight.Span(start, i, MatchKind.CONTAINS));
            }
        }
        return spans;
    }
}
