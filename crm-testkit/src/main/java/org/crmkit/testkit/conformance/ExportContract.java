package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.error.AccessDeniedException;
import org.crmkit.error.SchemaException;
import org.crmkit.error.ValidationException;
import org.crmkit.query.Filters;
import org.crmkit.query.Metric;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.Address;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.crmkit.storage.spi.StorageFeature;
import org.junit.jupiter.api.Test;

/**
 * Record export ({@code session.export()}): every field type as CSV text and as typed JSON Lines values, read back
 * with a real CSV parser (FastCSV) and with Jackson; CSV formula injection neutralised; hidden fields and records out
 * of scope absent; a result larger than a page streamed page by page, in order; bad input failing as the query does.
 */
public abstract class ExportContract extends ConformanceContract {
    private static final String GADGET = "gadget";

    /** A custom type with a field of every type, a visible formula, and a secret field with a formula reading it. */
    private void defineGadget() {
        crm().schema().addObjectType(ObjectType.custom(GADGET, "Gadget",
                Field.text("name").required(true), Field.longText("notes"), Field.integer("qty"),
                Field.decimal("price"), Field.currency("amount"), Field.percent("rate"), Field.bool("active"),
                Field.date("due"), Field.datetime("seen_at"), Field.email("email"), Field.phone("phone"),
                Field.url("site"), Field.picklist("color", "red", "green"), Field.multiPicklist("tags", "a", "b", "c"),
                Field.reference("company", "company"), Field.relation("partners", "company"),
                Field.address("addr"), Field.text("secret"),
                Field.formula("shout", FieldType.TEXT, "name + '!'"),
                Field.formula("leak", FieldType.TEXT, "secret + '?'")));
    }

    private static final List<String> GADGET_COLUMNS = List.of("id", "version", "owner", "created_at", "updated_at",
            "name", "notes", "qty", "price", "amount", "amount.currency", "rate", "active", "due", "seen_at", "email",
            "phone", "site", "color", "tags", "company", "partners", "addr.street", "addr.city", "addr.region",
            "addr.postal_code", "addr.country", "secret", "shout", "leak");

    private Record fullGadget(UUID company, UUID partner) {
        return records(GADGET).create(values("name", "Widget, \"big\"", "notes", "line one\nline two", "qty", -5,
                "price", new BigDecimal("1234.50"), "amount", Money.of("99.90", "EUR"), "rate", new BigDecimal("12.5"),
                "active", true, "due", "2026-03-31", "seen_at", "2026-03-31T09:30:00Z", "email", "ada@example.com",
                "phone", "+44 20 7946 0958", "site", "https://example.com/a", "color", "green",
                "tags", List.of("a", "c"), "company", company, "partners", List.of(company, partner),
                "addr", new Address("1 Main St", "Springfield", null, "12345", "US"), "secret", "s3cret"));
    }

    @Test
    void everyFieldTypeBecomesItsText() {
        defineGadget();
        UUID acme = records("company").create(Map.of("name", "Acme")).id();
        UUID beta = records("company").create(Map.of("name", "Beta")).id();
        Record g = fullGadget(acme, beta);
        Record bare = records(GADGET).create(Map.of("name", "bare"));
        StringWriter out = new StringWriter();
        assertThat(system().export().csv(GADGET, Query.all(), out)).isEqualTo(2);
        List<List<String>> rows = csv(out.toString());
        assertThat(out.toString()).endsWith("\r\n");
        assertThat(rows.get(0)).containsExactlyElementsOf(GADGET_COLUMNS);
        assertThat(rows).hasSize(3);
        Map<String, String> row = named(rows.get(0), rows.get(1));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("id", g.id().toString());
        expected.put("version", "1");
        expected.put("owner", g.owner());
        expected.put("created_at", g.createdAt().toString());
        expected.put("updated_at", g.updatedAt().toString());
        expected.put("name", "Widget, \"big\"");
        expected.put("notes", "line one\nline two");
        expected.put("qty", "-5");
        expected.put("price", "1234.50");
        expected.put("amount", "99.90");
        expected.put("amount.currency", "EUR");
        BigDecimal rate = g.find("rate", BigDecimal.class).orElseThrow();
        assertThat(rate).isEqualByComparingTo("12.5");
        expected.put("rate", rate.toPlainString());
        expected.put("active", "true");
        expected.put("due", "2026-03-31");
        expected.put("seen_at", "2026-03-31T09:30:00Z");
        expected.put("email", "ada@example.com");
        // E.164 starts with +, so a phone cell is neutralised like any text (JSON Lines keeps it as it is)
        expected.put("phone", "'+442079460958");
        expected.put("site", "https://example.com/a");
        expected.put("color", "green");
        expected.put("tags", "a;c");
        expected.put("company", acme.toString());
        expected.put("partners", g.getList("partners").stream().map(Object::toString)
                .reduce((a, b) -> a + ";" + b).orElseThrow());
        expected.put("addr.street", "1 Main St");
        expected.put("addr.city", "Springfield");
        expected.put("addr.region", "");
        expected.put("addr.postal_code", "12345");
        expected.put("addr.country", "US");
        expected.put("secret", "s3cret");
        expected.put("shout", "Widget, \"big\"!");
        expected.put("leak", "s3cret?");
        assertThat(row).containsExactlyEntriesOf(expected);
        Map<String, String> empty = named(rows.get(0), rows.get(2));
        assertThat(empty.get("id")).isEqualTo(bare.id().toString());
        assertThat(empty.get("name")).isEqualTo("bare");
        assertThat(empty.get("shout")).isEqualTo("bare!");
        for (String column : List.of("qty", "price", "amount", "amount.currency", "tags", "partners", "addr.city",
                "company", "due")) {
            assertThat(empty.get(column)).as(column).isEmpty();
        }
    }

