package org.crmkit.storage.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.storage.support.StorageJsonGoldenTest.full;
import static org.crmkit.storage.support.StorageJsonGoldenTest.sampleDefault;
import static org.crmkit.storage.support.StorageJsonGoldenTest.sampleValues;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
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
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class StorageJsonTest {
    private static final UUID A = UUID.fromString("0190a8e2-7c4b-7d3e-9f00-0123456789ab");
    private static final UUID B = UUID.fromString("ffffffff-ffff-ffff-ffff-ffffffffffff");

    private final StorageJson json = new StorageJson();

    @Test
    void standardSchemaRoundTrips() {
        assertSnapshotRoundTrips(StandardSchema.create());
    }

    @Test
    void aLeadMappingOtherThanTheStandardOneRoundTripsAndTheStandardOneIsLeftOut() {
        SchemaSnapshot standard = StandardSchema.create();
        assertThat(json.writeSnapshot(standard)).doesNotContain("leadMapping");
        SchemaSnapshot mapped = standard.with(org.crmkit.schema.LeadMapping.builder().byName(false)
                .map("contact", "title", "title").skip("company", "name").build());
        assertThat(json.writeSnapshot(mapped)).contains("\"leadMapping\":{\"byName\":false,");
        assertSnapshotRoundTrips(mapped);
    }

    @Test
    void everyFieldTypeWithEveryPropertyRoundTrips() {
        List<Field> fields = Arrays.stream(FieldType.values()).map(t -> full(t, sampleDefault(t))).toList();
        ObjectType gadget = new ObjectType("gadget", "Gädget ✓", true, fields, List.of(
                ValidationRule.of("positive", "f_integer > 0", "must be \"positive\""),
                ValidationRule.of("named", "f_text != ''", "needs a name").on("f_text")));
        ObjectType empty = new ObjectType("empty", "Empty", true, List.of(), List.of());
        Pipeline renewals = new Pipeline("renewals", "Renewals", List.of(Stage.open("due", "Due", 33),
                new Stage("odd", "Odd", 7, StageKind.WON), Stage.lost("gone", "Gone")));
        Map<String, ObjectType> types = new LinkedHashMap<>(StandardSchema.create().objectTypes());
        types.put(gadget.name(), gadget);
        types.put(empty.name(), empty);
        Map<String, Pipeline> pipelines = new LinkedHashMap<>();
        pipelines.put(renewals.name(), renewals);
        pipelines.putAll(StandardSchema.create().pipelines());

        assertSnapshotRoundTrips(new SchemaSnapshot(Long.MAX_VALUE, types, pipelines));
    }

    @Test
    void aStagesForecastCategoryIsStoredOnlyWhenItIsNotTheDerivedOneAndOldStagesReadWithTheDerivedOne() {
        Pipeline p = new Pipeline("renewals", "Renewals", List.of(Stage.open("due", "Due", 33),
                Stage.open("sure", "Sure", 90).withForecastCategory(org.crmkit.schema.ForecastCategory.BEST_CASE),
                Stage.open("parked", "Parked", 50).withForecastCategory(org.crmkit.schema.ForecastCategory.OMITTED),
                Stage.won("won", "Won"), Stage.lost("gone", "Gone")));
        SchemaChange save = new SchemaChange.SavePipeline(p);
        String text = json.writeSchemaChange(save);
        assertThat(text).contains("\"name\":\"due\",\"label\":\"Due\",\"probability\":33,\"kind\":\"OPEN\"}")
                .contains("\"kind\":\"OPEN\",\"forecastCategory\":\"BEST_CASE\"}")
                .contains("\"forecastCategory\":\"OMITTED\"}");
        assertThat(json.readSchemaChange(text)).isEqualTo(save);
        // as written before stages had a forecast category
        SchemaChange old = json.readSchemaChange("{\"format\":1,\"kind\":\"save_pipeline\",\"pipeline\":{\"name\":"
                + "\"p\",\"label\":\"P\",\"stages\":[{\"name\":\"a\",\"label\":\"A\",\"probability\":40,"
                + "\"kind\":\"OPEN\"},{\"name\":\"b\",\"label\":\"B\",\"probability\":0,\"kind\":\"LOST\"}]}}");
        assertThat(((SchemaChange.SavePipeline) old).pipeline().stages()).extracting(Stage::forecastCategory)
                .containsExactly(org.crmkit.schema.ForecastCategory.BEST_CASE,
                        org.crmkit.schema.ForecastCategory.OMITTED);
        assertThatThrownBy(() -> json.readSchemaChange("{\"format\":1,\"kind\":\"save_pipeline\",\"pipeline\":"
                + "{\"name\":\"p\",\"label\":\"P\",\"stages\":[{\"name\":\"a\",\"probability\":40,\"kind\":\"OPEN\"}]}}"))
                .isInstanceOf(StorageException.class);
    }

    @Test
    void rollUpFieldsWithEveryKindOfFilterRoundTripWithTheirValueTypes() {
        org.crmkit.query.Filter filter = new org.crmkit.query.Filter.And(List.of(
                org.crmkit.query.Filters.where("qty").gt(5L),
                new org.crmkit.query.Filter.In("color", java.util.Arrays.asList("red", null)),
                new org.crmkit.query.Filter.Between("price", new java.math.BigDecimal("1.50"), null),
                new org.crmkit.query.Filter.Or(List.of(new org.crmkit.query.Filter.IsNull("due"),
                        org.crmkit.query.Filters.where("due").lt(java.time.LocalDate.of(2026, 12, 5)))),
                new org.crmkit.query.Filter.Not(org.crmkit.query.Filters.where("at")
                        .eq(java.time.Instant.parse("2026-12-05T10:15:30.123456Z"))),
                org.crmkit.query.Filters.where("company").eq(java.util.UUID.fromString(
                        "01a2471d-5143-765b-93f9-28d5713f9714")),
                org.crmkit.query.Filters.where("active").eq(true),
                org.crmkit.query.Filters.where("name").contains("acme"),
                org.crmkit.query.Filters.where("tags").hasAny("a", "b")));
        Field rollup = Field.rollup("open_total", "gadget", "company", org.crmkit.query.Metric.sum("price"), filter);
        Field count = Field.rollup("gadgets", "gadget", "company", org.crmkit.query.Metric.count(), null)
                .visibleRegardlessOfInputs(true);
        ObjectType company = StandardSchema.create().objectTypes().get("company");
        Map<String, ObjectType> types = new LinkedHashMap<>(StandardSchema.create().objectTypes());
        List<Field> fields = new java.util.ArrayList<>(company.fields());
        fields.add(rollup);
        fields.add(count);
        types.put("company", company.withFields(fields));
        SchemaSnapshot s = new SchemaSnapshot(3, types, StandardSchema.create().pipelines(),
                org.crmkit.schema.LeadMapping.defaults(), org.crmkit.schema.Currencies.corporate("EUR")
                        .withRate(org.crmkit.schema.ExchangeRate.of("USD", "2026-01-01", "1.10"))
                        .withRate(org.crmkit.schema.ExchangeRate.of("JPY", "2025-12-31", "160")));
        String text = json.writeSnapshot(s);
        assertThat(text).contains("\"currencies\":{\"corporate\":\"EUR\"", "\"rate\":\"1.10\"");
        assertThat(text).contains("\"rollup\":{\"childType\":\"gadget\"", "\"kind\":\"between\"");
        assertSnapshotRoundTrips(s);
        assertThat(json.writeSnapshot(StandardSchema.create())).doesNotContain("rollup", "currencies");
    }

    private void assertSnapshotRoundTrips(SchemaSnapshot s) {
        SchemaSnapshot back = json.readSnapshot(json.writeSnapshot(s));
        assertThat(back).isEqualTo(s);
        assertThat(back.objectTypes().keySet()).containsExactlyElementsOf(s.objectTypes().keySet());
        assertThat(back.pipelines().keySet()).containsExactlyElementsOf(s.pipelines().keySet());
        for (ObjectType t : s.types()) {
            for (Field f : t.fields()) {
                assertSameValue(back.objectTypes().get(t.name()).findField(f.name()).orElseThrow().defaultValue(),
                        f.defaultValue());
            }
        }
    }

    @Test
    void everySchemaChangeVariantRoundTrips() {
        Field before = Field.picklist("tier", "gold", "silver").label("Tier");
        Field after = before.options(List.of(PicklistOption.of("gold"), PicklistOption.of("silver").deactivated()))
                .defaultValue("gold").required(true);
        ObjectType type = ObjectType.custom("project", "Project", Field.text("name"), before)
                .withRules(List.of(ValidationRule.of("r", "name != ''", "name please")));
        List<SchemaChange> changes = List.of(
                new SchemaChange.AddObjectType(type),
                new SchemaChange.DeleteObjectType(type),
                new SchemaChange.AddField("project", full(FieldType.DECIMAL, new BigDecimal("0.000"))),
                new SchemaChange.ChangeField("project", before, after),
                new SchemaChange.DeleteField("project", full(FieldType.RELATION, List.of(B))),
                new SchemaChange.ChangeRules("project", List.of(ValidationRule.of("r", "true", "m").on("name"),
                        ValidationRule.of("s", "false", "n"))),
                new SchemaChange.SavePipeline(StandardSchema.create().findPipeline("sales").orElseThrow()),
                new SchemaChange.SetDuplicateRules("project", org.crmkit.duplicate.DuplicateRules.builder()
                        .field("name", org.crmkit.duplicate.MatchMethod.FUZZY_NAME, 2.5).threshold(0.75)
                        .minimumWeight(1).mode(org.crmkit.duplicate.DuplicateMode.BLOCK).build()),
                new SchemaChange.SetLeadMapping(org.crmkit.schema.LeadMapping.defaults().toBuilder().byName(false)
                        .skip("company", "phone").map("contact", "title", "title").build()),
                new SchemaChange.SetCurrencies(org.crmkit.schema.Currencies.corporate("EUR")
                        .withRate(org.crmkit.schema.ExchangeRate.of("USD", "2026-01-01", "1.0834000000"))));

        assertThat(changes.stream().map(Object::getClass).toList())
                .containsExactlyInAnyOrder(SchemaChange.class.getPermittedSubclasses());
        for (SchemaChange c : changes) {
            String text = json.writeSchemaChange(c);
            assertThat(text).contains("\"kind\":");
            assertThat(json.readSchemaChange(text)).isEqualTo(c);
        }
        assertThat(json.readSchemaChange(json.writeSchemaChange(new SchemaChange.ChangeRules("x", List.of()))))
                .isEqualTo(new SchemaChange.ChangeRules("x", List.of()));
        assertThat(json.readSchemaChange(json.writeSchemaChange(new SchemaChange.SetDuplicateRules("x", null))))
                .isEqualTo(new SchemaChange.SetDuplicateRules("x", null));
        ObjectType withRules = type.withDuplicateRules(org.crmkit.duplicate.DuplicateRules.builder()
                .field("name", org.crmkit.duplicate.MatchMethod.EXACT, 1).build());
        String typeText = json.writeSchemaChange(new SchemaChange.AddObjectType(withRules));
        assertThat(typeText).contains("\"duplicateRules\":");
        assertThat(json.readSchemaChange(typeText)).isEqualTo(new SchemaChange.AddObjectType(withRules));
        assertThat(json.writeSchemaChange(new SchemaChange.AddObjectType(type))).as("none: not written")
                .doesNotContain("duplicateRules");
    }

    @Test
    void everyValueTypeRoundTripsInFieldChanges() {
        List<@Nullable Object> values = sampleValues();
        List<FieldChange> changes = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            changes.add(new FieldChange("field_" + i, values.get(i), values.get(values.size() - 1 - i)));
        }
        changes.add(new FieldChange("both_empty", null, null));

        List<FieldChange> back = json.readChanges(json.writeChanges(changes));

        assertThat(back).isEqualTo(changes);
        for (int i = 0; i < changes.size(); i++) {
            assertSameValue(back.get(i).oldValue(), changes.get(i).oldValue());
            assertSameValue(back.get(i).newValue(), changes.get(i).newValue());
        }
        assertThat(json.readChanges(json.writeChanges(List.of()))).isEmpty();
    }

    @Test
    void everyValueTypeRoundTripsAlone() {
        for (Object v : sampleValues()) {
            assertSameValue(json.readValue(json.writeValue(v)), v);
        }
    }

    @Test
    void theEncodingIsCompactAndStable() {
        assertThat(json.writeChanges(List.of(new FieldChange("stage", null, "new"),
                new FieldChange("amount", Money.of("1.50", "EUR"), null),
                new FieldChange("n", 3L, new BigDecimal("2.50")))))
                .isEqualTo("[{\"f\":\"stage\",\"n\":\"new\"},"
                        + "{\"f\":\"amount\",\"o\":{\"t\":\"money\",\"amount\":\"1.50\",\"currency\":\"EUR\"}},"
                        + "{\"f\":\"n\",\"o\":3,\"n\":{\"t\":\"decimal\",\"v\":\"2.50\"}}]");
        assertThat(json.writeValue(null)).isEqualTo("null");
        assertThat(json.writeValue(true)).isEqualTo("true");
        assertThat(json.writeValue(LocalDate.of(2024, 2, 29))).isEqualTo("{\"t\":\"date\",\"v\":\"2024-02-29\"}");
        assertThat(json.writeValue(Instant.parse("2024-01-02T03:04:05.000001Z")))
                .isEqualTo("{\"t\":\"instant\",\"v\":\"2024-01-02T03:04:05.000001Z\"}");
        assertThat(json.writeValue(A)).isEqualTo("{\"t\":\"uuid\",\"v\":\"" + A + "\"}");
        assertThat(json.writeValue(new Address(null, "Leeds", null, "LS1", null)))
                .isEqualTo("{\"t\":\"address\",\"city\":\"Leeds\",\"postal_code\":\"LS1\"}");
        assertThat(json.writeValue(List.of("a"))).isEqualTo("{\"t\":\"strings\",\"v\":[\"a\"]}");
        assertThat(json.writeValue(List.of(A))).isEqualTo("{\"t\":\"uuids\",\"v\":[\"" + A + "\"]}");
        assertThat(json.writeValue(List.of())).isEqualTo("{\"t\":\"strings\",\"v\":[]}");
    }

    @Test
    void randomTypedValuesRoundTrip() {
        qt().forAll(values()).checkAssert(v -> assertSameValue(json.readValue(json.writeValue(v)), v));
        qt().forAll(lists().of(values()).ofSizeBetween(0, 6), lists().of(values()).ofSizeBetween(0, 6))
                .checkAssert((olds, news) -> {
                    List<FieldChange> changes = new ArrayList<>();
                    for (int i = 0; i < Math.min(olds.size(), news.size()); i++) {
                        changes.add(new FieldChange("f" + i, olds.get(i), news.get(i)));
                    }
                    List<FieldChange> back = json.readChanges(json.writeChanges(changes));
                    assertThat(back).isEqualTo(changes);
                    for (int i = 0; i < changes.size(); i++) {
                        assertSameValue(back.get(i).oldValue(), changes.get(i).oldValue());
                        assertSameValue(back.get(i).newValue(), changes.get(i).newValue());
                    }
                });
    }

    private static Gen<@Nullable Object> values() {
        Gen<String> text = strings().allPossible().ofLengthBetween(0, 12);
        Gen<@Nullable String> part = text.zip(booleans().all(), (s, present) -> present ? s : null);
        Gen<BigDecimal> decimal = longs().all().zip(integers().between(-12, 40), BigDecimal::valueOf);
        Gen<UUID> uuid = longs().all().zip(longs().all(), UUID::new);
        return Generate.oneOf(
                Generate.constant(() -> null),
                object(text),
                object(longs().all()),
                object(booleans().all()),
                object(decimal),
                object(longs().between(LocalDate.MIN.toEpochDay(), LocalDate.MAX.toEpochDay())
                        .map(LocalDate::ofEpochDay)),
                object(longs().between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond())
                        .zip(integers().between(0, 999_999_999), Instant::ofEpochSecond)),
                object(uuid),
                object(decimal.zip(strings().basicLatinAlphabet().ofLength(3), Money::new)),
                object(part.zip(part, part, part, part, Address::new)),
                object(lists().of(text).ofSizeBetween(0, 4)),
                object(lists().of(uuid).ofSizeBetween(0, 4)));
    }

    private static <T> Gen<@Nullable Object> object(Gen<T> gen) {
        return gen.map(Function.<@Nullable Object>identity());
    }

    /** Equal, and of the same Java type (element types for lists, so List<String> never turns into List<UUID>). */
    private static void assertSameValue(@Nullable Object back, @Nullable Object original) {
        assertThat(back).isEqualTo(original);
        if (original instanceof List<?> list) {
            assertThat(((List<?>) back).stream().map(Object::getClass).toList())
                    .isEqualTo(list.stream().map(Object::getClass).toList());
        } else if (original != null) {
            assertThat(back).isExactlyInstanceOf(original.getClass());
        }
    }

    @Test
    void valuesOfOtherTypesAreRefusedOnWrite() {
        assertThatThrownBy(() -> json.writeValue(42)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Integer");
        assertThatThrownBy(() -> json.writeValue(1.5d)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Double");
        assertThatThrownBy(() -> json.writeValue(List.of("a", A))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.util.UUID");
        assertThatThrownBy(() -> json.writeValue(List.of(A, 1L))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Long");
        assertThatThrownBy(() -> json.writeChanges(List.of(new FieldChange("x", null, new StringBuilder("s")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.StringBuilder");
        SchemaSnapshot bad = new SchemaSnapshot(1, Map.of("t", ObjectType.custom("t", "T",
                Field.date("d").defaultValue(java.util.Date.from(Instant.EPOCH)))), Map.of());
        assertThatThrownBy(() -> json.writeSnapshot(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.util.Date");
    }

    @Test
    void malformedJsonIsAStorageException() {
        for (String text : List.of("", "  ", "{", "nope", "[1,2", "1.5", "99999999999999999999", "[]", "\"a\" \"b\"",
                "{}", "{\"t\":\"decimal\"}", "{\"t\":\"decimal\",\"v\":\"abc\"}", "{\"t\":\"decimal\",\"v\":1}",
                "{\"t\":\"warp\",\"v\":\"1\"}", "{\"t\":\"date\",\"v\":\"2024-13-01\"}",
                "{\"t\":\"instant\",\"v\":\"yesterday\"}", "{\"t\":\"uuid\",\"v\":\"x\"}",
                "{\"t\":\"money\",\"amount\":\"1\"}", "{\"t\":\"strings\",\"v\":[1]}", "{\"t\":\"uuids\",\"v\":\"a\"}",
                "{\"t\":\"uuid\",\"t\":\"uuid\",\"v\":\"" + A + "\"}")) {
            assertMalformed(() -> json.readValue(text), text);
        }
        for (String text : List.of("", "{}", "[{}]", "[{\"f\":1}]", "[{\"f\":\"x\",\"n\":1.5}]", "[\"x\"]", "[] []")) {
            assertMalformed(() -> json.readChanges(text), text);
        }
        String good = json.writeSnapshot(StandardSchema.create());
        for (String text : List.of("[]", "{}", good.replace("\"TEXT\"", "\"WARP\""),
                good.replace("\"required\":true", "\"required\":\"yes\""),
                good.replace("\"scale\":2", "\"scale\":99999999999"), good.replace("\"kind\":\"WON\"", "\"kind\":1"),
                good.substring(0, good.length() - 1))) {
            assertMalformed(() -> json.readSnapshot(text), text);
        }
        for (String text : List.of("{}", "{\"kind\":\"rename\"}", "{\"kind\":\"add_field\",\"objectType\":\"x\"}",
                "{\"kind\":\"change_rules\",\"objectType\":\"x\",\"rules\":[{\"name\":\"r\"}]}")) {
            assertMalformed(() -> json.readSchemaChange(text), text);
        }
    }

    /**
     * {@code readChanges} reads whole change lists token by token, {@code readValue} one value through a tree: both
     * must take and refuse the same values, with the same reason, whatever the properties around them.
     */
    @Test
    void fieldChangesReadTokenByTokenAgreeWithTheTreeReadingOfEachValue() {
        List<String> texts = new ArrayList<>();
        sampleValues().forEach(v -> texts.add(json.writeValue(v)));
        texts.addAll(List.of("1.5", "99999999999999999999", "[]", "{}", "{\"t\":\"decimal\"}",
                "{\"t\":\"decimal\",\"v\":\"abc\"}", "{\"t\":\"decimal\",\"v\":1}", "{\"t\":\"decimal\",\"v\":[\"1\"]}",
                "{\"t\":\"warp\",\"v\":\"1\"}", "{\"t\":1}", "{\"t\":null}", "{\"t\":\"date\",\"v\":\"2024-13-01\"}",
                "{\"t\":\"instant\",\"v\":\"yesterday\"}", "{\"t\":\"uuid\",\"v\":\"x\"}",
                "{\"t\":\"money\",\"amount\":\"1\"}", "{\"t\":\"money\",\"amount\":\"1\",\"currency\":null}",
                "{\"t\":\"strings\",\"v\":[1]}", "{\"t\":\"strings\",\"v\":[\"a\",{\"x\":1}]}",
                "{\"t\":\"uuids\",\"v\":\"a\"}", "{\"t\":\"strings\",\"v\":[],\"extra\":{\"deep\":[1,{}]}}",
                "{\"v\":\"1\",\"t\":\"decimal\"}", "{\"t\":\"address\",\"city\":\"Köln\",\"street\":null,\"x\":[1]}",
                "{\"t\":\"address\",\"city\":5}"));
        for (String text : texts) {
            String changes = "[{\"x\":[{\"f\":1}],\"f\":\"field\",\"o\":null,\"n\":" + text
                    + "},{\"n\":true,\"f\":\"b\"}]";
            Object value;
            try {
                value = json.readValue(text);
            } catch (StorageException tree) {
                assertThatThrownBy(() -> json.readChanges(changes)).as(text).isInstanceOf(StorageException.class)
                        .hasMessageEndingWith(tree.getMessage().substring(tree.getMessage().indexOf("JSON: ")));
                continue;
            }
            assertThat(json.readChanges(changes)).as(text).containsExactly(new FieldChange("field", null, value),
                    new FieldChange("b", null, true));
        }
        for (String text : List.of("[{\"f\":\"a\",\"f\":\"b\"}]",
                "[{\"f\":\"a\",\"n\":{\"t\":\"uuid\",\"t\":\"uuid\"}}]",
                "[{\"f\":null}]", "[{\"o\":1}]", "[null]", "[[]]", "{\"f\":\"a\"}", "[{\"f\":\"a\"}] 1",
                "[{\"f\":\"a\"}")) {
            assertMalformed(() -> json.readChanges(text), text);
        }
    }

    private static void assertMalformed(org.assertj.core.api.ThrowableAssert.ThrowingCallable read, String text) {
        assertThatThrownBy(read).as(text).isInstanceOf(StorageException.class).hasMessageStartingWith("cannot read ");
    }
}
