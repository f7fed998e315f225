package org.crmkit.internal.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.internal.schema.NameRules;
import org.crmkit.query.AggregateRow;
import org.crmkit.query.Aggregation;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.crmkit.query.Metric;
import org.crmkit.query.Page;
import org.crmkit.query.Query;
import org.crmkit.record.Record;
import org.crmkit.report.DateRange;
import org.crmkit.report.ReportTable;
import org.crmkit.report.ReportTable.Column;
import org.crmkit.report.StandardReports;
import org.crmkit.schema.ForecastCategory;
import org.crmkit.schema.Pipeline;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.schema.Stage;
import org.crmkit.schema.StageKind;
import org.jspecify.annotations.Nullable;

/**
 * {@link StandardReports} for one session. Counts and amounts are grouped aggregates as the caller
 * ({@link Records#exactAggregate}: converted sums stay exact so that the groups folded here are rounded once, by
 * {@link DealAmounts}); the funnel ({@link StageFunnel}) and the sales cycle read records in pages.
 */
final class SessionStandardReports implements StandardReports {
    /** Records per page where a report reads records. */
    static final int PAGE = 1_000;

    private final Session session;

    SessionStandardReports(Session session) {
        this.session = session;
    }

    private Records records(String type) {
        return session.records(type);
    }

    private SchemaSnapshot schema() {
        return session.engine.schema.compiled().snapshot;
    }

    /** The pipeline of that name, or a {@code ValidationException} naming it. */
    static Pipeline pipeline(SchemaSnapshot schema, String name) {
        return schema.findPipeline(name).orElseThrow(() -> new ValidationException("deal", new FieldError("pipeline",
                FieldErrorCode.UNKNOWN_OPTION, "no pipeline '" + NameRules.shown(name) + "'")));
    }

    @Override
    public ReportTable pipelineByStage(String pipeline) {
        Objects.requireNonNull(pipeline, "pipeline");
        Pipeline p = pipeline(schema(), pipeline);
        List<String> open = p.stages().stream().filter(s -> !s.isClosed()).map(Stage::name).toList();
        Filter filter = Filters.where("pipeline").eq(p.name()).and(Filters.where("stage").in(open));
        DealAmounts amounts = DealAmounts.of(schema());
        Map<String, DealAmounts.Totals> byStage = new HashMap<>();
        for (AggregateRow row : amounts.aggregate(records("deal"), List.of("stage", "probability"), filter)) {
            byStage.computeIfAbsent((String) row.group().get(0), k -> amounts.totals())
                    .add(row, (BigDecimal) row.group().get(1));
        }
        List<List<@Nullable Object>> rows = new ArrayList<>();
        for (Stage s : p.stages()) {
            if (!s.isClosed()) {
                DealAmounts.Totals t = byStage.getOrDefault(s.name(), amounts.totals());
                rows.add(List.of(s.name(), s.label(), t.deals(), t.amount(), t.weighted()));
            }
        }
        return new ReportTable("pipeline_by_stage", "Pipeline by stage: " + p.label(), amountColumns(amounts,
                Column.group("stage", "Stage"), Column.group("stage_label", "Stage label")), rows);
    }

    @Override
    public ReportTable forecast(String pipeline, DateRange closeDates) {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(closeDates, "closeDates");
        Pipeline p = pipeline(schema(), pipeline);
        Filter filter = Filters.where("pipeline").eq(p.name())
                .and(Filters.where("stage").in(p.stages().stream().map(Stage::name).toList()))
                .and(dates("close_date", closeDates));
        DealAmounts amounts = DealAmounts.of(schema());
        Map<LocalDate, Map<ForecastCategory, DealAmounts.Totals>> cells = new TreeMap<>();
        for (AggregateRow row : amounts.aggregate(records("deal"), List.of("close_date.month", "stage",
                "probability"), filter)) {
            ForecastCategory category = p.stage((String) Objects.requireNonNull(row.group().get(1), "stage"))
                    .orElseThrow().forecastCategory();
            cells.computeIfAbsent((LocalDate) Objects.requireNonNull(row.group().get(0), "a close date"),
                    k -> new java.util.EnumMap<>(ForecastCategory.class))
                    .computeIfAbsent(category, k -> amounts.totals()).add(row, (BigDecimal) row.group().get(2));
        }
        List<List<@Nullable Object>> rows = new ArrayList<>();
        cells.forEach((month, byCategory) -> byCategory.forEach((category, t) -> rows.add(List.of(month,
                category.name(), t.deals(), t.amount(), t.weighted()))));
        return new ReportTable("forecast", "Forecast: " + p.label(), amountColumns(amounts,
                Column.group("close_month", "Close month"), Column.group("forecast_category", "Forecast category")),
                rows);
    }

