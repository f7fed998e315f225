package org.crmkit.storage.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.crmkit.error.StorageException;
import org.crmkit.event.FieldChange;
import org.crmkit.internal.schema.StandardSchema;
import org.crmkit.record.Address;
import org.crmkit.record.Money;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.PicklistOption;
import org.crmkit.schema.Pipeline;
import org.crmkit.schema.SchemaChange;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.schema.Stage;
import org.crmkit.schema.StageKind;
import org.crmkit.schema.ValidationRule;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Stored JSON written by earlier versions still reads: the files under {@code golden/storage} were written by the
 * hand-written codec of CRMKit 0.x (format version 1, without a version field) and must read back as the objects
 * below (text without a {@code "format"} field is version 1). Rewrite them only for a new format version, as new
 * files beside the old ones ({@code -Dcrmkit.golden.write=true}). The samples are shared with {@link StorageJsonTest}.
 */
class StorageJsonGoldenTest {
    private static final UUID A = UUID.fromString("0190a8e2-7c4b-7d3e-9f00-0123456789ab");
    private static final UUID B = UUID.fromString("ffffffff-ffff-ffff-ffff-ffffffffffff");
    private static final String DIR = "golden/storage/";

    private final StorageJson json = new StorageJson();

    static SchemaSnapshot snapshot() {
        List<Field> fields = Arrays.stream(FieldType.values()).map(t -> full(t, sampleDefault(t))).toList();
        List<Field> plain = Arrays.stream(FieldType.values()).map(t -> new Field("p_" + lower(t), t, "P", false,
                false, false, false, false, false, false, null, 0, null, null, 0, List.of(), null, null, null))
                .toList();
        ObjectType gadget = new ObjectType("gadget", "Gädget ✓", true, fields, List.of(
                ValidationRule.of("positive", "f_integer > 0", "must be \"positive\""),
                ValidationRule.of("named", "f_text != ''", "needs a name").on("f_text")));
        ObjectType bare = new ObjectType("bare", "Bare", false, plain, List.of());
        ObjectType empty = new ObjectType("empty", "Empty", true, List.of(), List.of());
        Pipeline renewals = new Pipeline("renewals", "Renewals", List.of(Stage.open("due", "Due", 33),
                new Stage("odd", "Odd", 7, StageKind.WON), Stage.lost("gone", "Gone")));
        Map<String, ObjectType> types = new LinkedHashMap<>(StandardSchema.firstRelease().objectTypes());
        types.put(gadget.name(), gadget);
        types.put(bare.name(), bare);
        types.put(empty.name(), empty);
        Map<String, Pipeline> pipelines = new LinkedHashMap<>();
        pipelines.put(renewals.name(), renewals);
        pipelines.putAll(StandardSchema.create().pipelines());
        return new SchemaSnapshot(42, types, pipelines);
    }

    /** The standard schema with stored duplicate rules on a type and a lead mapping of its own. */
    static SchemaSnapshot salesSnapshot() {
        return StandardSchema.create().apply(schemaChanges().get("set_lead_mapping"))
                .apply(new SchemaChange.SetDuplicateRules("contact", org.crmkit.duplicate.DuplicateRules.builder()
                        .field("last_name", org.crmkit.duplicate.MatchMethod.PHONETIC, 3)
                        .field("email", org.crmkit.duplicate.MatchMethod.EMAIL, 5)
                        .field("phone", org.crmkit.duplicate.MatchMethod.PHONE, 2).threshold(0.85).minimumWeight(4)
                        .mode(org.crmkit.duplicate.DuplicateMode.BLOCK).build()));
    }

    static Map<String, SchemaChange> schemaChanges() {
        Field before = Field.picklist("tier", "gold", "silver").label("Tier");
        Field after = before.options(List.of(PicklistOption.of("gold"), PicklistOption.of("silver").deactivated()))
                .defaultValue("gold").required(true);
        ObjectType type = ObjectType.custom("project", "Project", Field.text("name"), before)
                .withRules(List.of(ValidationRule.of("r", "name != ''", "name please")));
        Map<String, SchemaChange> changes = new LinkedHashMap<>();
        changes.put("add_object_type", new SchemaChange.AddObjectType(type));
        changes.put("delete_object_type", new SchemaChange.DeleteObjectType(type));
        changes.put("add_field", new SchemaChange.AddField("project", full(FieldType.DECIMAL,
                new BigDecimal("0.000"))));
        changes.put("change_field", new SchemaChange.ChangeField("project", before, after));
        changes.put("delete_field", new SchemaChange.DeleteField("project", full(FieldType.RELATION, List.of(B))));
        changes.put("change_rules", new SchemaChange.ChangeRules("project", List.of(
                ValidationRule.of("r", "true", "m").on("name"), ValidationRule.of("s", "false", "n"))));
        changes.put("save_pipeline", new SchemaChange.SavePipeline(
                StandardSchema.create().findPipeline("sales").orElseThrow()));
        changes.put("set_lead_mapping", new SchemaChange.SetLeadMapping(org.crmkit.schema.LeadMapping.builder()
                .byName(false).map("company", "name", "company_name").skip("contact", "description").build()));
        changes.put("set_duplicate_rules", new SchemaChange.SetDuplicateRules("project",
                org.crmkit.duplicate.DuplicateRules.builder().field("name", org.crmkit.duplicate.MatchMethod.FUZZY_NAME,
                        2.5).threshold(0.75).minimumWeight(1).mode(org.crmkit.duplicate.DuplicateMode.WARN).build()));
        return changes;
    }

