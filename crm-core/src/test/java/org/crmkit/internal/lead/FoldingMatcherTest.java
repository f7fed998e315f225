package org.crmkit.internal.lead;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class FoldingMatcherTest {
    @Test
    void namesFoldIgnoringCaseAccentsAndPunctuation() {
        assertThat(FoldingMatcher.fold("ACME Café, GmbH.")).isEqualTo("acme cafe gmbh");
        assertThat(FoldingMatcher.fold("  Crème   Brûlée ")).isEqualTo(FoldingMatcher.fold("creme brulee"));
        assertThat(FoldingMatcher.fold("Acme")).isNotEqualTo(FoldingMatcher.fold("Acme Ltd"));
    }

    @Test
    void everyStoredSpellingOfTheNameHoldsOneOfTheCandidatePieces() {
        String[][] pairs = {{"Cafe", "Café"}, {"Café", "Cafe"}, {"Eclair SA", "Éclair SA"}, {"3M", "3m"},
                {"Crème Brûlée Ltd", "creme brulee ltd"}};
        for (String[] p : pairs) {
            String stored = p[1].toLowerCase(Locale.ROOT);
            assertThat(FoldingMatcher.pieces(p[0])).as(p[0] + " vs " + p[1]).anyMatch(stored::contains);
        }
        assertThat(FoldingMatcher.pieces("a very long company name with many words")).hasSizeLessThanOrEqualTo(8);
    }
}