    /** {@code groups}, then the deal count, amount and weighted amount columns of the pipeline and forecast. */
    private static List<Column> amountColumns(DealAmounts amounts, Column... groups) {
        List<Column> columns = new ArrayList<>(List.of(groups));
        columns.add(Column.measure("deals", "Deals"));
        columns.add(Column.measure("amount", amounts.label("Amount")));
        columns.add(Column.measure("weighted_amount", amounts.label("Weighted amount")));
        return columns;
    }

    @Override
    public ReportTable funnel(String pipeline, DateRange created) {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(created, "created");
        Pipeline p = pipeline(schema(), pipeline);
        return new StageFunnel(session, p).run(records("deal"), Filters.where("pipeline").eq(p.name())
                .and(Filters.where("stage").in(p.stages().stream().map(Stage::name).toList()))
                .and(instants("created_at", created)));
    }

    @Override
    public ReportTable winRateByOwner(DateRange closeDates) {
        Objects.requireNonNull(closeDates, "closeDates");
        SchemaSnapshot schema = schema();
        Set<String> closedNames = new java.util.TreeSet<>();
        Set<String> wonNames = new java.util.TreeSet<>();
        for (Pipeline p : schema.pipelines().values()) {
            for (Stage s : p.stages()) {
                if (s.isClosed()) {
                    closedNames.add(s.name());
                }
                if (s.kind() == StageKind.WON) {
                    wonNames.add(s.name());
                }
            }
        }
        Filter inRange = dates("close_date", closeDates);
        Records deals = records("deal");
        Map<String, long[]> counts = new LinkedHashMap<>(); // owner: won, lost, cycle days, cycles
        List<AggregateRow> closed = closedNames.isEmpty() ? List.of() : deals.aggregate(Aggregation.groupBy("owner",
                "pipeline", "stage"), inRange.and(Filters.where("stage").in(List.copyOf(closedNames))));
        for (AggregateRow row : closed) {
            StageKind kind = kind(schema, row.group().get(1), row.group().get(2));
            if (kind != null && kind != StageKind.OPEN) {
                counts.computeIfAbsent((String) row.group().get(0), k -> new long[4])[kind == StageKind.WON ? 0
                        : 1] += row.count();
            }
        }
        if (!wonNames.isEmpty()) {
            Query q = Query.where(inRange.and(Filters.where("stage").in(List.copyOf(wonNames)))).limit(PAGE);
            while (true) {
                Page<Record> page = deals.query(q);
                for (Record d : page.items()) {
                    long[] c = counts.get(d.owner());
                    LocalDate close = (LocalDate) d.get("close_date");
                    if (c != null && close != null
                            && kind(schema, d.get("pipeline"), d.get("stage")) == StageKind.WON) {
                        c[2] += ChronoUnit.DAYS.between(LocalDate.ofInstant(d.createdAt(), ZoneOffset.UTC), close);
                        c[3]++;
                    }
                }
                if (page.nextQuery().isEmpty()) {
                    break;
                }
                q = page.nextQuery().get();
            }
        }
        List<List<@Nullable Object>> rows = new ArrayList<>();
        counts.forEach((owner, c) -> rows.add(java.util.Arrays.asList(owner, c[0], c[1], percent(c[0], c[0] + c[1]),
                c[3] == 0 ? null : BigDecimal.valueOf(c[2]).divide(BigDecimal.valueOf(c[3]), 2,
                        RoundingMode.HALF_EVEN))));
        return new ReportTable("win_rate_by_owner", "Win rate by owner", List.of(Column.group("owner", "Owner"),
                Column.measure("won", "Won"), Column.measure("lost", "Lost"),
                Column.measure("win_rate", "Win rate (%)"),
                Column.measure("avg_sales_cycle_days", "Average sales cycle (days)")), rows);
    }

