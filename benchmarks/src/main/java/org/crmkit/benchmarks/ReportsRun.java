package org.crmkit.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.crmkit.benchmarks.DealData.DealChange;
import org.crmkit.benchmarks.PipelineReport.StageTotals;
import org.crmkit.report.ReportDefinition;
import org.crmkit.report.ReportResult;
import org.crmkit.report.Reports;
import org.crmkit.schema.Pipeline;
import org.crmkit.security.Principal;

/**
 * One database's figures of {@link ReportsSuite}: two {@code Crm}s, each on a database of its own ({@link DealCrm}),
 * loaded with the same companies and deals; {@link #rollups} has the roll-up fields of {@link CompanyRollups} on
 * company, {@link #plain} has none. Each figure is one method that hands {@link #compare} an operation for each
 * side, numbered from 0, and applies it to its own data.
 */
final class ReportsRun {
    private final String name;
    private final BenchDatabase rollupsDb;
    private final BenchDatabase plainDb;
    private final DealCrm rollups;
    private final DealCrm plain;
    private final int ops;
    private final int reads;
    private final Random random;
    private final DealData data;

    /** {@code rollupsDb} and {@code plainDb}: two databases of the same kind (name), one for each side. */
    ReportsRun(BenchDatabase rollupsDb, BenchDatabase plainDb, DealCrm rollups, DealCrm plain, BenchConfig config,
            int ops, int reads) {
        this.name = "reports." + rollupsDb.name;
        this.rollupsDb = rollupsDb;
        this.plainDb = plainDb;
        this.rollups = rollups;
        this.plain = plain;
        this.ops = ops;
        this.reads = reads;
        this.random = new Random(config.seed() * 31 + 7);
        this.data = new DealData(config.size(), config.seed(), plain.crm.schema().pipeline(Pipeline.DEFAULT));
    }

    void run(BenchOutput out) throws Exception {
        load();
        reportReads(out);
        rollupWrite(out);
        summaryReads(out); // last: from here on the Crm without roll-ups keeps a summary on every deal write
    }

    // ---- set-up ------------------------------------------------------------------------------------------

    /**
     * Sets the corporate currency and rates of the data on both sides and loads them (the side without roll-ups
     * first), then adds the roll-up fields to one, waits for their recalculation and checks a few, and refreshes
     * the planner statistics of both.
     */
    private void load() throws Exception {
        for (DealCrm side : List.of(plain, rollups)) {
            side.crm.schema().setCurrencies(DealData.currencies());
            long t0 = System.nanoTime();
            side.loadCompanies(data);
            long t1 = System.nanoTime();
            side.loadDeals(data);
            long t2 = System.nanoTime();
            ReportsSuite.note(name, "%s: %d companies imported in %.1f s, %d deals in %.1f s (%.0f deals/s)",
                    side.label, data.companies(), (t1 - t0) / 1e9, data.deals(), (t2 - t1) / 1e9,
                    data.deals() / ((t2 - t1) / 1e9));
        }
        long t0 = System.nanoTime();
        CompanyRollups.add(rollups.crm);
        ReportsSuite.note(name, "%s: %s and %s (%s) recalculated on %d companies in %.1f s", rollups.label,
                CompanyRollups.OPEN_DEALS, CompanyRollups.PIPELINE, CompanyRollups.PIPELINE_METRIC,
                data.companies(), (System.nanoTime() - t0) / 1e9);
        CompanyRollups.check(rollups.crm, rollups.companyIds(0, data.companies() / 2, data.companies() - 1));
        analyze(rollupsDb);
        analyze(plainDb);
    }

    private static void analyze(BenchDatabase db) throws Exception {
        try (HikariDataSource pool = db.baselinePool()) {
            db.analyze(pool, db.tablePrefix("") + "crm_company");
            db.analyze(pool, db.tablePrefix("") + "crm_deal");
        }
    }

    // ---- figures -----------------------------------------------------------------------------------------