    @Test
    void jsonLinesParseBackToTheSameValues() throws IOException {
        defineGadget();
        UUID acme = records("company").create(Map.of("name", "Acme")).id();
        UUID beta = records("company").create(Map.of("name", "Beta")).id();
        Record g = fullGadget(acme, beta);
        records(GADGET).create(Map.of("name", "bare"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertThat(system().export().jsonLines(GADGET, Query.all(), bytes)).isEqualTo(2);
        String text = bytes.toString(StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(text).endsWith("\n");
        ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
        assertThat(lines.get(0)).contains("\"price\":1234.50,", "\"phone\":\"+442079460958\"");
        JsonNode full = json.readTree(lines.get(0));
        List<String> names = new ArrayList<>();
        full.fieldNames().forEachRemaining(names::add);
        List<String> jsonNames = GADGET_COLUMNS.stream().filter(c -> !c.equals("amount.currency"))
                .map(c -> c.startsWith("addr.") ? "addr" : c).distinct().toList();
        assertThat(names).containsExactlyElementsOf(jsonNames);
        assertThat(full.get("id").asText()).isEqualTo(g.id().toString());
        assertThat(full.get("version").isIntegralNumber()).isTrue();
        assertThat(full.get("version").asLong()).isEqualTo(1);
        assertThat(full.get("created_at").asText()).isEqualTo(g.createdAt().toString());
        assertThat(full.get("qty").isIntegralNumber()).isTrue();
        assertThat(full.get("qty").asLong()).isEqualTo(-5);
        assertThat(full.get("price").decimalValue()).isEqualTo(new BigDecimal("1234.50"));
        assertThat(full.get("amount").get("amount").decimalValue()).isEqualTo(new BigDecimal("99.90"));
        assertThat(full.get("amount").get("currency").asText()).isEqualTo("EUR");
        assertThat(full.get("rate").decimalValue()).isEqualByComparingTo("12.5");
        assertThat(full.get("active").isBoolean()).isTrue();
        assertThat(full.get("due").asText()).isEqualTo("2026-03-31");
        assertThat(full.get("seen_at").asText()).isEqualTo("2026-03-31T09:30:00Z");
        assertThat(full.get("name").asText()).isEqualTo("Widget, \"big\"");
        assertThat(full.get("notes").asText()).isEqualTo("line one\nline two");
        assertThat(texts(full.get("tags"))).isEqualTo(List.of("a", "c"));
        assertThat(texts(full.get("partners"))).isEqualTo(
                g.getList("partners").stream().map(Object::toString).toList());
        assertThat(full.get("company").asText()).isEqualTo(acme.toString());
        assertThat(full.get("addr").get("city").asText()).isEqualTo("Springfield");
        assertThat(full.get("addr").get("region").isNull()).isTrue();
        assertThat(full.get("addr").get("postal_code").asText()).isEqualTo("12345");
        assertThat(full.get("shout").asText()).isEqualTo("Widget, \"big\"!");
        JsonNode bare = json.readTree(lines.get(1));
        assertThat(bare.get("qty").isNull()).isTrue();
        assertThat(bare.get("amount").isNull()).isTrue();
        assertThat(bare.get("addr").isNull()).isTrue();
        assertThat(bare.get("tags").isArray()).isTrue();
        assertThat(bare.get("tags").size()).isZero();
    }

    @Test
    void textStartingLikeAFormulaIsNeutralised() {
        defineWidget();
        crm().schema().addField(WIDGET, Field.longText("body"));
        List<String> starts = List.of("=", "+", "-", "@", "\t", "\r");
        for (String s : starts) {
            // single-line text refuses CR, long text keeps it
            records(WIDGET).create(values("name", s.equals("\r") ? "=1+2" : s + "HYPERLINK(\"http://x\")",
                    "body", s + "cmd|' /C calc'!A0", "notes", "a" + s.strip() + "=", "qty", -7));
        }
        StringWriter out = new StringWriter();
        system().export().csv(WIDGET, Query.all(), out);
        List<List<String>> rows = csv(out.toString());
        assertThat(rows).hasSize(starts.size() + 1);
        for (int i = 0; i < starts.size(); i++) {
            String start = starts.get(i);
            Map<String, String> row = named(rows.get(0), rows.get(i + 1));
            assertThat(row.get("body")).as("start U+%04X", (int) start.charAt(0))
                    .isEqualTo("'" + start + "cmd|' /C calc'!A0");
            assertThat(row.get("name")).isEqualTo(start.equals("\r") ? "'=1+2"
                    : "'" + start + "HYPERLINK(\"http://x\")");
            assertThat(row.get("notes")).isEqualTo("a" + start.strip() + "=");
            assertThat(row.get("qty")).isEqualTo("-7");
        }
    }

    @Test
    void hiddenFieldsAndRecordsOutOfScopeAreAbsent() throws IOException {
        defineGadget();
        Role rep = Role.builder("export_rep").grant(GADGET, RecordScope.OWN, Permission.READ)
                .field(GADGET, "secret", FieldAccess.HIDDEN).build();
        records(GADGET).create(values("name", "mine", "owner", "ann", "secret", "zebra-42"));
        records(GADGET).create(values("name", "theirs-hush", "owner", "bob", "secret", "zebra-43"));
        Principal ann = Principal.user("ann", rep);
        StringWriter out = new StringWriter();
        assertThat(crm().as(ann).export().csv(GADGET, Query.all(), out)).isEqualTo(1);
        List<List<String>> rows = csv(out.toString());
        assertThat(rows.get(0)).doesNotContain("secret", "leak").contains("shout");
        assertThat(rows).hasSize(2);
        assertThat(out.toString()).doesNotContain("zebra", "theirs-hush", "leak", "secret");
        StringWriter lines = new StringWriter();
        assertThat(crm().as(ann).export().jsonLines(GADGET, Query.all(), lines)).isEqualTo(1);
        assertThat(lines.toString()).doesNotContain("zebra", "theirs-hush", "leak", "secret").contains("mine!");
        JsonNode line = new ObjectMapper().readTree(lines.toString().strip());
        assertThat(line.has("secret")).isFalse();
        assertThat(line.has("leak")).isFalse();
        assertThat(line.get("owner").asText()).isEqualTo("ann");
        // bad input fails as the query does, before anything is written
        StringWriter nothing = new StringWriter();
        assertThatThrownBy(() -> crm().as(ann).export().csv(GADGET, Query.where(Filters.where("secret")
                .eq("zebra-42")), nothing)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> crm().as(ann).export().jsonLines("nope", Query.all(), nothing))
                .isInstanceOf(SchemaException.class);
        assertThatThrownBy(() -> crm().as(ann).export().csv("company", Query.all(), nothing))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> system().export().csv(GADGET, Query.all().limit(0), nothing))
                .isInstanceOf(ValidationException.class);
        assertThat(nothing.toString()).isEmpty();
    }

    @Test
    void aRollupIsExportedWhereItIsVisible() {
        assumeSupported(StorageFeature.AGGREGATES); // roll-ups need it
        defineGadget();
        crm().schema().addField("company", Field.rollup("gadgets", GADGET, "company", Metric.count(), null));
        UUID acme = records("company").create(Map.of("name", "Acme")).id();
        records(GADGET).create(values("name", "g1", "company", acme));
        records(GADGET).create(values("name", "g2", "company", acme));
        StringWriter out = new StringWriter();
        system().export().csv("company", Query.all(), out);
        List<List<String>> rows = csv(out.toString());
        assertThat(named(rows.get(0), rows.get(1))).containsEntry("gadgets", "2");
        // a caller who cannot read every gadget does not see the roll-up: no column
        Role narrow = Role.builder("narrow").grant("company", RecordScope.ALL, Permission.READ)
                .grant(GADGET, RecordScope.OWN, Permission.READ).build();
        StringWriter theirs = new StringWriter();
        crm().as(Principal.user("ann", narrow)).export().csv("company", Query.all(), theirs);
        List<List<String>> limited = csv(theirs.toString());
        assertThat(limited.get(0)).doesNotContain("gadgets").contains("name");
        assertThat(limited).hasSize(2);
    }

    @Test
    void aLargeResultIsStreamedPageByPageInOrder() {
        defineWidget();
        int count = 1_200;
        List<UUID> created = new ArrayList<>();
        system().inTransactionDo(s -> {
            for (int i = 0; i < count; i++) {
                created.add(s.records(WIDGET).create(values("name", "w" + i, "qty", i)).id());
            }
        });
        FlushCounter out = new FlushCounter();
        assertThat(system().export().csv(WIDGET, Query.all(), out)).isEqualTo(count);
        // every page of the query's size written and flushed before the next is read
        List<Integer> expected = new ArrayList<>();
        for (int n = Query.DEFAULT_LIMIT; n <= count; n += Query.DEFAULT_LIMIT) {
            expected.add(n + 1);
        }
        assertThat(out.linesAtFlush).startsWith(expected.toArray(Integer[]::new));
        assertThat(out.linesAtFlush.subList(expected.size(), out.linesAtFlush.size())).allMatch(n -> n == count + 1);
        List<List<String>> rows = csv(out.toString());
        assertThat(rows).hasSize(count + 1);
        List<UUID> ids = rows.subList(1, rows.size()).stream().map(r -> UUID.fromString(r.get(0))).toList();
        assertThat(ids).containsExactlyElementsOf(created);
        StringWriter sorted = new StringWriter();
        system().export().csv(WIDGET, Query.all().orderBy(Sort.desc("qty")).limit(250), sorted);
        List<List<String>> desc = csv(sorted.toString());
        int qty = desc.get(0).indexOf("qty");
        assertThat(desc.subList(1, desc.size()).stream().map(r -> Integer.parseInt(r.get(qty))).toList())
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, count).map(i -> count - 1 - i)
                        .boxed().toList());
        FlushCounter big = new FlushCounter();
        assertThat(system().export().jsonLines(WIDGET, Query.where(Filters.where("qty").gte(200)).limit(500), big))
                .isEqualTo(count - 200);
        assertThat(big.linesAtFlush).startsWith(500, 1000);
    }

