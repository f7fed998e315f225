package org.crmkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettableClockTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void setAndAdvance() {
        SettableClock clock = SettableClock.at(T0);
        assertThat(clock.instant()).isEqualTo(T0);
        assertThat(clock.millis()).isEqualTo(T0.toEpochMilli());
        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
        assertThat(clock.advance(Duration.ofMinutes(5))).isEqualTo(T0.plusSeconds(300));
        assertThat(clock.advanceMillis(-1000)).isEqualTo(T0.plusSeconds(299));
        clock.set(T0.minusSeconds(60));
        assertThat(clock.instant()).isEqualTo(T0.minusSeconds(60));
    }

    @Test
    void zoneIsFixedAndWithZoneSharesTheInstant() {
        SettableClock clock = SettableClock.at(T0);
        SettableClock paris = clock.withZone(ZoneId.of("Europe/Paris"));
        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
        assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(clock.withZone(ZoneOffset.UTC)).isSameAs(clock);
        clock.advance(Duration.ofHours(1));
        assertThat(paris.instant()).isEqualTo(T0.plusSeconds(3600));
        assertThat(java.time.LocalTime.now(paris)).isEqualTo(java.time.LocalTime.of(12, 0));
    }

    @Test
    void advancingFromManyThreadsLosesNothing() throws InterruptedException {
        SettableClock clock = SettableClock.at(T0);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 1000; i++) {
                    clock.advanceMillis(1);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(clock.instant()).isEqualTo(T0.plusMillis(4000));
    }
}