    /**
     * {@code reports.<db>.rollup_write}: {@code update(id, version, {stage, amount})} of a random deal (to another
     * stage, a new amount) on the {@code Crm} whose companies roll up their deals, against the same update of the
     * same deal on the one without roll-ups. Afterwards both sides' deals must be at the same versions, and the
     * roll-ups of the last updates' companies must equal a live aggregate of their deals.
     */
    private void rollupWrite(BenchOutput out) throws Exception {
        List<DealChange> changes = data.changes(ReportsSuite.WARMUP_OPS + ops, random);
        compare(out, "rollup_write", ReportsSuite.WARMUP_OPS, ops, k -> {},
                k -> rollups.updateDeal(changes.get(k).deal(), changes.get(k).values()),
                k -> plain.updateDeal(changes.get(k).deal(), changes.get(k).values()));
        if (!Arrays.equals(rollups.dealVersions(), plain.dealVersions())) {
            throw new IllegalStateException("the two sides' deals are at different versions");
        }
        List<UUID> touched = changes.subList(Math.max(0, changes.size() - 50), changes.size()).stream()
                .map(c -> rollups.companyId(data.companyOf(c.deal()))).distinct().toList();
        CompanyRollups.check(rollups.crm, touched);
    }

    /**
     * The figures that read a report: each runs a {@link ReportDefinition} through CRMKit as the system principal
     * ({@code crm.as(SYSTEM).reports().run(definition)}) on the {@code Crm} without roll-ups, against hand-written
     * SQL on the same tables through a plain HikariCP pool ({@link BenchDatabase#baselinePool}), and both must give
     * the same rows on every run. Before each pair of runs one deal changes (stage and amount, untimed, on both
     * {@code Crm}s, as {@link #rollupWrite} changes them): a live report reads data that moves, and no database
     * may answer from the previous run's result (H2 reuses the last result of an unchanged query, which made the
     * hand-written SQL 40 times faster than it is). A figure is one call of {@link #compareReport}.
     */
    private void reportReads(BenchOutput out) throws Exception {
        Pipeline sales = plain.crm.schema().pipeline(Pipeline.DEFAULT);
        String sql = PipelineReport.baselineSql(plainDb.tablePrefix("") + "crm_deal", sales, DealData.currencies());
        try (HikariDataSource pool = plainDb.baselinePool()) {
            compareReport(out, "pipeline_live", PipelineReport.definition(sales), pool, sql);
        }
    }

    /**
     * {@code reports.<db>.pipeline_summary}: the pipeline report saved as summarised
     * ({@link ReportDefinition#summarised()}, which builds its summary) and run by name, against the same report run
     * live, both through CRMKit on the {@code Crm} without roll-ups; before each pair of runs one deal changes
     * (untimed), so the summary must have moved with it. Every run of both sides must give the same rows, and the
     * summarised one must have come from the summary.
     */
    private void summaryReads(BenchOutput out) throws Exception {
        Pipeline sales = plain.crm.schema().pipeline(Pipeline.DEFAULT);
        Reports reports = plain.crm.as(Principal.SYSTEM).reports();
        ReportDefinition live = PipelineReport.definition(sales);
        long t0 = System.nanoTime();
        ReportDefinition summarised = reports.save(ReportDefinition.builder("pipeline_summary", "deal")
                .label(live.label()).filter(live.filter()).groupBy("stage").metric(PipelineReport.COUNT)
                .metric(PipelineReport.AMOUNT).metric(PipelineReport.PROBABILITY).summarised(true).build());
        ReportsSuite.note(name, "pipeline_summary: saving it built its summary in %.0f ms",
                (System.nanoTime() - t0) / 1e6);
        int runs = ReportsSuite.WARMUP_READS + reads;
        List<ReportResult> kept = new ArrayList<>(runs);
        List<ReportResult> aggregated = new ArrayList<>(runs);
        List<DealChange> changes = data.changes(runs, random);
        compare(out, "pipeline_summary", ReportsSuite.WARMUP_READS, reads,
                k -> plain.updateDeal(changes.get(k).deal(), changes.get(k).values()),
                k -> kept.add(reports.run(summarised.name())), k -> aggregated.add(reports.run(live)));
        for (int k = 0; k < runs; k++) {
            if (kept.get(k).source() != ReportResult.Source.SUMMARY) {
                throw new IllegalStateException("pipeline_summary: run " + k + " did not read the summary");
            }
            if (!PipelineReport.same(PipelineReport.rows(kept.get(k)), PipelineReport.rows(aggregated.get(k)))) {
                throw new IllegalStateException("pipeline_summary: run " + k + " differs from the live report; "
                        + "summary " + kept.get(k).rows() + ", live " + aggregated.get(k).rows());
            }
        }
        ReportsSuite.note(name, "pipeline_summary: both sides gave %s", PipelineReport.rows(kept.get(runs - 1))
                .values());
    }