    @Test
    void streamsAreUtf8WithoutAByteOrderMark() {
        defineWidget();
        records(WIDGET).create(values("name", "Łukasz ışık 😀", "notes", "naïve, café"));
        StringWriter chars = new StringWriter();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        system().export().csv(WIDGET, Query.all(), chars);
        system().export().csv(WIDGET, Query.all(), bytes);
        assertThat(bytes.toByteArray()[0]).isEqualTo((byte) 'i');
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(chars.toString()).contains("Łukasz ışık 😀");
        StringWriter lineChars = new StringWriter();
        ByteArrayOutputStream lineBytes = new ByteArrayOutputStream();
        system().export().jsonLines(WIDGET, Query.all(), lineChars);
        system().export().jsonLines(WIDGET, Query.all(), lineBytes);
        assertThat(lineBytes.toString(StandardCharsets.UTF_8)).isEqualTo(lineChars.toString())
                .contains("Łukasz ışık 😀");
    }

    @Test
    void aFailingTargetIsAnUncheckedIoException() {
        defineWidget();
        records(WIDGET).create(Map.of("name", "w"));
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
        assertThatThrownBy(() -> system().export().csv(WIDGET, Query.all(), broken))
                .isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> system().export().jsonLines(WIDGET, Query.all(), broken))
                .isInstanceOf(UncheckedIOException.class);
        java.io.OutputStream brokenStream = new java.io.OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }
        };
        assertThatThrownBy(() -> system().export().csv(WIDGET, Query.all(), brokenStream))
                .isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> system().export().jsonLines(WIDGET, Query.all(), brokenStream))
                .isInstanceOf(UncheckedIOException.class);
    }

    /** A writer that keeps what it was given and the number of lines written at each flush. */
    private static final class FlushCounter extends StringWriter {
        final List<Integer> linesAtFlush = new ArrayList<>();

        @Override
        public void flush() {
            linesAtFlush.add((int) toString().chars().filter(c -> c == '\n').count());
        }
    }

    /** The CSV parsed by FastCSV (strict RFC 4180), one list of cells per line. */
    private static List<List<String>> csv(String text) {
        try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(text)) {
            return reader.stream().map(CsvRecord::getFields).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Map<String, String> named(List<String> header, List<String> row) {
        assertThat(row).hasSameSizeAs(header);
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            out.put(header.get(i), row.get(i));
        }
        return out;
    }
}
