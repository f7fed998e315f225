package org.crmkit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The {@code nodes} and {@code events} suites at tiny sizes against this machine's PostgreSQL and RabbitMQ: each
 * prints its {@code BENCH} line (and {@code events} its p50/p99/max {@code FIGURE} lines), or {@code SKIP} when a
 * server does not answer, and never fails.
 */
class NodesAndEventsSuiteTest {
    @Test
    void nodesPrintsThroughputRatioOfThreeNodesOverOne() {
        String out = run("nodes", "--size", "120", "--threads", "2");
        // the unit follows the CRMKit side's magnitude (BenchLine): us below a millisecond per operation
        assertThat(out).containsPattern("(?m)^(BENCH nodes\\.throughput_3_vs_1 crmkit=[0-9.]+(us|ms|s) "
                + "baseline=[0-9.]+(us|ms|s) ratio=[0-9.]+|SKIP nodes\\.throughput_3_vs_1 .*)$");
    }

    @Test
    void eventsPrintsTheRelayLagPercentiles() {
        String out = run("events", "--rate", "50", "--seconds", "2");
        if (!out.contains("SKIP events.relay_lag")) {
            assertThat(out).containsPattern("(?m)^BENCH events\\.relay_lag crmkit=[0-9.]+(us|ms|s) baseline=.* ratio=")
                    .containsPattern("(?m)^FIGURE events\\.relay_lag p50_us=\\d+$")
                    .containsPattern("(?m)^FIGURE events\\.relay_lag p99_us=\\d+$")
                    .containsPattern("(?m)^FIGURE events\\.relay_lag max_us=\\d+$");
        }
    }

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = BenchMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as("exit code; stderr:\n%s", err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }
}
