package org.crmkit.internal.duplicate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crmkit.duplicate.DuplicateRules;
import org.crmkit.duplicate.FieldMatch;
import org.crmkit.duplicate.MatchMethod;
import org.jspecify.annotations.Nullable;

/**
 * Scores a record's values against probe values under a type's rules: the weighted mean of the similarities of the
 * rule fields set on both sides (see {@link DuplicateRules}). A personal name that does not match its own field is
 * also tried against the rule's other name fields (first and last name swapped), at {@value #SWAPPED} of its
 * similarity. The rules given are those of the fields the caller may see: the others never count.
 */
public final class Scorer {
    static final double SWAPPED = 0.9;

    private final DuplicateRules rules;
    private final Similarity similarity = new Similarity();

    /** A scorer of {@code rules} (already narrowed to the fields the caller may see). */
    public Scorer(DuplicateRules rules) {
        this.rules = rules;
    }

    /** A score and the fields that matched. */
    public record Score(double score, double comparedWeight, List<String> matched) {
        /** Whether it makes the two records duplicates under {@code rules}. */
        public boolean isDuplicate(DuplicateRules rules) {
            return comparedWeight > 0 && comparedWeight >= rules.minimumWeight() && score >= rules.threshold() - 1e-9;
        }
    }

    /** The score of {@code other} against {@code probe} (field name to stored value). */
    public Score score(Map<String, ?> probe, Map<String, ?> other) {
        double total = 0;
        double weight = 0;
        List<String> matched = new ArrayList<>();
        for (FieldMatch f : rules.fields()) {
            Object a = present(probe.get(f.field()));
            Object b = present(other.get(f.field()));
            if (a == null || b == null) {
                continue;
            }
            double s = similarity.of(f.method(), a, b);
            if (s < 1 && isName(f.method())) {
                s = Math.max(s, swapped(f, a, other));
            }
            weight += f.weight();
            total += f.weight() * s;
            if (s > 0) {
                matched.add(f.field());
            }
        }
        return new Score(weight == 0 ? 0 : total / weight, weight, matched);
    }

    private double swapped(FieldMatch f, Object a, Map<String, ?> other) {
        double best = 0;
        for (FieldMatch g : rules.fields()) {
            if (g != f && isName(g.method())) {
                Object b = present(other.get(g.field()));
                if (b != null) {
                    best = Math.max(best, SWAPPED * similarity.of(f.method(), a, b));
                }
            }
        }
        return best;
    }

    /** Whether {@code m} compares personal names (fuzzy or by sound), which may be swapped between fields. */
    public static boolean isName(MatchMethod m) {
        return m == MatchMethod.FUZZY_NAME || m == MatchMethod.PHONETIC;
    }

    private static @Nullable Object present(@Nullable Object v) {
        return v == null || (v instanceof String s && s.isBlank()) ? null : v;
    }
}
