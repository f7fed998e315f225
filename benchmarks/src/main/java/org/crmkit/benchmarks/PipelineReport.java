package org.crmkit.benchmarks;

import static org.crmkit.query.Filters.where;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.crmkit.query.Metric;
import org.crmkit.report.ReportDefinition;
import org.crmkit.report.ReportResult;
import org.crmkit.report.ReportTable;
import org.crmkit.schema.Currencies;
import org.crmkit.schema.ExchangeRate;
import org.crmkit.schema.Pipeline;
import org.crmkit.schema.Stage;
import org.jspecify.annotations.Nullable;

/**
 * The pipeline report a sales manager opens, both ways the {@code reports} suite reads it: as a CRMKit
 * {@link ReportDefinition} ({@link #definition}: the deals in an open stage of the {@code sales} pipeline, grouped
 * by stage, with their count, {@code sum(amount.corporate)} and {@code avg(probability)}), and as the grouped SQL a
 * developer would write by hand against the same {@code crm_deal} table ({@link #baseline}), with the same
 * conversion into euros (each amount times the multiplier of its currency's rate in force at its close date,
 * {@link Currencies#multiplier}, as a {@code CASE} in the query) and the same rounding done in Java afterwards (the
 * exact total half-even to cents, the average as the exact sum over the count half-even to 6 places). Both give
 * {@link StageTotals} by stage, so the suite can check that they agree.
 */
final class PipelineReport {
    private PipelineReport() {}

    /** One row of the report. */
    record StageTotals(String stage, long deals, BigDecimal amount, @Nullable BigDecimal probability) {
        /** Equal values compare equal whatever their scale. */
        boolean sameAs(StageTotals o) {
            return stage.equals(o.stage) && deals == o.deals && amount.compareTo(o.amount) == 0
                    && (probability == null ? o.probability == null
                            : o.probability != null && probability.compareTo(o.probability) == 0);
        }
    }

    static final Metric COUNT = Metric.count();
    static final Metric AMOUNT = Metric.sum("amount.corporate");
    static final Metric PROBABILITY = Metric.avg("probability");

    /** The open stages of {@code sales}, in its order. */
    static List<String> openStages(Pipeline sales) {
        return sales.stages().stream().filter(s -> !s.isClosed()).map(Stage::name).toList();
    }

    /** The live pipeline report: open deals by stage, count, total in the corporate currency, average probability. */
    static ReportDefinition definition(Pipeline sales) {
        return ReportDefinition.builder("pipeline_live", "deal").label("Open pipeline by stage")
                .filter(where("stage").in(openStages(sales))).groupBy("stage")
                .metric(COUNT).metric(AMOUNT).metric(PROBABILITY).build();
    }

    /** A report's rows as {@link StageTotals}, by stage, read through its {@link ReportTable}. */
    static Map<String, StageTotals> rows(ReportResult result) {
        ReportTable t = result.table();
        int stage = t.indexOf("stage");
        int count = t.indexOf(COUNT.toString());
        int amount = t.indexOf(AMOUNT.toString());
        int probability = t.indexOf(PROBABILITY.toString());
        Map<String, StageTotals> out = new TreeMap<>();
        for (List<@Nullable Object> row : t.rows()) {
            String s = (String) row.get(stage);
            Object total = row.get(amount);
            out.put(s, new StageTotals(s, ((Number) row.get(count)).longValue(),
                    total == null ? BigDecimal.ZERO : (BigDecimal) total, (BigDecimal) row.get(probability)));
        }
        return out;
    }

    /** Whether two answers hold the same rows. */
    static boolean same(Map<String, StageTotals> a, Map<String, StageTotals> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, StageTotals> e : a.entrySet()) {
            StageTotals other = b.get(e.getKey());
            if (other == null || !e.getValue().sameAs(other)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The hand-written query on {@code dealTable} (quoted as given), for the currencies and rates of
     * {@code currencies} and the open stages of {@code sales}.
     */
    static String baselineSql(String dealTable, Pipeline sales, Currencies currencies) {
        String corporate = java.util.Objects.requireNonNull(currencies.corporate(), "a corporate currency");
        StringBuilder rate = new StringBuilder("case when \"amount__currency\" = '").append(corporate)
                .append("' then 1");
        List<String> codes = currencies.rates().stream().map(ExchangeRate::currency).distinct().sorted().toList();
        for (String code : codes) {
            List<ExchangeRate> rates = currencies.ratesOf(code);
            for (int i = 0; i < rates.size(); i++) {
                // first match wins: rate i is in force before rate i + 1 starts; the newest has no end
                rate.append(" when \"amount__currency\" = '").append(code).append('\'');
                if (i + 1 < rates.size()) {
                    rate.append(" and \"close_date\" < date '").append(date(rates.get(i + 1).effectiveFrom()))
                            .append('\'');
                }
                rate.append(" then ").append(Currencies.multiplier(rates.get(i)).toPlainString());
            }
        }
        rate.append(" end");
        String stages = openStages(sales).stream().map(s -> "'" + s + "'").collect(Collectors.joining(", "));
        return "select \"stage\", count(*), sum(\"amount\" * " + rate + "), sum(\"probability\"), "
                + "count(\"probability\") from \"" + dealTable + "\" where \"deleted_at\" is null and \"stage\" in ("
                + stages + ") group by \"stage\"";
    }

    /** Runs {@code sql} (from {@link #baselineSql}) on a connection of {@code pool}, rounding as CRMKit documents. */
    static Map<String, StageTotals> baseline(DataSource pool, String sql, int corporateDigits) throws SQLException {
        Map<String, StageTotals> out = new TreeMap<>();
        try (Connection c = pool.getConnection();
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String stage = rs.getString(1);
                BigDecimal sum = rs.getBigDecimal(3);
                BigDecimal probabilities = rs.getBigDecimal(4);
                long counted = rs.getLong(5);
                out.put(stage, new StageTotals(stage, rs.getLong(2),
                        sum == null ? BigDecimal.ZERO : sum.setScale(corporateDigits, RoundingMode.HALF_EVEN),
                        probabilities == null || counted == 0 ? null
                                : probabilities.divide(BigDecimal.valueOf(counted), 6, RoundingMode.HALF_EVEN)));
            }
        }
        return out;
    }

    private static String date(LocalDate d) {
        return String.format(Locale.ROOT, "%04d-%02d-%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
    }
}
