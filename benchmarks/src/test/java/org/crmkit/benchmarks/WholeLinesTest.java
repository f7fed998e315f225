package org.crmkit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class WholeLinesTest {
    /** One file both streams write to, recording each write it gets. */
    private static final class Log extends OutputStream {
        final List<String> writes = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void write(int b) {
            writes.add(String.valueOf((char) b));
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes.add(new String(b, off, len, StandardCharsets.UTF_8));
        }
    }

    @Test
    void aLineWrittenInPiecesReachesTheTargetInOneWrite() {
        Log log = new Log();
        PrintStream out = new PrintStream(new WholeLines(log), true, StandardCharsets.UTF_8);
        out.print("# search: ");
        out.flush();
        out.printf("%s took %d ms", "x".repeat(300), 12);
        out.println();
        out.print("two\nlines\nand a rest");
        out.flush();
        assertThat(log.writes).containsExactly("# search: " + "x".repeat(300) + " took 12 ms\n", "two\n", "lines\n");
        out.close();
        assertThat(log.writes).last().isEqualTo("and a rest");
    }

    @Test
    void progressAndBenchLinesFromManyThreadsNeverShareALine() throws Exception {
        Log log = new Log();
        PrintStream out = new PrintStream(new WholeLines(log), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new WholeLines(log), true, StandardCharsets.UTF_8);
        int threads = 8;
        int lines = 200;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            running.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < lines; i++) {
                    if (id % 2 == 0) {
                        err.printf("# search: %s %d %s%n", "progress".repeat(40), i, "done");
                    } else {
                        out.println(new BenchLine("search.t" + id, 1.5e6, 1.0e6).format());
                    }
                }
            }));
        }
        start.countDown();
        for (Thread t : running) {
            t.join();
        }
        assertThat(log.writes).hasSize(threads * lines);
        assertThat(log.writes).allSatisfy(w -> {
            assertThat(w).endsWith("\n");
            assertThat(w.indexOf('\n')).isEqualTo(w.length() - 1);
            assertThat(w).satisfiesAnyOf(x -> assertThat(x).startsWith("BENCH "), x -> assertThat(x).startsWith("# "));
        });
    }
}
