package org.crmkit.benchmarks;

import static org.crmkit.query.Filters.where;

import com.zaxxer.hikari.HikariDataSource;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.crmkit.RecordSet;
import org.crmkit.benchmarks.DealData.DealChange;
import org.crmkit.query.Filter;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.Record;
import org.crmkit.schema.Pipeline;

/**
 * {@code security.<db>.shared_query} of {@link SecuritySuite}: {@code --size} deals over companies ({@link DealData},
 * as the {@code reports} suite loads them) in one {@code Crm} ({@link DealCrm}) with the access model of
 * {@link SalesTerritories}, and the query a sales director opens: the deals of one open stage sorted by close date,
 * the first page of {@value #PAGE}, and their count ({@code query} and {@code count} through
 * {@code crm.asUser(...).records("deal")}). CRMKit's side runs it as {@value SalesTerritories#USER}, who reaches the
 * deals through three levels of role hierarchy and ten sharing rules; the baseline runs the same as
 * {@value SalesTerritories#ADMIN}, a stored user whose role reads every deal, on the same data in the same run.
 *
 * <p>Before timing, for every open stage: the user's count must be above 0 and below the admin's, equal to the
 * admin's count of the stage and {@link SalesTerritories#reach()} (the hierarchy and the rules written out as a
 * filter), and the user's first page must be the admin's first page of that filter. A timed round runs
 * {@code --queries} queries of each side, the stages in turn; before each query one deal changes stage and amount
 * (untimed), so that every query reads live data (H2 answers an unchanged query from its previous result).
 */
final class SharingRun {
    static final int PAGE = 50;

    private final BenchDatabase db;
    private final String name;
    private final BenchConfig config;
    private final int queries;
    private final Random random;

    SharingRun(BenchDatabase db, BenchConfig config, int queries) {
        this.db = db;
        this.name = "security." + db.name;
        this.config = config;
        this.queries = queries;
        this.random = new Random(config.seed() * 31 + 16);
    }

    void run(BenchOutput out) throws Exception {
        try (DealCrm deals = new DealCrm("deals", db)) {
            Pipeline sales = deals.crm.schema().pipeline(Pipeline.DEFAULT);
            DealData data = new DealData(config.size(), config.seed(), sales);
            deals.crm.schema().setCurrencies(DealData.currencies());
            long t0 = System.nanoTime();
            deals.loadCompanies(data);
            deals.loadDeals(data);
            SecuritySuite.note(name, "%d companies and %d deals imported in %.1f s", data.companies(), data.deals(),
                    (System.nanoTime() - t0) / 1e9);
            try (HikariDataSource pool = db.baselinePool()) {
                db.analyze(pool, db.tablePrefix("") + "crm_deal");
            }
            SalesTerritories territories = SalesTerritories.install(deals.crm.admin().access(), deals, data, sales);
            RecordSet user = deals.crm.asUser(SalesTerritories.USER).records("deal");
            RecordSet admin = deals.crm.asUser(SalesTerritories.ADMIN).records("deal");
            List<String> stages = PipelineReport.openStages(sales);
            check(user, admin, territories, stages, data.deals());
            Timing.Pair t = Timing.interleavedMedians(SecuritySuite.WARMUPS, config.rounds(), queries,
                    pass(user, deals, data, stages), pass(admin, deals, data, stages));
            SecuritySuite.note(name, "shared_query: %d queries (page of %d + count) per round, %d rounds", queries,
                    PAGE, config.rounds());
            out.report(new BenchLine(name + ".shared_query", t.crmkit(), t.baseline()));
        }
    }

    /** The first page of the deals in {@code stage} and {@code filter}, by close date. */
    private static Query page(String stage, Filter filter) {
        return Query.where(where("stage").eq(stage).and(filter)).orderBy(Sort.asc("close_date")).limit(PAGE);
    }

    private static List<UUID> ids(RecordSet deals, Query query) {
        return deals.query(query).items().stream().map(Record::id).toList();
    }

    /** The user reaches exactly {@link SalesTerritories#reach()}, a part of each stage and of all deals. */
    private void check(RecordSet user, RecordSet admin, SalesTerritories territories, List<String> stages,
            int deals) {
        long all = admin.count(Filter.ALL);
        long reached = user.count(Filter.ALL);
        if (all != deals || reached != admin.count(territories.reach())) {
            throw new IllegalStateException("the admin counts " + all + " of " + deals + " deals; the user "
                    + reached + ", the hierarchy and rules written out " + admin.count(territories.reach()));
        }
        for (String stage : stages) {
            Filter inStage = where("stage").eq(stage);
            long u = user.count(inStage);
            long a = admin.count(inStage);
            long expected = admin.count(inStage.and(territories.reach()));
            List<UUID> userPage = ids(user, page(stage, Filter.ALL));
            List<UUID> expectedPage = ids(admin, page(stage, territories.reach()));
            if (u <= 0 || u >= a || u != expected || !userPage.equals(expectedPage)
                    || userPage.size() != Math.min(PAGE, u)) {
                throw new IllegalStateException("stage " + stage + ": the user counts " + u + " deals, the admin "
                        + a + ", the user's reach written out " + expected + "; the user's first page "
                        + (userPage.equals(expectedPage) ? "is" : "is not") + " that of the reach");
            }
        }
        double share = (double) reached / all;
        if (share < 0.05 || share > 0.5) {
            throw new IllegalStateException("the user reaches " + reached + " of " + all + " deals, not a part "
                    + "between 5% and 50%");
        }
        long subordinates = admin.count(territories.hierarchy());
        SecuritySuite.note(name, "shared_query: %s reaches %d of %d deals (%.1f%%; %d through the hierarchy, the "
                + "rest through %d sharing rules), the same as the reach written out, in every open stage %s",
                SalesTerritories.USER, reached, all, 100.0 * share, subordinates, territories.rules(), stages);
    }

    /**
     * One side's pass of {@code --queries} queries: before each, untimed, one deal moves to another stage with a new
     * amount; then the page and the count of the next open stage are timed.
     */
    private Timing.Pass pass(RecordSet deals, DealCrm crm, DealData data, List<String> stages) {
        return pass -> {
            List<DealChange> changes = data.changes(queries, random);
            long elapsed = 0;
            long sum = 0;
            for (int k = 0; k < queries; k++) {
                crm.updateDeal(changes.get(k).deal(), changes.get(k).values());
                String stage = stages.get((pass + k) % stages.size());
                long t0 = System.nanoTime();
                List<Record> page = deals.query(page(stage, Filter.ALL)).items();
                long count = deals.count(where("stage").eq(stage));
                elapsed += System.nanoTime() - t0;
                sum += page.size() + count;
            }
            Timing.consume(sum);
            return elapsed;
        };
    }
}