    /**
     * {@code reports.<db>.<figure>} (p50, and p99): {@code definition} run through CRMKit against {@code sql} on
     * {@code pool} ({@link PipelineReport#baseline}), {@value ReportsSuite#WARMUP_READS} runs of each as warm-up, then
     * {@code --reads} timed, alternating; throws unless every run of both sides gave the same rows.
     */
    private void compareReport(BenchOutput out, String figure, ReportDefinition definition, HikariDataSource pool,
            String sql) throws Exception {
        int runs = ReportsSuite.WARMUP_READS + reads;
        Reports reports = plain.crm.as(Principal.SYSTEM).reports();
        int cents = java.util.Currency.getInstance(DealData.CORPORATE).getDefaultFractionDigits();
        List<ReportResult> crmkit = new ArrayList<>(runs);
        List<Map<String, StageTotals>> baseline = new ArrayList<>(runs);
        List<DealChange> changes = data.changes(runs, random);
        compare(out, figure, ReportsSuite.WARMUP_READS, reads, k -> {
            // untimed, before each pair of runs: one deal moves on both Crms, so that every run reads live data
            rollups.updateDeal(changes.get(k).deal(), changes.get(k).values());
            plain.updateDeal(changes.get(k).deal(), changes.get(k).values());
        }, k -> crmkit.add(reports.run(definition)), k -> baseline.add(PipelineReport.baseline(pool, sql, cents)));
        for (int k = 0; k < runs; k++) {
            Map<String, StageTotals> rows = PipelineReport.rows(crmkit.get(k));
            if (!PipelineReport.same(rows, baseline.get(k))) {
                throw new IllegalStateException(figure + ": run " + k + " differs; CRMKit " + rows.values()
                        + ", SQL " + baseline.get(k).values());
            }
        }
        ReportsSuite.note(name, "%s: both sides gave %s", figure, baseline.get(runs - 1).values());
    }

    // ---- measuring ---------------------------------------------------------------------------------------

    /** The {@code k}-th operation of one side of a figure. */
    @FunctionalInterface
    private interface Operation {
        void run(int k) throws Exception;
    }

    /**
     * Runs operations 0 to {@code warmups + measured - 1} of both sides, one of each in turn (which side goes
     * first alternates) after {@code before} (untimed) of the same number, times each of the last {@code measured}
     * on its own, and reports to {@code out}
     * {@code reports.<db>.<figure>} (p50) and {@code reports.<db>.<figure>.p99}, the first side as CRMKit, the second
     * as the baseline.
     */
    private void compare(BenchOutput out, String figure, int warmups, int measured, Operation before,
            Operation crmkit, Operation baseline) throws Exception {
        Latencies a = new Latencies();
        Latencies b = new Latencies();
        for (int k = 0; k < warmups + measured; k++) {
            before.run(k);
            boolean crmkitFirst = k % 2 == 0;
            long first = timed(crmkitFirst ? crmkit : baseline, k);
            long second = timed(crmkitFirst ? baseline : crmkit, k);
            if (k >= warmups) {
                a.record(crmkitFirst ? first : second);
                b.record(crmkitFirst ? second : first);
            }
        }
        ReportsSuite.note(name, "%s: %d operations of each side after %d of warm-up; p50 %.3f / %.3f ms, p99 %.3f / "
                + "%.3f ms", figure, measured, warmups, a.percentile(50) / 1e6, b.percentile(50) / 1e6,
                a.percentile(99) / 1e6, b.percentile(99) / 1e6);
        out.report(new BenchLine(name + "." + figure, a.percentile(50), b.percentile(50)));
        out.report(new BenchLine(name + "." + figure + ".p99", a.percentile(99), b.percentile(99)));
    }

    private static long timed(Operation op, int k) throws Exception {
        long t0 = System.nanoTime();
        op.run(k);
        return System.nanoTime() - t0;
    }
}
