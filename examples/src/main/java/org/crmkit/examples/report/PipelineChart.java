package org.crmkit.examples.report;

import static org.crmkit.query.Filters.where;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.query.Filters;
import org.crmkit.query.Metric;
import org.crmkit.record.Money;
import org.crmkit.report.ReportDefinition;
import org.crmkit.report.ReportTable;
import org.crmkit.report.export.ReportExport;
import org.crmkit.schema.Currencies;
import org.crmkit.schema.ExchangeRate;
import org.crmkit.schema.Pipeline;
import org.crmkit.schema.Stage;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.memory.InMemoryStorage;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * The open pipeline as a bar chart: 48 deals in euros, dollars and pounds across the stages of the {@code sales}
 * pipeline, a report of the open ones grouped by stage (count and {@code sum(amount.corporate)}, the amounts in euros
 * at their close dates' rates), run as the sales rep who owns them, printed as CSV ({@link ReportExport}) and drawn
 * with XChart into a PNG, by default {@code target/pipeline.png} (or the path given as the first argument), whose
 * path it prints. Runs in memory and headless:
 *
 * <pre>mvn -q -Pquickstart -DskipTests verify -Dquickstart.mainClass=org.crmkit.examples.report.PipelineChart</pre>
 */
public final class PipelineChart {
    /** The chart's size in pixels. */
    public static final int WIDTH = 800;
    public static final int HEIGHT = 500;

    private PipelineChart() {}

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path png = Path.of(args.length > 0 ? args[0] : "target/pipeline.png").toAbsolutePath();
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).build()) {
            crm.schema().setCurrencies(Currencies.corporate("EUR")
                    .withRate(ExchangeRate.of("USD", "2026-01-01", "1.08"))
                    .withRate(ExchangeRate.of("GBP", "2026-01-01", "0.85")));
            CrmSession rep = crm.as(Principal.user("u-ada", Role.SALES_REP));
            Pipeline sales = crm.schema().pipeline(Pipeline.DEFAULT);
            createDeals(rep, sales, 48);

            List<String> closed = sales.stages().stream().filter(Stage::isClosed).map(Stage::name).toList();
            ReportDefinition pipeline = ReportDefinition.builder("open_pipeline", "deal")
                    .label("Open pipeline by stage")
                    .filter(Filters.not(where("stage").in(closed)))
                    .groupBy("stage").metric(Metric.count()).metric(Metric.sum("amount.corporate")).build();
            ReportTable table = rep.reports().run(pipeline).table();
            ReportExport.csv(table, System.out);

            Files.createDirectories(png.getParent());
            try (OutputStream out = Files.newOutputStream(png)) {
                BitmapEncoder.saveBitmap(chart(table, sales), out, BitmapEncoder.BitmapFormat.PNG);
            }
            System.out.println("chart written to " + png);
        }
    }

    /** {@code count} deals with random stages, amounts, currencies and close dates in 2026, the same every run. */
    private static void createDeals(CrmSession rep, Pipeline sales, int count) {
        Random random = new Random(2026);
        String[] currencies = {"EUR", "EUR", "USD", "GBP"};
        for (int i = 1; i <= count; i++) {
            Stage stage = sales.stages().get(random.nextInt(sales.stages().size()));
            rep.records("deal").create(Map.of("name", "Deal " + i, "stage", stage.name(),
                    "amount", Money.of(1_000L * (5 + random.nextInt(95)), currencies[random.nextInt(4)]),
                    "close_date", LocalDate.of(2026, 1 + random.nextInt(12), 1 + random.nextInt(28))));
        }
    }

    /** A bar per open stage, in the pipeline's order, its height the amount in euros, the deal count in its name. */
    private static CategoryChart chart(ReportTable table, Pipeline sales) {
        int stageColumn = table.indexOf("stage");
        int countColumn = table.indexOf("count(*)");
        int amountColumn = table.indexOf("sum(amount.corporate)");
        List<String> stages = new ArrayList<>();
        List<Number> amounts = new ArrayList<>();
        for (Stage stage : sales.stages()) {
            for (List<?> row : table.rows()) {
                if (stage.name().equals(row.get(stageColumn))) {
                    stages.add(stage.label() + " (" + row.get(countColumn) + ")");
                    Object amount = row.get(amountColumn);
                    amounts.add(amount == null ? BigDecimal.ZERO : (BigDecimal) amount);
                }
            }
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(table.label())
                .xAxisTitle("Stage (deals)").yAxisTitle("Amount (EUR)").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        chart.getStyler().setLabelsVisible(true);
        chart.addSeries("EUR", stages, amounts);
        return chart;
    }
}
