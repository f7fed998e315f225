package org.crmkit.search.lucene.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The smallest sets of probes a duplicate candidate must come near, from the rules' weights. */
class CandidateQueryTest {
    @Test
    void theBuiltInContactRulesNeedTwoValuesOrTheEmail() {
        // first name 2, last name 3, e-mail 5, phone 3; threshold 0.8 x minimum weight 4 = 3.2
        assertThat(CandidateQuery.sets(List.of(2.0, 3.0, 5.0, 3.0), 3.2)).containsExactlyInAnyOrder(
                List.of(0, 1), List.of(0, 3), List.of(1, 3), List.of(2));
    }

    @Test
    void nothingNeededMeansAnyProbeAndTooLittleWeightMeansNoQuery() {
        assertThat(CandidateQuery.sets(List.of(2.0, 3.0), 0)).containsExactly(List.of(0), List.of(1));
        assertThat(CandidateQuery.sets(List.of(2.0, 3.0), 5.5)).isEmpty();
        assertThat(CandidateQuery.sets(List.of(2.0, 3.0), 5.0)).containsExactly(List.of(0, 1));
    }
}
