package org.crmkit.benchmarks;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the mixed workload on a {@link LoadSide} with a fixed number of platform threads for a given time. Each thread
 * loops until the time is up: draws an operation from the {@link LoadMix}, a row among its own and a template
 * contact, does the operation and records its time. Each run's draws come from a {@link Random} seeded with the
 * run's seed, the run number and the thread, so both sides draw the same sequence in runs of the same number.
 */
final class LoadDriver implements AutoCloseable {
    private final int threads;
    private final LoadMix mix;
    private final List<Map<String, Object>> templates;
    private final long seed;
    private final ExecutorService pool;

    /**
     * @param templates contacts whose values creates copy (with an email of their own); without {@code owner}
     */
    LoadDriver(int threads, LoadMix mix, List<Map<String, Object>> templates, long seed) {
        this.threads = threads;
        this.mix = mix;
        this.templates = templates;
        this.seed = seed;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "load-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs the workload on {@code side} for {@code nanos} with every thread and returns what it did; the wall time
     * runs from the common start to the end of the last operation (which starts before the time is up).
     *
     * @throws Exception the first failure of an operation (the other threads finish their time)
     */
    Tally run(LoadSide side, long nanos, int runNumber) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        long[] deadline = new long[1];
        List<Future<Tally>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                start.await();
                return work(side, thread, runNumber, deadline[0]);
            }));
        }
        long t0 = System.nanoTime();
        deadline[0] = t0 + nanos; // published to the workers by the latch
        start.countDown();
        Tally total = new Tally();
        for (Future<Tally> f : futures) {
            total.add(f.get());
        }
        total.wallNanos = System.nanoTime() - t0;
        return total;
    }

    private Tally work(LoadSide side, int thread, int runNumber, long deadline) throws Exception {
        Random random = new Random(seed * 1_000_003L + runNumber * 1_009L + thread);
        LoadSide.OwnRows rows = side.rows(thread);
        Tally tally = new Tally();
        while (System.nanoTime() < deadline) {
            LoadMix.Op op = mix.next(random);
            int row = random.nextInt(rows.size());
            int template = random.nextInt(templates.size());
            // the values are made before the clock starts, the same work on both sides
            String title = op == LoadMix.Op.UPDATE ? "Load title " + thread + "." + rows.next() : "";
            Map<String, Object> values = Map.of();
            if (op == LoadMix.Op.CREATE) {
                values = new HashMap<>(templates.get(template));
                values.put("email", "load." + thread + "." + rows.next() + "@example.com");
            }
            long t0 = System.nanoTime();
            switch (op) {
                case READ -> Timing.consume(side.read(thread, rows.id(row)));
                case UPDATE -> rows.version(row, side.update(thread, rows.id(row), rows.version(row), title));
                case CREATE -> rows.add(side.create(thread, values), 1L);
            }
            tally.record(op, System.nanoTime() - t0);
        }
        return tally;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** What runs of the workload did: per-operation times, all and by kind, and the wall time they took. */
    static final class Tally {
        final Latencies all = new Latencies();
        final Map<LoadMix.Op, Latencies> byOp = new EnumMap<>(LoadMix.Op.class);
        long wallNanos;

        Tally() {
            for (LoadMix.Op op : LoadMix.Op.values()) {
                byOp.put(op, new Latencies());
            }
        }

        void record(LoadMix.Op op, long nanos) {
            all.record(nanos);
            latencies(op).record(nanos);
        }

        Latencies latencies(LoadMix.Op op) {
            return java.util.Objects.requireNonNull(byOp.get(op));
        }

        /** Adds another tally's operations and wall time to this one. */
        void add(Tally other) {
            all.add(other.all);
            for (LoadMix.Op op : LoadMix.Op.values()) {
                latencies(op).add(other.latencies(op));
            }
            wallNanos += other.wallNanos;
        }

        long ops() {
            return all.count();
        }

        /** Wall time per operation over all threads (the inverse of throughput), in nanoseconds. */
        double nanosPerOp() {
            return ops() == 0 ? Double.POSITIVE_INFINITY : (double) wallNanos / ops();
        }

        double opsPerSecond() {
            return wallNanos == 0 ? 0 : ops() * 1e9 / wallNanos;
        }
    }
}
