package org.crmkit.benchmarks;

import java.util.Arrays;

/** Plain timed loops: warm-up passes, then measured rounds, reporting the median time per operation. */
final class Timing {
    /** Keeps results alive so the JIT cannot drop the work being measured. */
    private static volatile long sink;

    /** Minimum total warm-up time per measurement. */
    static final long WARMUP_NANOS = 500_000_000L;
    static final int MAX_WARMUPS = 50;

    private Timing() {}

    /** One pass of an operation; does its own (untimed) setup and returns the nanoseconds its timed part took. */
    @FunctionalInterface
    interface Pass {
        long run(int round) throws Exception;
    }

    /**
     * Runs at least {@code minWarmups} passes that are thrown away (more, up to {@link #MAX_WARMUPS}, until they
     * have taken {@link #WARMUP_NANOS} together, so small data sizes still get the JIT warm), then {@code rounds}
     * measured passes of {@code opsPerPass} operations each, and returns the median nanoseconds per operation.
     * Passes are numbered on from the warm-ups so a pass can tell them apart (e.g. to write new values).
     */
    static double medianNanosPerOp(int minWarmups, int rounds, int opsPerPass, Pass pass) throws Exception {
        int warmups = 0;
        long warmupStart = System.nanoTime();
        while (warmups < minWarmups
                || (warmups < MAX_WARMUPS && System.nanoTime() - warmupStart < WARMUP_NANOS)) {
            pass.run(warmups++);
        }
        double[] perOp = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            System.gc(); // outside the timed part: keep one round's garbage from landing in the next
            perOp[r] = (double) pass.run(warmups + r) / opsPerPass;
        }
        Arrays.sort(perOp);
        return rounds % 2 == 1 ? perOp[rounds / 2] : (perOp[rounds / 2 - 1] + perOp[rounds / 2]) / 2;
    }

    /** The medians of two operations measured by {@link #interleavedMedians}, in nanoseconds per operation. */
    record Pair(double crmkit, double baseline) {}

    /**
     * Like {@link #medianNanosPerOp}, for two operations at once whose passes alternate, so that drift in the
     * machine (other load, caches, a database growing) hits both alike: warm-up passes alternate
     * {@code crmkit}, {@code baseline} (at least {@code minWarmups} each, more until they have taken
     * {@link #WARMUP_NANOS} together, at most {@link #MAX_WARMUPS} each), then {@code rounds} measured rounds
     * run one pass of each, the first round CRMKit first, the next the baseline first, and so on. Passes are
     * numbered as in {@link #medianNanosPerOp}, each side counting its own.
     */
    static Pair interleavedMedians(int minWarmups, int rounds, int opsPerPass, Pass crmkit, Pass baseline)
            throws Exception {
        int warmups = 0;
        long warmupStart = System.nanoTime();
        while (warmups < minWarmups
                || (warmups < MAX_WARMUPS && System.nanoTime() - warmupStart < WARMUP_NANOS)) {
            crmkit.run(warmups);
            baseline.run(warmups);
            warmups++;
        }
        double[] a = new double[rounds];
        double[] b = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            int pass = warmups + r;
            if (r % 2 == 0) {
                System.gc();
                a[r] = (double) crmkit.run(pass) / opsPerPass;
                System.gc();
                b[r] = (double) baseline.run(pass) / opsPerPass;
            } else {
                System.gc();
                b[r] = (double) baseline.run(pass) / opsPerPass;
                System.gc();
                a[r] = (double) crmkit.run(pass) / opsPerPass;
            }
        }
        return new Pair(median(a), median(b));
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    static void consume(long value) {
        sink += value;
    }
}
