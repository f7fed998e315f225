package org.crmkit.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The backoff schedule: exponential, capped, jittered only downwards and within the jitter share. */
class RetryPolicyTest {
    @Test
    void theDefaultScheduleDoubles() {
        RetryPolicy p = new RetryPolicy(8, Duration.ofSeconds(10), 2.0, Duration.ofMinutes(5), 0);
        assertThat(java.util.stream.IntStream.rangeClosed(1, 7).mapToObj(p::baseDelay).map(Duration::toSeconds))
                .containsExactly(10L, 20L, 40L, 80L, 160L, 300L, 300L);
    }

    @Test
    void delaysStayBetweenTheJitteredFloorAndTheBaseAndNeverShrinkWithAttempts() {
        qt().forAll(integers().between(1, 40), longs().between(1, 60_000), integers().between(0, 100),
                longs().all())
                .checkAssert((attempt, initialMillis, jitterPercent, seed) -> {
                    double jitter = jitterPercent / 100.0;
                    RetryPolicy p = new RetryPolicy(50, Duration.ofMillis(initialMillis), 2.0, Duration.ofHours(1),
                            jitter);
                    Duration base = p.baseDelay(attempt);
                    Duration d = p.delay(attempt, new Random(seed));
                    assertThat(d).isLessThanOrEqualTo(base);
                    assertThat(d.toMillis()).isGreaterThanOrEqualTo((long) Math.floor(base.toMillis() * (1 - jitter)));
                    assertThat(base).isLessThanOrEqualTo(Duration.ofHours(1));
                    assertThat(p.baseDelay(attempt + 1)).isGreaterThanOrEqualTo(base);
                });
    }
}
