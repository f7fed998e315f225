package org.crmkit.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.query.Filters;
import org.crmkit.record.Record;
import org.crmkit.security.Principal;

/**
 * {@code nodes.throughput_3_vs_1}: a mixed read/write workload (3 creates, 3 updates, 3 gets, 1 query in 10) run
 * by {@code --threads} client threads per node, on three nodes sharing one PostgreSQL (one table prefix) against
 * one node alone (tables of its own), both doing {@code --size} operations in all. Printed as time per operation
 * of the three nodes over the one node's, so lower is better (goal 0.5: three nodes serve twice the operations
 * per second). The nodes are three {@code Crm}s in this JVM, each with its own storage, HikariCP pool, record
 * cache and compiled schema: what they share with separate JVMs is the database; what they also share here is the
 * CPU and JIT of one JVM, which on one machine they would share anyway. Separate JVMs would add each JVM's warm-up
 * to the measurement.
 */
final class NodesSuite implements Suite {
    private static final int DEFAULT_THREADS = 4;

    @Override
    public String name() {
        return "nodes";
    }

    @Override
    public String description() {
        return "three nodes on one PostgreSQL vs one node, mixed read/write load (operations in all)";
    }

    @Override
    public int defaultSize() {
        return 6_000;
    }

    @Override
    public Map<String, String> options() {
        return Map.of("threads", "client threads per node (default " + DEFAULT_THREADS + ")");
    }

    @Override
    public void run(BenchConfig config, BenchOutput out) throws Exception {
        String url = BenchDatabase.answeringPostgres("nodes.throughput_3_vs_1", out);
        if (url == null) {
            return;
        }
        int threads = config.positive("threads", DEFAULT_THREADS);
        try (BenchDatabase database = BenchDatabase.postgres(url)) {
            // warm-up on tables of their own, then the measured runs, one node first
            measure(database, "w", 1, threads, Math.max(500, config.size() / 5), config.seed());
            double one = measure(database, "one", 1, threads, config.size(), config.seed());
            double three = measure(database, "thr", 3, threads, config.size(), config.seed());
            StorageSuite.note("nodes.throughput_3_vs_1", "one node %.0f ops/s, three nodes %.0f ops/s (%d threads"
                    + " per node, %d operations, %d cores)", 1e9 / one, 1e9 / three, threads, config.size(),
                    Runtime.getRuntime().availableProcessors());
            out.report(new BenchLine("nodes.throughput_3_vs_1", three, one));
        }
    }

    /** Nanoseconds per operation of {@code ops} operations spread over {@code nodes} nodes on one table prefix. */
    private static double measure(BenchDatabase database, String role, int nodes, int threads, int ops, long seed)
            throws Exception {
        List<Crm> crms = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(nodes * threads);
        try {
            for (int n = 0; n < nodes; n++) {
                crms.add(Crm.builder().storage(database.crmkitStorage(role)).build());
            }
            int perThread = ops / (nodes * threads);
            List<Future<?>> done = new ArrayList<>();
            long start = System.nanoTime();
            for (int n = 0; n < nodes; n++) {
                RecordSet contacts = crms.get(n).as(Principal.SYSTEM).records("contact");
                for (int t = 0; t < threads; t++) {
                    Random random = new Random(seed + n * 1000L + t);
                    done.add(pool.submit(() -> work(contacts, random, perThread)));
                }
            }
            for (Future<?> f : done) {
                f.get();
            }
            return (System.nanoTime() - start) / (double) (perThread * nodes * threads);
        } finally {
            pool.shutdownNow();
            for (Crm crm : crms) {
                crm.close();
            }
        }
    }

    /** One client: creates, updates and reads its own contacts, and queries everyone's. */
    private static void work(RecordSet contacts, Random random, int ops) {
        List<Record> mine = new ArrayList<>();
        for (int i = 0; i < ops; i++) {
            int op = random.nextInt(10);
            if (mine.isEmpty() || op < 3) {
                mine.add(contacts.create(Map.of("first_name", "Node", "last_name", "Load" + random.nextInt(100))));
            } else if (op < 6) {
                int k = random.nextInt(mine.size());
                mine.set(k, contacts.update(mine.get(k), Map.of("title", "T" + i)));
            } else if (op < 9) {
                contacts.get(mine.get(random.nextInt(mine.size())).id());
            } else {
                contacts.query(Filters.where("last_name").eq("Load" + random.nextInt(100))).items();
            }
        }
    }
}
