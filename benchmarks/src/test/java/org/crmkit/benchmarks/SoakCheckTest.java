package org.crmkit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SoakCheckTest {
    private static final long MIB = 1 << 20;

    /** {@code n} samples around {@code base} with noise of up to {@code noise} either way, plus {@code step} each. */
    private static List<Long> series(int n, long base, long noise, long step) {
        Random random = new Random(3);
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(base + i * step + (long) ((random.nextDouble() * 2 - 1) * noise));
        }
        return out;
    }

    @Test
    void aFlatNoisySeriesPasses() {
        assertThat(SoakCheck.grows("heap", series(30, 200 * MIB, 6 * MIB, 0), 0.10, 16 * MIB, " bytes")).isEmpty();
    }

    @Test
    void aSeriesGrowingBeyondTheToleranceFails() {
        // 2 MiB a sample: the thirds' medians are 20 samples apart, about 40 MiB, more than 10% of about 210 MiB
        var verdict = SoakCheck.grows("heap", series(30, 200 * MIB, 2 * MIB, 2 * MIB), 0.10, 16 * MIB, " bytes");
        assertThat(verdict).hasValueSatisfying(m -> assertThat(m).startsWith("heap grew from ")
                .contains("more than the tolerance of").contains("(10% or " + 16 * MIB + " bytes, whichever"));
    }

    @Test
    void growthWithinTheToleranceOrTheSlackPasses() {
        // 0.5 MiB a sample: 10 MiB between the thirds' medians, under the 16 MiB slack
        assertThat(SoakCheck.grows("heap", series(30, 50 * MIB, 0, MIB / 2), 0.10, 16 * MIB, "")).isEmpty();
        // the same growth on a heap of 400 MiB is under its 10%
        assertThat(SoakCheck.grows("heap", series(30, 400 * MIB, 0, MIB / 2), 0.10, 0, "")).isEmpty();
    }

    @Test
    void aSingleSpikeInTheLastThirdDoesNotFailButAnyRiseOfTheMedianDoesWithoutTolerance() {
        List<Long> spike = new ArrayList<>(List.of(10L, 10L, 10L, 10L, 10L, 10L, 10L, 11L, 10L));
        assertThat(SoakCheck.grows("connections", spike, 0, 0, "")).isEmpty();
        List<Long> rise = List.of(10L, 10L, 10L, 10L, 10L, 10L, 11L, 11L, 11L);
        assertThat(SoakCheck.grows("connections", rise, 0, 0, "")).hasValueSatisfying(m -> assertThat(m)
                .isEqualTo("connections grew from 10 (median of the first third of 9 samples) to 11 (median of the "
                        + "last third), by 1, more than the tolerance of 0 (0% or 0, whichever is larger)"));
    }

    @Test
    void aFallingSeriesPasses() {
        assertThat(SoakCheck.grows("threads", List.of(60L, 58L, 57L, 55L, 55L, 54L), 0, 0, "")).isEmpty();
    }

    @Test
    void thirdsTakeTheMedianOfEachEndAndNeedThreeSamples() {
        assertThat(SoakCheck.thirds(List.of(1L, 9L, 5L, 5L, 7L, 3L, 2L))).containsExactly(5, 3);
        assertThat(SoakCheck.thirds(List.of(4L, 100L, 6L))).containsExactly(4, 6);
        assertThatThrownBy(() -> SoakCheck.thirds(List.of(1L, 2L))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 3 samples");
    }
}
