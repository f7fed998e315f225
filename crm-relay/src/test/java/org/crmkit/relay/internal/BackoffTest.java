package org.crmkit.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesWithJitterUpToTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), new Random(42));
        Set<Duration> firsts = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            Duration first = backoff.delay(1);
            assertThat(first).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
            firsts.add(first);
            assertThat(backoff.delay(4)).isBetween(Duration.ofMillis(400), Duration.ofMillis(800));
            assertThat(backoff.delay(10)).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(5));
            assertThat(backoff.delay(1000)).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(5));
        }
        assertThat(firsts).as("jittered").hasSizeGreaterThan(10);
    }
}