    /** A change-log entry's field changes: every value type as old and as new value, nulls left out. */
    static List<FieldChange> changes() {
        List<@Nullable Object> values = sampleValues();
        List<FieldChange> changes = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            changes.add(new FieldChange("field_" + i, values.get(i), values.get(values.size() - 1 - i)));
        }
        changes.add(new FieldChange("both_empty", null, null));
        return changes;
    }

    /** Values of every type fields have, with edge cases. */
    static List<@Nullable Object> sampleValues() {
        return Arrays.asList(null, "", "plain", "12", "true", "null", "{\"t\":\"decimal\",\"v\":\"1\"}",
                "ü中😀 \u0000\u0001\u001f\t\r\n\"\\/\u2028\u2029\u007f", 0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, true,
                false, new BigDecimal("1.10"), new BigDecimal("1.1"), new BigDecimal("0"), new BigDecimal("0.000"),
                new BigDecimal("-123456789012345678901234567890.123456789012345678901234567890"),
                new BigDecimal("1E+3"), new BigDecimal("-4.2E-30"), LocalDate.of(1, 1, 1), LocalDate.of(9999, 12, 31),
                LocalDate.of(-44, 3, 15), Instant.parse("2024-06-01T12:34:56.789012Z"),
                Instant.parse("1969-12-31T23:59:59.999999999Z"), Instant.EPOCH, A, B, new UUID(0, 0),
                Money.of("1.00", "EUR"), Money.of("-0.5", "JPY"), new Address(null, null, null, null, null),
                new Address("1 \"Main\" St\nFlat 2", "Zürich", "ZH", "8001", "CH"), List.of(), List.of("x"),
                List.of("b", "a", "b", A.toString()), List.of(A), List.of(B, A, B));
    }

    /** A field of {@code type} with every flag set and every optional property given. */
    static Field full(FieldType type, @Nullable Object defaultValue) {
        return new Field("f_" + lower(type), type, "Label of " + type, true, true, true, true, true, true, true,
                defaultValue, 77, new BigDecimal("-1.50"), new BigDecimal("1E+3"), 3,
                List.of(new PicklistOption("a", "Ä", true), new PicklistOption("b", "B", false)), "company",
                "double(f_integer) * 1.5", FieldType.DECIMAL, true);
    }

    private static String lower(FieldType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }

    static @Nullable Object sampleDefault(FieldType type) {
        return switch (type) {
            case TEXT, PICKLIST -> "a";
            case LONG_TEXT -> "two\nlines";
            case INTEGER -> -5L;
            case DECIMAL -> new BigDecimal("1.10");
            case CURRENCY -> Money.of("12.50", "EUR");
            case PERCENT -> new BigDecimal("12.5");
            case BOOLEAN -> true;
            case DATE -> LocalDate.of(2024, 2, 29);
            case DATETIME -> Instant.parse("2024-01-02T03:04:05.123456Z");
            case EMAIL -> "someone@example.com";
            case PHONE -> "+442079460958";
            case URL -> "https://example.com/a?b=c";
            case MULTI_PICKLIST -> List.of("a", "b");
            case REFERENCE -> A;
            case RELATION -> List.of(A, B);
            case FORMULA -> null;
            case ADDRESS -> new Address("1 Main St", "Leeds", null, "LS1 1AA", "GB");
        };
    }

    @Test
    void theFirstFormatStillReads() {
        assertThat(json.readSnapshot(golden("snapshot-v1.json"))).isEqualTo(snapshot());
        assertThat(json.readSnapshot(golden("snapshot-sales-v1.json"))).isEqualTo(salesSnapshot());
        for (Map.Entry<String, SchemaChange> c : schemaChanges().entrySet()) {
            assertThat(json.readSchemaChange(golden("schema-change-" + c.getKey() + "-v1.json"))).as(c.getKey())
                    .isEqualTo(c.getValue());
        }
        assertThat(json.readChanges(golden("changes-v1.json"))).isEqualTo(changes());
        List<String> lines = golden("values-v1.jsonl").lines().toList();
        List<@Nullable Object> expected = sampleValues();
        assertThat(lines).hasSameSizeAs(expected);
        for (int i = 0; i < lines.size(); i++) {
            Object back = json.readValue(lines.get(i));
            assertThat(back).as(lines.get(i)).isEqualTo(expected.get(i));
            assertThat(back == null ? null : back.getClass()).isEqualTo(
                    expected.get(i) == null ? null : expected.get(i).getClass());
        }
    }

    @Test
    void whatIsWrittenNowReadsBackEqual() {
        assertThat(json.readSnapshot(json.writeSnapshot(snapshot()))).isEqualTo(snapshot());
        assertThat(json.readSnapshot(json.writeSnapshot(salesSnapshot()))).isEqualTo(salesSnapshot());
        for (SchemaChange c : schemaChanges().values()) {
            assertThat(json.readSchemaChange(json.writeSchemaChange(c))).isEqualTo(c);
        }
        assertThat(json.readChanges(json.writeChanges(changes()))).isEqualTo(changes());
        for (Object v : sampleValues()) {
            assertThat(json.readValue(json.writeValue(v))).isEqualTo(v);
        }
    }

    @Test
    void theTextWrittenNowIsTheFirstFormatWithItsVersionInFront() {
        assertThat(json.writeSnapshot(snapshot())).isEqualTo(versioned(golden("snapshot-v1.json")));
        assertThat(json.writeSnapshot(salesSnapshot())).isEqualTo(versioned(golden("snapshot-sales-v1.json")));
        for (Map.Entry<String, SchemaChange> c : schemaChanges().entrySet()) {
            assertThat(json.writeSchemaChange(c.getValue()))
                    .isEqualTo(versioned(golden("schema-change-" + c.getKey() + "-v1.json")));
        }
        assertThat(json.writeChanges(changes())).isEqualTo(golden("changes-v1.json"));
        List<String> lines = golden("values-v1.jsonl").lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            assertThat(json.writeValue(sampleValues().get(i))).isEqualTo(lines.get(i));
        }
    }

    private static String versioned(String firstFormat) {
        return "{\"format\":1," + firstFormat.substring(1);
    }

    @Test
    void documentsCarryTheirFormatAndANewerOneIsRefused() {
        String snapshot = json.writeSnapshot(snapshot());
        assertThat(snapshot).startsWith("{\"format\":1,\"version\":42,");
        assertThat(json.writeSchemaChange(schemaChanges().get("add_field"))).startsWith("{\"format\":1,\"kind\":");
        assertThatThrownBy(() -> json.readSnapshot(snapshot.replace("\"format\":1", "\"format\":2")))
                .isInstanceOf(StorageException.class).hasMessageContaining("newer");
        assertThatThrownBy(() -> json.readSchemaChange(golden("schema-change-add_field-v1.json")
                .replaceFirst("\\{", "{\"format\":\"1\",")))
                .isInstanceOf(StorageException.class);
    }

    static String golden(String name) {
        try (InputStream in = StorageJsonGoldenTest.class.getClassLoader().getResourceAsStream(DIR + name)) {
            assertThat(in).as(DIR + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Writes the golden files of the current format that do not exist yet (a new sample, or a new format version);
     * never over an old file, which is what stored data looks like.
     */
    @Test
    @EnabledIfSystemProperty(named = "crmkit.golden.write", matches = "true")
    void writeGoldenFiles() throws IOException {
        Path dir = Path.of("src/test/resources", DIR);
        Files.createDirectories(dir);
        writeNew(dir.resolve("snapshot-v1.json"), firstFormat(json.writeSnapshot(snapshot())));
        writeNew(dir.resolve("snapshot-sales-v1.json"), firstFormat(json.writeSnapshot(salesSnapshot())));
        for (Map.Entry<String, SchemaChange> c : schemaChanges().entrySet()) {
            writeNew(dir.resolve("schema-change-" + c.getKey() + "-v1.json"),
                    firstFormat(json.writeSchemaChange(c.getValue())));
        }
        writeNew(dir.resolve("changes-v1.json"), json.writeChanges(changes()));
        StringBuilder values = new StringBuilder();
        for (Object v : sampleValues()) {
            values.append(json.writeValue(v)).append('\n');
        }
        writeNew(dir.resolve("values-v1.jsonl"), values.toString());
    }

    /** The text as the first format stored it: without the format field ({@link #versioned} puts it back). */
    private static String firstFormat(String written) {
        return written.replaceFirst("^\\{\"format\":1,", "{");
    }

    private static void writeNew(Path file, String text) throws IOException {
        if (!Files.exists(file)) {
            Files.writeString(file, text);
        }
    }
}
