package org.crmkit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.crmkit.benchmarks.WriteStalls.Stall;
import org.crmkit.benchmarks.WriteStalls.Window;
import org.junit.jupiter.api.Test;

/** The stall measures of the schema suite, on made-up write intervals (times in plain numbers, no clock). */
class WriteStallsTest {

    /** A log of back-to-back writes: {@code times} are start, end, start, end... */
    private static WriteLog log(long... times) {
        WriteLog log = new WriteLog();
        for (int i = 0; i < times.length; i += 2) {
            log.add(times[i], times[i + 1]);
        }
        return log;
    }

    @Test
    void aWriteHeldUpByTheChangeIsTheLongestStall() {
        // writer A: short writes, then one from 100 to 450 that the change (200 to 400) held up
        WriteLog a = log(0, 10, 10, 20, 20, 30, 100, 450, 450, 460);
        // writer B: goes on writing 10-unit writes through the change, except one of 60
        WriteLog b = log(0, 10, 190, 200, 200, 260, 260, 270, 500, 510);
        WriteStalls stalls = WriteStalls.of(List.of(a, b), 0);

        Stall s = stalls.during(new Window(200, 400));

        assertThat(s.maxLatencyNanos()).isEqualTo(350);
        assertThat(s.writes()).isEqualTo(3); // A's 100-450, B's 200-260 and 260-270; B's 190-200 ended at the start
        // completions 200 (last before or at the start), 260, 270, then 450 (first after the end): longest gap 180
        assertThat(s.maxGapNanos()).isEqualTo(180);
    }

    @Test
    void writesBeforeAndAfterTheWindowDoNotCount() {
        WriteLog a = log(0, 500, 500, 510, 900, 1_900);
        WriteStalls stalls = WriteStalls.of(List.of(a), 0);

        Stall s = stalls.during(new Window(600, 700));

        assertThat(s.writes()).isZero();
        assertThat(s.maxLatencyNanos()).isZero();
        // nothing completed from 510 to 1,900: the gap that spans the window is counted whole
        assertThat(s.maxGapNanos()).isEqualTo(1_390);
    }

    @Test
    void theGapRunsFromTheWindowsStartWhenNothingCompletedBeforeIt() {
        WriteStalls stalls = WriteStalls.of(List.of(log(100, 300, 300, 320)), 0);

        Stall s = stalls.during(new Window(50, 310));

        assertThat(s.maxGapNanos()).isEqualTo(250); // 50 to 300
        assertThat(s.maxLatencyNanos()).isEqualTo(200);
        assertThat(s.writes()).isEqualTo(2);
    }

    @Test
    void theGapRunsToTheWindowsEndWhenNothingCompletedAfterIt() {
        WriteStalls stalls = WriteStalls.of(List.of(log(0, 10, 10, 20)), 0);

        assertThat(stalls.during(new Window(15, 100)).maxGapNanos()).isEqualTo(80); // 20 to 100
    }

    @Test
    void completionsOfAllWritersTogetherMakeTheGap() {
        // each writer alone waits 100 between completions, but together one completes every 50
        WriteLog a = log(0, 100, 100, 200, 200, 300, 300, 400);
        WriteLog b = log(0, 50, 50, 150, 150, 250, 250, 350, 350, 450);
        WriteStalls stalls = WriteStalls.of(List.of(a, b), 0);

        Stall s = stalls.during(new Window(120, 330));

        assertThat(s.maxGapNanos()).isEqualTo(50);
        assertThat(s.maxLatencyNanos()).isEqualTo(100);
    }

    @Test
    void equalCompletionTimesAtTheWindowsStartAreOneCompletion() {
        WriteStalls stalls = WriteStalls.of(List.of(log(0, 100, 100, 400), log(50, 100, 100, 130)), 0);

        Stall s = stalls.during(new Window(100, 200));

        assertThat(s.maxGapNanos()).isEqualTo(270); // 130 to 400
        assertThat(s.writes()).isEqualTo(2);
    }

    @Test
    void writesStartedBeforeTheMeasurementAreWarmUp() {
        WriteLog a = log(0, 5_000, 5_000, 5_010, 5_010, 5_020);
        WriteStalls stalls = WriteStalls.of(List.of(a), 5_000);

        assertThat(stalls.size()).isEqualTo(2);
        assertThat(stalls.during(new Window(4_000, 5_015)).maxLatencyNanos()).isEqualTo(10);
    }

    @Test
    void theMedianLeavesOutEveryWriteThatOverlapsAChange() {
        // five writes of 10 outside, three of 1,000 overlapping one change or the other
        WriteLog a = log(0, 10, 10, 20, 20, 30, 30, 1_030, 1_030, 1_040);
        WriteLog b = log(0, 10, 2_000, 3_000, 3_000, 4_000, 4_000, 4_010);
        WriteStalls stalls = WriteStalls.of(List.of(a, b), 0);
        List<Window> changes = List.of(new Window(500, 600), new Window(2_500, 3_500));

        Latencies outside = stalls.outside(changes);

        assertThat(outside.count()).isEqualTo(6);
        assertThat(stalls.medianOutside(changes)).isCloseTo(10, within(0.5));
        assertThat(stalls.medianOutside(List.of())).isCloseTo(10, within(0.5)); // 6 of 9 take 10
        assertThat(stalls.outside(List.of()).percentile(100)).isCloseTo(1_000, within(1.0));
    }

    @Test
    void theLongestWriteWithinAWindowLeavesOutWritesThatStartedBeforeOrEndedAfterIt() {
        // a change ran 100 to 200 and the next one 800 to 900: one write held up through the first, a slow one
        // after it, and one that started before the second change and was held up by it
        WriteLog a = log(90, 250, 250, 260, 260, 700, 700, 990);
        WriteLog b = log(50, 210, 210, 220);
        WriteStalls stalls = WriteStalls.of(List.of(a, b), 0);

        assertThat(stalls.longestWithin(new Window(200, 800))).isEqualTo(440);
        assertThat(stalls.longestWithin(new Window(200, 690))).isEqualTo(10);
        assertThat(stalls.longestWithin(new Window(1_000, 1_100))).isZero();
    }

    @Test
    void schemaRetriesAreCountedByWhenTheyHappened() {
        WriteLog log = new WriteLog();
        for (long at = 0; at < 40; at++) {
            log.schemaRetry(at * 10);
        }

        assertThat(log.schemaRetries()).isEqualTo(40);
        assertThat(log.schemaRetriesBetween(100, 200)).isEqualTo(10); // 100 to 190
        assertThat(log.schemaRetriesBetween(395, Long.MAX_VALUE)).isZero();
    }

    @Test
    void badIntervalsAreRefused() {
        assertThatThrownBy(() -> new Window(10, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WriteLog().add(10, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLogGrowsPastItsFirstArrays() {
        WriteLog log = new WriteLog();
        for (int i = 0; i < 10_000; i++) {
            log.add(i * 10L, i * 10L + 5);
        }
        WriteStalls stalls = WriteStalls.of(List.of(log), 0);

        assertThat(stalls.size()).isEqualTo(10_000);
        assertThat(stalls.during(new Window(0, 100_000)).maxGapNanos()).isEqualTo(10);
    }
}