    private static @Nullable StageKind kind(SchemaSnapshot schema, @Nullable Object pipeline, @Nullable Object stage) {
        if (pipeline == null || stage == null) {
            return null;
        }
        return schema.findPipeline((String) pipeline).flatMap(p -> p.stage((String) stage)).map(Stage::kind)
                .orElse(null);
    }

    @Override
    public ReportTable activitiesPerRepPerWeek(DateRange occurred) {
        Objects.requireNonNull(occurred, "occurred");
        List<String> kinds = List.of("call", "email", "meeting", "note");
        Map<List<@Nullable Object>, long[]> cells = new LinkedHashMap<>(); // (owner, week): all, then per kind
        for (AggregateRow row : records("activity").aggregate(Aggregation.groupBy("owner", "occurred_at.week", "kind"),
                instants("occurred_at", occurred))) {
            long[] c = cells.computeIfAbsent(new ArrayList<>(row.group().subList(0, 2)),
                    k -> new long[1 + kinds.size()]);
            c[0] += row.count();
            int kind = kinds.indexOf(row.group().get(2));
            if (kind >= 0) {
                c[1 + kind] += row.count();
            }
        }
        List<List<@Nullable Object>> rows = new ArrayList<>();
        cells.forEach((key, c) -> rows.add(java.util.Arrays.asList(key.get(0), key.get(1), c[0], c[1], c[2], c[3],
                c[4])));
        return new ReportTable("activities_per_rep_per_week", "Activities per rep per week", List.of(
                Column.group("owner", "Owner"), Column.group("week", "Week"),
                Column.measure("activities", "Activities"),
                Column.measure("calls", "Calls"), Column.measure("emails", "Emails"),
                Column.measure("meetings", "Meetings"), Column.measure("notes", "Notes")), rows);
    }

    @Override
    public ReportTable leadsBySource(DateRange created) {
        Objects.requireNonNull(created, "created");
        Map<@Nullable Object, long[]> bySource = new LinkedHashMap<>(); // source: leads, converted
        for (AggregateRow row : records("lead").aggregate(Aggregation.groupBy("source", "status"),
                instants("created_at", created))) {
            long[] c = bySource.computeIfAbsent(row.group().get(0), k -> new long[2]);
            c[0] += row.count();
            if ("converted".equals(row.group().get(1))) {
                c[1] += row.count();
            }
        }
        List<List<@Nullable Object>> rows = new ArrayList<>();
        bySource.forEach((source, c) -> rows.add(java.util.Arrays.asList(source, c[0], c[1], percent(c[1], c[0]))));
        return new ReportTable("leads_by_source", "Leads by source", List.of(Column.group("source", "Source"),
                Column.measure("leads", "Leads"), Column.measure("converted", "Converted"),
                Column.measure("conversion_rate", "Conversion rate (%)")), rows);
    }

    /** A date field in the range. */
    private static Filter dates(String field, DateRange range) {
        return Filters.where(field).gte(range.from()).and(Filters.where(field).lt(range.until()));
    }

    /** A datetime field (or property) whose UTC date is in the range. */
    static Filter instants(String field, DateRange range) {
        return Filters.where(field).gte(range.start()).and(Filters.where(field).lt(range.end()));
    }

    /** {@code part} as a percent of {@code whole}, scale 2 half-even; null when {@code whole} is 0. */
    static @Nullable BigDecimal percent(long part, long whole) {
        return whole == 0 ? null : BigDecimal.valueOf(part).multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(whole), 2, RoundingMode.HALF_EVEN);
    }
}
