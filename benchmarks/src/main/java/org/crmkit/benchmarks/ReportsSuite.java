package org.crmkit.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reports and what keeps them fast, on {@code --size} deals (default 1,000,000) over one company per 100 deals
 * ({@link DealData}: stages of the {@code sales} pipeline, amounts in EUR, USD and GBP with euros as the corporate
 * currency, close dates over two years, 50 owners), imported through {@code importRecords} into two {@code Crm}s,
 * each on a database of its own: H2 in a file of its own, or PostgreSQL under a table prefix of its own. One has the
 * roll-up fields of {@link CompanyRollups} on company, the other none. Per database:
 *
 * <ul>
 *   <li>{@code reports.<db>.pipeline_live} (p50) and {@code reports.<db>.pipeline_live.p99}: the pipeline report
 *       ({@link PipelineReport#definition}: open deals by stage, count, {@code sum(amount.corporate)},
 *       {@code avg(probability)}) run through {@code crm.as(SYSTEM).reports().run(...)} on the {@code Crm} without
 *       roll-ups, against the same grouped SQL written by hand ({@link PipelineReport#baselineSql}: the same
 *       conversion into euros, the same rounding in Java) through a plain pool on the same tables (goal: at most 1.2
 *       times); {@code --reads} runs of each side (default {@value #DEFAULT_READS}), alternating, after
 *       {@value #WARMUP_READS} of each as warm-up; every run of both must give the same rows, else the suite
 *       fails. Another report figure (a summarised pipeline) is one more call of {@code ReportsRun.compareReport}
 *       with its definition against the same SQL.</li>
 *   <li>{@code reports.<db>.rollup_write} (p50) and {@code reports.<db>.rollup_write.p99}: an update of a random
 *       deal's stage and amount at its version on the {@code Crm} with roll-ups, against the same update on the one
 *       without (goal: at most 1.5 times); {@code --ops} updates of each side (default {@value #DEFAULT_OPS}),
 *       interleaved, after {@value #WARMUP_OPS} of each as warm-up.</li>
 * </ul>
 *
 * A figure is a method of {@link ReportsRun}. PostgreSQL comes from {@value BenchDatabase#POSTGRES_URL_ENV}; when it
 * does not answer, a {@code SKIP} line says so and the suite goes on.
 */
final class ReportsSuite implements Suite {
    static final int DEFAULT_OPS = 2_000;
    static final int WARMUP_OPS = 500;
    static final int DEFAULT_READS = 30;
    static final int WARMUP_READS = 10;

    @Override
    public String name() {
        return "reports";
    }

    @Override
    public String description() {
        return "deals over companies on H2 and PostgreSQL: the pipeline report vs hand-written SQL, a deal update "
                + "with roll-ups on its company vs without";
    }

    @Override
    public int defaultSize() {
        return 1_000_000;
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("db", BenchDatabase.DB_OPTION);
        o.put("ops", "timed updates of each side for rollup_write (default " + DEFAULT_OPS + ")");
        o.put("reads", "timed report runs of each side for pipeline_live (default " + DEFAULT_READS + ")");
        return o;
    }

    @Override
    public void check(BenchConfig config) {
        config.databases();
        config.ops(DEFAULT_OPS);
        reads(config);
    }

    /** The positive number {@code --reads} gives, or {@value #DEFAULT_READS}. */
    static int reads(BenchConfig config) {
        return config.positive("reads", DEFAULT_READS);
    }

    @Override
    public void run(BenchConfig config, BenchOutput out) throws Exception {
        for (String db : config.databases()) {
            String url = db.equals("h2") ? "" : BenchDatabase.answeringPostgres("reports.postgres", out);
            if (url == null) {
                continue;
            }
            long start = System.nanoTime();
            try (BenchDatabase rollupsDb = db.equals("h2") ? BenchDatabase.h2() : BenchDatabase.postgres(url, "r");
                    BenchDatabase plainDb = db.equals("h2") ? BenchDatabase.h2() : BenchDatabase.postgres(url, "p");
                    DealCrm rollups = new DealCrm("with roll-ups", rollupsDb);
                    DealCrm plain = new DealCrm("without roll-ups", plainDb)) {
                note("reports." + db, "with roll-ups on %s, without on %s", rollupsDb, plainDb);
                new ReportsRun(rollupsDb, plainDb, rollups, plain, config, config.ops(DEFAULT_OPS), reads(config))
                        .run(out);
            }
            note("reports." + db, "done in %.0f s", (System.nanoTime() - start) / 1e9);
        }
    }

    static void note(String name, String format, Object... args) {
        System.err.println("# " + name + ": " + String.format(Locale.ROOT, format, args));
        System.err.flush();
    }
}
