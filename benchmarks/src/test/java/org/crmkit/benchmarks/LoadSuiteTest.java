package org.crmkit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadSuiteTest {
    @Test
    void durationsReadWithAUnitOrAsSeconds() {
        assertThat(LoadSuite.duration("--soak", "30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(LoadSuite.duration("--soak", "2M")).isEqualTo(Duration.ofMinutes(2));
        assertThat(LoadSuite.duration("--soak", "90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(LoadSuite.duration("--soak", "1h")).isEqualTo(Duration.ofHours(1));
        assertThat(LoadSuite.duration("--soak", "45")).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void badDurationsAreRefusedNamingTheOption() {
        for (String bad : new String[] {"", "0m", "m", "5 minutes", "-3s", "1.5h"}) {
            assertThatThrownBy(() -> LoadSuite.duration("--soak", bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--soak").hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void settingsCutTheSecondsIntoRunsAndTheSoakIntoAtLeastThreeSamples() {
        LoadSuite.Settings plain = LoadSuite.settings(new BenchConfig(1_000, 42, 5, Map.of()));
        assertThat(plain.threads()).isEqualTo(32);
        assertThat(plain.soak()).isNull();
        assertThat(plain.runs()).isEqualTo(6);
        assertThat(plain.runNanos()).isEqualTo(10_000_000_000L);
        LoadSuite.Settings odd = LoadSuite.settings(new BenchConfig(1_000, 42, 5, Map.of("seconds", "25")));
        assertThat(odd.runs()).isEqualTo(3); // runs of at most 10 s
        assertThat(odd.runNanos()).isEqualTo(8_333_333_333L);

        LoadSuite.Settings soak = LoadSuite.settings(new BenchConfig(1_000, 42, 5, Map.of("soak", "30m")));
        assertThat(soak.interval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(LoadSuite.settings(new BenchConfig(1_000, 42, 5, Map.of("soak", "2m"))).interval())
                .isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> LoadSuite.settings(new BenchConfig(1_000, 42, 5,
                Map.of("soak", "10s", "interval", "5")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fewer than 3 samples");
    }

    @Test
    void theSoakWarmsUpForAFifthOfItsTimeWithinHalfAMinuteAndTwoMinutes() {
        assertThat(SoakRun.warmupNanos(Duration.ofMinutes(2))).isEqualTo(Duration.ofSeconds(30).toNanos());
        assertThat(SoakRun.warmupNanos(Duration.ofMinutes(5))).isEqualTo(Duration.ofMinutes(1).toNanos());
        assertThat(SoakRun.warmupNanos(Duration.ofMinutes(30))).isEqualTo(Duration.ofMinutes(2).toNanos());
    }
}
