package org.crmkit.internal.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.crmkit.error.BackupException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Lines decoded on helper threads reach the sink in order, and the first bad line's error is the one thrown. */
class DecodedLinesTest {
    private final ExecutorService decoders = Executors.newFixedThreadPool(3);
    private final List<Long> seen = new ArrayList<>();

    @AfterEach
    void stop() {
        decoders.shutdownNow();
    }

    private DecodedLines<Long> lines(Set<Long> bad, long sinkFailsAt) {
        return new DecodedLines<>(decoders, 4, line -> {
            long n = Long.parseLong(new String(line, StandardCharsets.US_ASCII).strip());
            if (bad.contains(n)) {
                throw new IllegalArgumentException("bad " + n);
            }
            return n;
        }, (n, line) -> {
            assertThat(n).isEqualTo(line); // in order, each line once
            if (n == sinkFailsAt) {
                throw new IllegalStateException("sink refused " + n);
            }
            seen.add(n);
        }, (line, problem) -> new BackupException(BackupException.Problem.CORRUPT, "line " + line + ": " + problem));
    }

    private static byte[] line(long n) {
        // long enough lines that chunks end by size as well as by count
        return (n % 7 == 0 ? " ".repeat(3000) + n : Long.toString(n)).getBytes(StandardCharsets.US_ASCII);
    }

    /** Adds lines 1 to {@code last}, then drains. */
    private static void feed(DecodedLines<Long> d, long last) {
        for (long n = 1; n <= last; n++) {
            d.add(line(n));
        }
        d.drain();
    }

    @Test
    void everyLineReachesTheSinkInOrder() {
        feed(lines(Set.of(), -1), 20_000);
        assertThat(seen).hasSize(20_000);
    }

    @Test
    void theFirstBadLineIsReportedAfterEveryLineBeforeIt() {
        DecodedLines<Long> d = lines(Set.of(7_321L, 15_000L, 2L + 9_000), -1);
        assertThatThrownBy(() -> feed(d, 20_000)).isInstanceOf(BackupException.class).hasMessage("line 7321: bad 7321");
        assertThat(seen).hasSize(7_320);
        d.cancel();
    }

    @Test
    void aSinkThatRefusesAnEarlierLineWinsOverALaterBadLine() {
        DecodedLines<Long> d = lines(Set.of(5_000L), 1_234);
        assertThatThrownBy(() -> feed(d, 20_000)).isInstanceOf(IllegalStateException.class)
                .hasMessage("sink refused 1234");
        assertThat(seen).hasSize(1_233);
        d.cancel();
    }

    @Test
    void drainingBeforeTheReadersOwnErrorReportsAnEarlierBadLine() {
        DecodedLines<Long> d = lines(Set.of(10L), -1);
        for (long n = 1; n <= 50; n++) {
            d.add(line(n)); // fewer than a chunk: nothing decoded yet
        }
        assertThat(seen).isEmpty();
        assertThatThrownBy(d::drain).isInstanceOf(BackupException.class).hasMessage("line 10: bad 10");
        assertThat(seen).hasSize(9);
    }
}
