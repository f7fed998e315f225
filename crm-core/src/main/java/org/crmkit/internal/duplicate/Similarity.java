package org.crmkit.internal.duplicate;

import org.apache.commons.codec.language.DoubleMetaphone;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.crmkit.duplicate.MatchMethod;

/**
 * How similar two field values are under one {@link MatchMethod}, from 0 to 1. Edit distances come from commons-text
 * (bounded Levenshtein, so a far pair costs little) and phonetic codes from commons-codec (Double Metaphone, the
 * algorithm the Lucene backend indexes names with, so both search paths agree on what sounds alike).
 */
public final class Similarity {
    static final double NICKNAME = 0.9;
    static final double EDITS = 0.85;
    static final double SOUNDS = 0.8;
    private static final LevenshteinDistance TWO_EDITS = new LevenshteinDistance(2);

    private final DoubleMetaphone metaphone = new DoubleMetaphone();

    /** Creates a comparer (not thread-safe: one per check). */
    public Similarity() {
        metaphone.setMaxCodeLen(6);
    }

    /** The similarity of {@code a} and {@code b} (neither empty) under {@code method}. */
    public double of(MatchMethod method, Object a, Object b) {
        String x = a.toString();
        String y = b.toString();
        return switch (method) {
            case EXACT -> a.equals(b) || x.equals(y) ? 1 : 0;
            case FOLDED -> Keys.folded(x).equals(Keys.folded(y)) ? 1 : 0;
            case EMAIL -> Keys.email(x).equals(Keys.email(y)) ? 1 : 0;
            case PHONE -> digits(x).equals(digits(y)) && !digits(x).isEmpty() ? 1 : 0;
            case FUZZY_NAME -> name(Keys.name(x), Keys.name(y));
            case PHONETIC -> sounds(Keys.name(x), Keys.name(y)) ? 1 : 0;
            case COMPANY_NAME -> company(Keys.company(x), Keys.company(y));
            case DOMAIN -> {
                String dx = Keys.domain(x);
                yield dx != null && dx.equals(Keys.domain(y)) ? 1 : 0;
            }
        };
    }

    private double name(String x, String y) {
        if (x.isEmpty() || y.isEmpty()) {
            return 0;
        }
        if (x.equals(y)) {
            return 1;
        }
        if (Nicknames.same(x, y)) {
            return NICKNAME;
        }
        if (closeEnough(x, y)) {
            return EDITS;
        }
        return sounds(x, y) ? SOUNDS : 0;
    }

    private double company(String x, String y) {
        if (x.isEmpty() || y.isEmpty()) {
            return 0;
        }
        if (x.equals(y) || x.replace(" ", "").equals(y.replace(" ", ""))) {
            return 1;
        }
        return Math.min(x.length(), y.length()) >= 6 && closeEnough(x, y) ? EDITS : 0;
    }

    /** One edit up to 4 letters, two above (the longer word counts). */
    private static boolean closeEnough(String x, String y) {
        int allowed = Math.max(x.length(), y.length()) <= 4 ? 1 : 2;
        int d = TWO_EDITS.apply(x, y);
        return d >= 0 && d <= allowed;
    }

    private boolean sounds(String x, String y) {
        if (x.isEmpty() || y.isEmpty()) {
            return false;
        }
        String cx = x.replace(" ", "");
        String cy = y.replace(" ", "");
        return metaphone.isDoubleMetaphoneEqual(cx, cy, false) || metaphone.isDoubleMetaphoneEqual(cx, cy, true);
    }

    private static String digits(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                b.append(c);
            }
        }
        return b.toString();
    }
}
