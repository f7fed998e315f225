package org.crmkit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LoadMixTest {
    @Test
    void theDefaultMixDrawsSeventyTwentyTenOverManyDraws() {
        Random random = new Random(42);
        Map<LoadMix.Op, Integer> counts = new EnumMap<>(LoadMix.Op.class);
        int draws = 200_000;
        for (int i = 0; i < draws; i++) {
            counts.merge(LoadMix.DEFAULT.next(random), 1, Integer::sum);
        }
        // the standard deviation of a 70% share over 200,000 draws is 0.1 percentage points: 0.5 is five of them
        assertThat(100.0 * counts.get(LoadMix.Op.READ) / draws).isCloseTo(70, within(0.5));
        assertThat(100.0 * counts.get(LoadMix.Op.UPDATE) / draws).isCloseTo(20, within(0.5));
        assertThat(100.0 * counts.get(LoadMix.Op.CREATE) / draws).isCloseTo(10, within(0.5));
    }

    @Test
    void theSameSeedDrawsTheSameSequence() {
        Random a = new Random(7);
        Random b = new Random(7);
        for (int i = 0; i < 1_000; i++) {
            assertThat(LoadMix.DEFAULT.next(a)).isEqualTo(LoadMix.DEFAULT.next(b));
        }
    }

    @Test
    void aShareOfZeroIsNeverDrawnAndAHundredAlways() {
        Random random = new Random(1);
        LoadMix readsOnly = new LoadMix(100, 0, 0);
        LoadMix noReads = new LoadMix(0, 50, 50);
        for (int i = 0; i < 10_000; i++) {
            assertThat(readsOnly.next(random)).isEqualTo(LoadMix.Op.READ);
            assertThat(noReads.next(random)).isNotEqualTo(LoadMix.Op.READ);
        }
        assertThat(LoadMix.DEFAULT.percent(LoadMix.Op.UPDATE)).isEqualTo(20);
    }

    @Test
    void sharesThatDoNotAddUpToAHundredAreRefused() {
        assertThatThrownBy(() -> new LoadMix(70, 20, 20)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("70/20/20");
        assertThatThrownBy(() -> new LoadMix(110, -10, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
