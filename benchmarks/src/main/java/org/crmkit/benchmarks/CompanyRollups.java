package org.crmkit.benchmarks;

import static org.crmkit.query.Filters.where;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.query.AggregateRow;
import org.crmkit.query.Aggregation;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.crmkit.query.Metric;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.rollup.RecalculationJob;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.Pipeline;
import org.crmkit.schema.Stage;
import org.jspecify.annotations.Nullable;

/**
 * The two roll-up fields of {@code company} over its deals ({@code deal.company}) that the {@code reports} suite
 * keeps: {@value #OPEN_DEALS}, the count of its open deals (stage not closed in the {@code sales} pipeline), and
 * {@value #PIPELINE}, {@link #PIPELINE_METRIC} over the same deals.
 */
final class CompanyRollups {
    static final String OPEN_DEALS = "open_deals";
    static final String PIPELINE = "pipeline";

    /**
     * What {@value #PIPELINE} sums: the amounts of the open deals, which CRMKit totals in the corporate currency (each
     * deal at the rate of its close date). The one place to change what the roll-up sums.
     */
    static final Metric PIPELINE_METRIC = Metric.sum("amount");

    private CompanyRollups() {}

    /** Deals in a stage of the {@code sales} pipeline that is not closed (won or lost). */
    static Filter openDeals(Pipeline sales) {
        List<String> closed = sales.stages().stream().filter(Stage::isClosed).map(Stage::name).toList();
        return Filters.not(where("stage").in(closed));
    }

    /**
     * Adds both fields to {@code company} and waits until the recalculations that adding them started have brought
     * every company up to date.
     */
    static void add(Crm crm) throws Exception {
        Filter open = openDeals(crm.schema().pipeline(Pipeline.DEFAULT));
        crm.schema().addField("company", Field.rollup(OPEN_DEALS, "deal", "company", Metric.count(), open));
        crm.schema().addField("company", Field.rollup(PIPELINE, "deal", "company", PIPELINE_METRIC, open));
        for (RecalculationJob job : crm.admin().rollups().jobs()) {
            job.result().toCompletableFuture().get(Duration.ofHours(2).toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Checks that the roll-ups of the given companies equal a live aggregate of their deals; throws
     * {@link IllegalStateException} naming the first that does not.
     */
    static void check(Crm crm, List<UUID> companyIds) {
        Filter open = openDeals(crm.schema().pipeline(Pipeline.DEFAULT));
        RecordSet companies = crm.as(org.crmkit.security.Principal.SYSTEM).records("company");
        RecordSet deals = crm.as(org.crmkit.security.Principal.SYSTEM).records("deal");
        Metric live = liveMetric(crm);
        for (UUID id : companyIds) {
            Record company = companies.get(id);
            List<AggregateRow> rows = deals.aggregate(Aggregation.total().with(live),
                    Filters.and(where("company").eq(id), open));
            long count = rows.isEmpty() ? 0 : rows.get(0).count();
            Object sum = rows.isEmpty() ? null : rows.get(0).get(live);
            if (!Objects.equals(number(company.get(OPEN_DEALS)), number(count))
                    || !Objects.equals(number(company.get(PIPELINE)), number(sum == null ? 0 : sum))) {
                throw new IllegalStateException("company " + id + ": roll-ups " + OPEN_DEALS + "="
                        + company.get(OPEN_DEALS) + ", " + PIPELINE + "=" + company.get(PIPELINE) + ", its open deals: "
                        + count + ", " + live + "=" + sum);
            }
        }
    }

    /**
     * The metric a live aggregate computes {@value #PIPELINE} with: {@link #PIPELINE_METRIC}, of a currency field's
     * amounts in the corporate currency ({@code <field>.corporate}) as the roll-up totals them.
     */
    private static Metric liveMetric(Crm crm) {
        String field = PIPELINE_METRIC.field();
        boolean currency = field != null && crm.schema().objectType("deal").findField(field)
                .map(f -> f.type() == FieldType.CURRENCY).orElse(false);
        return currency ? new Metric(PIPELINE_METRIC.function(), field + ".corporate") : PIPELINE_METRIC;
    }

    /** A number (or a currency amount) as the check compares it, without trailing zeros. */
    private static @Nullable BigDecimal number(@Nullable Object value) {
        return switch (value) {
            case null -> null;
            case Money m -> m.amount().stripTrailingZeros();
            case BigDecimal d -> d.stripTrailingZeros();
            case Number n -> BigDecimal.valueOf(n.longValue());
            default -> throw new IllegalStateException("not a number: " + value);
        };
    }
}
