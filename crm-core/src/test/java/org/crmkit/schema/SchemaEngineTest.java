package org.crmkit.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.crmkit.query.Filters.where;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.SchemaException.Problem;
import org.crmkit.error.SchemaException;
import org.crmkit.error.ValidationException;
import org.crmkit.internal.schema.NameRules;
import org.crmkit.query.Filters;
import org.crmkit.record.Address;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.security.Principal;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The metadata engine: standard schema, custom types with every field type, definitions checks, pipelines. */
class SchemaEngineTest {
    private Crm crm;
    private Schema schema;

    @BeforeEach
    void setUp() {
        crm = Crm.builder().storage(InMemoryStorage.create()).defaultPhoneRegion("GB").build();
        schema = crm.schema();
    }

    @AfterEach
    void tearDown() {
        crm.close();
    }

    private RecordSet records(String type) {
        return crm.as(Principal.SYSTEM).records(type);
    }

    private static SchemaException schemaError(Runnable r) {
        SchemaException e = catchThrowableOfType(SchemaException.class, r::run);
        assertThat(e).as("expected a SchemaException").isNotNull();
        return e;
    }

    // ---- standard schema ------------------------------------------------------------------------------------

    @Test
    void standardTypesAndFieldsExist() {
        assertThat(schema.objectTypes()).extracting(ObjectType::name)
                .contains("contact", "company", "lead", "deal", "activity", "task");
        assertThat(schema.version()).isPositive();
        for (ObjectType t : schema.objectTypes()) {
            assertThat(t.custom()).isFalse();
            assertThat(t.fields()).allSatisfy(f -> assertThat(f.system()).isTrue());
        }
        ObjectType contact = schema.objectType("contact");
        assertThat(contact.findField("last_name")).get().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FieldType.TEXT);
            assertThat(f.required()).isTrue();
        });
        assertThat(contact.findField("email")).get().extracting(Field::type).isEqualTo(FieldType.EMAIL);
        assertThat(contact.findField("phone")).get().extracting(Field::type).isEqualTo(FieldType.PHONE);
        assertThat(contact.findField("company")).get().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FieldType.REFERENCE);
            assertThat(f.target()).isEqualTo("company");
        });
        ObjectType deal = schema.objectType("deal");
        assertThat(deal.findField("amount")).get().extracting(Field::type).isEqualTo(FieldType.CURRENCY);
        assertThat(deal.findField("stage")).get().extracting(Field::defaultValue).isEqualTo("prospecting");
        assertThat(deal.findField("close_date")).get().extracting(Field::type).isEqualTo(FieldType.DATE);
        assertThat(deal.findField("contacts")).get().extracting(Field::type).isEqualTo(FieldType.RELATION);
        assertThat(schema.objectType("activity").findField("kind")).get().satisfies(f -> assertThat(f.options())
                .extracting(PicklistOption::value).containsExactly("call", "email", "meeting", "note"));
        assertThat(schema.objectType("task").findField("due_date")).isPresent();
        assertThat(schema.objectType("lead").findField("status")).get().extracting(Field::defaultValue)
                .isEqualTo("new");
        assertThat(schema.objectType("company").findField("name")).get().extracting(Field::required)
                .isEqualTo(true);
    }

    @Test
    void salesPipelineHasOrderedStagesWithProbabilities() {
        Pipeline sales = schema.pipeline(Pipeline.DEFAULT);
        assertThat(sales.name()).isEqualTo("sales");
        assertThat(sales.stages()).extracting(Stage::name).containsExactly("prospecting", "qualification",
                "proposal", "negotiation", "closed_won", "closed_lost");
        assertThat(sales.stages()).extracting(Stage::probability).containsExactly(10, 20, 50, 75, 100, 0);
        assertThat(sales.stages()).extracting(Stage::kind).containsExactly(StageKind.OPEN, StageKind.OPEN,
                StageKind.OPEN, StageKind.OPEN, StageKind.WON, StageKind.LOST);
        assertThat(sales.stages()).extracting(Stage::forecastCategory).containsExactly(ForecastCategory.PIPELINE,
                ForecastCategory.PIPELINE, ForecastCategory.BEST_CASE, ForecastCategory.COMMIT,
                ForecastCategory.CLOSED, ForecastCategory.OMITTED);
        assertThat(sales.stage("closed_won")).get().extracting(Stage::isClosed).isEqualTo(true);
        assertThat(sales.indexOf("proposal")).isEqualTo(2);
        assertThat(sales.indexOf("nope")).isEqualTo(-1);
        assertThatThrownBy(() -> schema.pipeline("nope")).isInstanceOf(SchemaException.class);
    }

    @Test
    void searchableIsRefusedOnTypesSearchDoesNotIndex() {
        long version = schema.version();
        for (Field f : List.of(Field.currency("budget"), Field.integer("count"), Field.decimal("ratio"),
                Field.percent("share"), Field.bool("vip"), Field.date("birthday"), Field.datetime("seen_at"),
                Field.address("home"), Field.relation("friends", "contact"),
                Field.formula("twice", FieldType.TEXT, "'x'"))) {
            SchemaException e = schemaError(() -> schema.addField("contact", f.searchable(true)));
            assertThat(e.problem()).as("%s", f.type()).isEqualTo(Problem.INVALID_DEFINITION);
            assertThat(e.field()).contains(f.name());
            assertThat(e.getMessage()).contains(f.type().toString()).contains("TEXT, LONG_TEXT, EMAIL, PHONE, URL, "
                    + "PICKLIST, MULTI_PICKLIST, REFERENCE");
            assertThat(schemaError(() -> schema.addObjectType(ObjectType.custom("gizmo", "Gizmo",
                    Field.text("name").required(true), f.searchable(true)))).problem())
                    .isEqualTo(Problem.INVALID_DEFINITION);
        }
        assertThat(schema.version()).isEqualTo(version);
        for (Field f : List.of(Field.text("nick"), Field.longText("bio"), Field.email("email2"),
                Field.phone("fax"), Field.url("site"), Field.picklist("tier", "a"), Field.multiPicklist("tags", "a"),
                Field.reference("employer", "company"))) {
            assertThat(schema.addField("contact", f.searchable(true)).findField(f.name()).orElseThrow().searchable())
                    .isTrue();
        }
        for (ObjectType t : schema.objectTypes()) {
            assertThat(t.fields()).filteredOn(Field::searchable).extracting(Field::type)
                    .allMatch(org.crmkit.search.support.SearchFields.SEARCHABLE_TYPES::contains);
        }
    }

    @Test
    void celBuiltInNamesAreUsableFieldNamesInRulesAndFormulas() {
        // not reserved: CEL type names, functions and macros are not keywords, and a declared variable wins
        List<String> names = List.of("type", "int", "uint", "double", "bool", "string", "bytes", "list", "map",
                "dyn", "null_type", "size", "has", "all", "exists", "filter", "timestamp", "duration", "matches",
                "value", "order", "select", "from", "where", "user", "key", "index", "table", "date", "year");
        schema.addObjectType(ObjectType.custom("probe", "Probe", names.stream()
                .map(n -> (Field) Field.integer(n)).toArray(Field[]::new)));
        for (String n : names) {
            schema.addRule("probe", ValidationRule.of("r_" + n, n + " == null || " + n + " < 10", n + " too big")
                    .on(n));
            schema.addField("probe", Field.formula("f_" + n, FieldType.INTEGER, n + " * 2"));
            Record r = records("probe").create(Map.of(n, 4L));
            assertThat(r.getLong("f_" + n)).as("formula over %s", n).isEqualTo(8L);
            assertThatThrownBy(() -> records("probe").create(Map.of(n, 12L))).as("rule over %s", n)
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                            .extracting(FieldError::field).contains(n));
        }
    }

    @Test
    void celKeywordsAndRuleVariablesStayReserved() {
        for (String n : List.of("in", "if", "while", "null", "true", "namespace", "is_new", "changed", "prior",
                "event", "now", "id", "owner", "created_at", "xmin", "ctid")) {
            assertThat(schemaError(() -> schema.addField("contact", Field.text(n))).problem()).as(n)
                    .isEqualTo(Problem.RESERVED_NAME);
        }
        // object type names are no CEL variables and no columns
        for (String n : List.of("event", "now", "xmin", "order", "user", "type")) {
            assertThat(schema.addObjectType(ObjectType.custom(n, n, Field.text("name").required(true))).name())
                    .isEqualTo(n);
        }
    }

    @Test
    void everyStandardNamePassesTheNameRules() {
        for (ObjectType t : schema.objectTypes()) {
            NameRules.check(t.name(), null, t.name());
            for (Field f : t.fields()) {
                NameRules.check(t.name(), f.name(), f.name());
                for (PicklistOption o : f.options()) {
                    assertThat(o.value()).matches("[a-z][a-z0-9_]*");
                }
            }
        }
        for (Pipeline p : schema.snapshot().pipelines().values()) {
            NameRules.check("deal", "pipeline", p.name());
            p.stages().forEach(s -> NameRules.check("deal", "stage", s.name()));
        }
    }

    @Test
    void standardTypesAndSystemFieldsCannotBeDeleted() {
        long version = schema.version();
        assertThat(schemaError(() -> schema.deleteObjectType("contact", DataPolicy.DISCARD_DATA)).problem())
                .isEqualTo(Problem.SYSTEM);
        assertThat(schemaError(() -> schema.deleteField("contact", "email", DataPolicy.DISCARD_DATA)).problem())
                .isEqualTo(Problem.SYSTEM);
        assertThat(schemaError(() -> schema.addField("contact", Field.text("email"))).problem())
                .isEqualTo(Problem.DUPLICATE);
        assertThat(schema.version()).isEqualTo(version);
    }

    // ---- custom types with every field type -------------------------------------------------------------------

    private ObjectType addEverything() {
        return schema.addObjectType(ObjectType.custom("thing", "Thing",
                Field.text("title").required(true),
                Field.longText("notes"),
                Field.integer("qty").defaultValue(1),
                Field.decimal("weight").scale(3),
                Field.currency("price"),
                Field.percent("share"),
                Field.bool("active").defaultValue(true),
                Field.date("born"),
                Field.datetime("seen"),
                Field.email("mail"),
                Field.phone("tel"),
                Field.url("site"),
                Field.picklist("size", "s", "m", "l").defaultValue("m"),
                Field.multiPicklist("tags", "red", "green", "blue"),
                Field.reference("company", "company"),
                Field.relation("contacts", "contact"),
                Field.formula("total", FieldType.DECIMAL, "qty == null || weight == null ? 0.0 : double(qty) * weight"),
                Field.address("addr")));
    }

    @Test
    void customTypeWithEveryFieldTypeRoundTripsTypedValues() {
        ObjectType thing = addEverything();
        assertThat(thing.custom()).isTrue();
        assertThat(thing.fields()).extracting(Field::type).containsExactly(FieldType.TEXT, FieldType.LONG_TEXT,
                FieldType.INTEGER, FieldType.DECIMAL, FieldType.CURRENCY, FieldType.PERCENT, FieldType.BOOLEAN,
                FieldType.DATE, FieldType.DATETIME, FieldType.EMAIL, FieldType.PHONE, FieldType.URL,
                FieldType.PICKLIST, FieldType.MULTI_PICKLIST, FieldType.REFERENCE, FieldType.RELATION,
                FieldType.FORMULA, FieldType.ADDRESS);
        assertThat(thing.fields()).noneMatch(Field::system);
        UUID company = records("company").create(Map.of("name", "Acme")).id();
        UUID c1 = records("contact").create(Map.of("last_name", "One")).id();
        UUID c2 = records("contact").create(Map.of("last_name", "Two")).id();
        Instant seen = Instant.parse("2024-03-04T05:06:07.123456789Z");

        Record r = records("thing").create(Map.ofEntries(
                Map.entry("title", "Widget"),
                Map.entry("notes", "line one\nline two\ttabbed"),
                Map.entry("qty", 3),
                Map.entry("weight", "1.5"),
                Map.entry("price", Map.of("amount", "19.9", "currency", "EUR")),
                Map.entry("share", 12.5),
                Map.entry("active", "false"),
                Map.entry("born", "2001-02-03"),
                Map.entry("seen", seen),
                Map.entry("mail", "Ada@Example.COM"),
                Map.entry("tel", "020 7946 0958"),
                Map.entry("site", "example.com/path"),
                Map.entry("size", "l"),
                Map.entry("tags", List.of("blue", "red", "blue")),
                Map.entry("company", company.toString()),
                Map.entry("contacts", List.of(c2, c1)),
                Map.entry("addr", Map.of("street", "1 Main St\nFloor 2", "city", "Springfield", "postal_code",
                        "12345", "country", "US"))));

        for (Record x : List.of(r, records("thing").get(r.id()))) {
            assertThat(x.getString("title")).isEqualTo("Widget");
            assertThat(x.getString("notes")).isEqualTo("line one\nline two\ttabbed");
            assertThat(x.get("qty")).isInstanceOf(Long.class).isEqualTo(3L);
            assertThat(x.getDecimal("weight")).isEqualTo(new BigDecimal("1.500"));
            assertThat(x.getDecimal("weight").scale()).isEqualTo(3);
            assertThat(x.getMoney("price")).isEqualTo(new Money(new BigDecimal("19.90"), "EUR"));
            assertThat(x.getDecimal("share")).isEqualTo(new BigDecimal("12.50"));
            assertThat(x.getBoolean("active")).isFalse();
            assertThat(x.getDate("born")).isEqualTo(LocalDate.of(2001, 2, 3));
            assertThat(x.getInstant("seen")).isEqualTo(Instant.parse("2024-03-04T05:06:07.123456Z"));
            assertThat(x.getString("mail")).isEqualTo("Ada@example.com");
            assertThat(x.getString("tel")).isEqualTo("+442079460958");
            assertThat(x.getString("site")).isEqualTo("https://example.com/path");
            assertThat(x.getString("size")).isEqualTo("l");
            assertThat(x.<String>getList("tags")).containsExactly("red", "blue");
            assertThat(x.getReference("company")).isEqualTo(company);
            assertThat(x.<UUID>getList("contacts")).containsExactlyInAnyOrder(c1, c2).hasSize(2);
            assertThat(x.getDecimal("total")).isEqualByComparingTo("4.5");
            assertThat(x.getAddress("addr")).isEqualTo(new Address("1 Main St\nFloor 2", "Springfield", null,
                    "12345", "US"));
        }
        assertThat(records("thing").count(where("addr.city").eq("Springfield"))).isEqualTo(1);
        assertThat(records("thing").count(where("price.currency").eq("EUR"))).isEqualTo(1);
        assertThat(records("thing").count(where("tags").hasAll("red", "blue"))).isEqualTo(1);
    }

    @Test
    void javaValuesAreAcceptedAsWellAsText() {
        addEverything();
        Record r = records("thing").create(Map.of("title", "J", "qty", 7L, "weight", new BigDecimal("2.25"),
                "price", Money.of("5", "JPY"), "share", 50, "born", LocalDate.of(2020, 1, 1),
                "seen", java.time.OffsetDateTime.parse("2024-01-01T10:00:00+02:00"), "addr",
                new Address(null, "Paris", null, null, "FR"), "tags", "green;red"));
        assertThat(r.getLong("qty")).isEqualTo(7L);
        assertThat(r.getDecimal("weight")).isEqualTo(new BigDecimal("2.250"));
        assertThat(r.getMoney("price")).isEqualTo(new Money(new BigDecimal("5.00"), "JPY"));
        assertThat(r.getInstant("seen")).isEqualTo(Instant.parse("2024-01-01T08:00:00Z"));
        assertThat(r.<String>getList("tags")).containsExactly("red", "green");
        assertThat(records("thing").create(Map.of("title", "USD", "price", 10)).getMoney("price"))
                .isEqualTo(new Money(new BigDecimal("10.00"), "USD"));
    }

    @Test
    void defaultsAreAppliedOnCreateAndCanBeOverriddenOrCleared() {
        addEverything();
        Record r = records("thing").create(Map.of("title", "D"));
        assertThat(r.getLong("qty")).isEqualTo(1L);
        assertThat(r.getBoolean("active")).isTrue();
        assertThat(r.getString("size")).isEqualTo("m");
        assertThat(r.has("notes")).isFalse();
        assertThat(r.getDecimal("total")).isEqualByComparingTo("0");
        Map<String, Object> cleared = new java.util.HashMap<>();
        cleared.put("title", "E");
        cleared.put("qty", null);
        cleared.put("size", "s");
        Record e = records("thing").create(cleared);
        assertThat(e.has("qty")).isFalse();
        assertThat(e.getString("size")).isEqualTo("s");
        assertThat(records("deal").create(Map.of("name", "d")).getString("pipeline")).isEqualTo("sales");
    }

    @Test
    void requiredFieldsMustHaveAValue() {
        addEverything();
        ValidationException e = catchThrowableOfType(ValidationException.class,
                () -> records("thing").create(Map.of("title", "   ")));
        assertThat(e.errors()).containsExactly(new FieldError("title", FieldErrorCode.REQUIRED, "title is required"));
        Record r = records("thing").create(Map.of("title", "T"));
        Map<String, Object> clear = new java.util.HashMap<>();
        clear.put("title", null);
        assertThat(catchThrowableOfType(ValidationException.class, () -> records("thing").update(r, clear))
                .errors()).extracting(FieldError::code).containsExactly(FieldErrorCode.REQUIRED);
    }

    @Test
    void formulasAreComputedOnReadAndFollowUpdates() {
        addEverything();
        Record r = records("thing").create(Map.of("title", "F", "qty", 2, "weight", 1.25));
        assertThat(r.getDecimal("total")).isEqualByComparingTo("2.5");
        Record u = records("thing").update(r, Map.of("qty", 4));
        assertThat(u.getDecimal("total")).isEqualByComparingTo("5");
        assertThat(records("thing").get(r.id()).getDecimal("total")).isEqualByComparingTo("5");
        schema.addField("thing", Field.formula("label", FieldType.TEXT, "title + ' x' + string(qty)"));
        assertThat(records("thing").get(r.id()).getString("label")).isEqualTo("F x4");
        schema.addField("thing", Field.formula("born_later", FieldType.DATE, "born"));
        Record b = records("thing").create(Map.of("title", "B", "born", "1999-12-31"));
        assertThat(b.getDate("born_later")).isEqualTo(LocalDate.of(1999, 12, 31));
    }

    @Test
    void formulasAndRulesWithTyposFailAtDefinition() {
        addEverything();
        long version = schema.version();
        for (Field bad : List.of(
                Field.formula("f1", FieldType.DECIMAL, "wieght * 2.0"),
                Field.formula("f2", FieldType.INTEGER, "title"),
                Field.formula("f3", FieldType.BOOLEAN, "title > 3"),
                Field.formula("f4", FieldType.TEXT, "qty +"),
                Field.formula("f5", FieldType.INTEGER, "total"),
                Field.formula("f6", FieldType.DATE, "born > 3"))) {
            SchemaException e = schemaError(() -> schema.addField("thing", bad));
            assertThat(e.problem()).as(bad.expression()).isEqualTo(Problem.INVALID_EXPRESSION);
            assertThat(e.field()).contains(bad.name());
            assertThat(e.getMessage()).contains(bad.name());
        }
        SchemaException rule = schemaError(() -> schema.addRule("thing", ValidationRule.of("r", "title > 3", "m")));
        assertThat(rule.problem()).isEqualTo(Problem.INVALID_EXPRESSION);
        assertThat(rule.getMessage()).contains("rule r");
        SchemaException typo = schemaError(() -> schema.addRule("thing", ValidationRule.of("r", "titel != ''", "m")));
        assertThat(typo.problem()).isEqualTo(Problem.INVALID_EXPRESSION);
        assertThat(typo.getMessage()).contains("titel");
        assertThat(schema.version()).isEqualTo(version);
    }

    @Test
    void aCustomTypeWithABadRuleIsRefusedWhole() {
        ObjectType withRule = new ObjectType("gizmo", "Gizmo", true, List.of(Field.text("title")),
                List.of(ValidationRule.of("r", "titl != ''", "m")));
        assertThat(schemaError(() -> schema.addObjectType(withRule)).problem())
                .isEqualTo(Problem.INVALID_EXPRESSION);
        assertThat(schema.findObjectType("gizmo")).isEmpty();
    }

    @Test
    void fieldsUsedByRulesOrFormulasCannotBeDeleted() {
        addEverything();
        schema.addRule("thing", ValidationRule.of("has_mail", "mail != null || tel != null", "need mail or phone"));
        SchemaException e = schemaError(() -> schema.deleteField("thing", "mail", DataPolicy.DISCARD_DATA));
        assertThat(e.problem()).isEqualTo(Problem.IN_USE);
        assertThat(e.getMessage()).contains("mail");
        SchemaException f = schemaError(() -> schema.deleteField("thing", "weight", DataPolicy.DISCARD_DATA));
        assertThat(f.problem()).isEqualTo(Problem.IN_USE);
        assertThat(schema.objectType("thing").findField("mail")).isPresent();
        schema.removeRule("thing", "has_mail");
        schema.deleteField("thing", "mail", DataPolicy.DISCARD_DATA);
        assertThat(schema.objectType("thing").findField("mail")).isEmpty();
        schema.deleteField("thing", "total", DataPolicy.REFUSE_IF_DATA);
        schema.deleteField("thing", "weight", DataPolicy.REFUSE_IF_DATA);
    }

    @Test
    void deletingAFieldWithDataNeedsDiscard() {
        schema.addField("contact", Field.text("nickname"));
        Record r = records("contact").create(Map.of("last_name", "L", "nickname", "N"));
        assertThat(schemaError(() -> schema.deleteField("contact", "nickname", DataPolicy.REFUSE_IF_DATA)).problem())
                .isEqualTo(Problem.HAS_DATA);
        schema.deleteField("contact", "nickname", DataPolicy.DISCARD_DATA);
        assertThat(records("contact").get(r.id()).has("nickname")).isFalse();
    }

    @Test
    void referencesToMissingTypesAreRefused() {
        long version = schema.version();
        SchemaException e = schemaError(() -> schema.addField("contact", Field.reference("sponsor", "sponsor")));
        assertThat(e.problem()).isEqualTo(Problem.INVALID_DEFINITION);
        assertThat(e.getMessage()).contains("sponsor");
        assertThat(schemaError(() -> schema.addObjectType(ObjectType.custom("x_a", "A",
                Field.relation("others", "x_b")))).problem()).isEqualTo(Problem.INVALID_DEFINITION);
        assertThat(schema.version()).isEqualTo(version);
        ObjectType self = schema.addObjectType(ObjectType.custom("node", "Node", Field.reference("parent", "node")));
        assertThat(self.findField("parent")).get().extracting(Field::target).isEqualTo("node");
    }

    @Test
    void referencedTypesCannotBeDeleted() {
        schema.addObjectType(ObjectType.custom("project", "Project", Field.text("title")));
        schema.addField("deal", Field.reference("project", "project"));
        assertThat(schemaError(() -> schema.deleteObjectType("project", DataPolicy.DISCARD_DATA)).problem())
                .isEqualTo(Problem.IN_USE);
        schema.deleteField("deal", "project", DataPolicy.DISCARD_DATA);
        records("project").create(Map.of("title", "p"));
        assertThat(schemaError(() -> schema.deleteObjectType("project", DataPolicy.REFUSE_IF_DATA)).problem())
                .isEqualTo(Problem.HAS_DATA);
        schema.deleteObjectType("project", DataPolicy.DISCARD_DATA);
        assertThat(schema.findObjectType("project")).isEmpty();
        assertThatThrownBy(() -> records("project")).isInstanceOf(SchemaException.class);
    }

    @Test
    void requiredFieldOnATypeWithRecordsNeedsADefaultThatIsBackfilled() {
        Record before = records("company").create(Map.of("name", "Acme"));
        long version = schema.version();
        SchemaException e = schemaError(() -> schema.addField("company", Field.text("region").required(true)));
        assertThat(e.problem()).isEqualTo(Problem.HAS_DATA);
        assertThat(e.getMessage()).contains("region");
        assertThat(schema.version()).isEqualTo(version);

        schema.addField("company", Field.picklist("tier", "gold", "silver").required(true).defaultValue("silver"));
        assertThat(records("company").get(before.id()).getString("tier")).isEqualTo("silver");
        assertThat(records("company").count(where("tier").eq("silver"))).isEqualTo(1);
        assertThat(records("company").create(Map.of("name", "New")).getString("tier")).isEqualTo("silver");
        schema.addField("company", Field.integer("tier_rank").required(true).defaultValue("5"));
        assertThat(records("company").get(before.id()).getLong("tier_rank")).isEqualTo(5L);
        // a required field on an empty type needs no default
        schema.addObjectType(ObjectType.custom("empty_one", "Empty"));
        schema.addField("empty_one", Field.text("must").required(true));
    }

    @Test
    void badDefaultsAreRefused() {
        assertThat(schemaError(() -> schema.addField("company", Field.integer("n").defaultValue("x"))).problem())
                .isEqualTo(Problem.INVALID_DEFINITION);
        assertThat(schemaError(() -> schema.addField("company", Field.picklist("p", "a").defaultValue("b")))
                .problem()).isEqualTo(Problem.INVALID_DEFINITION);
    }

    /** Unique and indexed text is capped at 500 characters so that every database can index it. */
    @Test
    void uniqueAndIndexedTextIsAtMost500Characters() {
        long version = schema.version();
        for (Field f : List.of(Field.text("code").maxLength(501).unique(true),
                Field.text("code").maxLength(4000).indexed(true))) {
            SchemaException e = schemaError(() -> schema.addField("company", f));
            assertThat(e.problem()).isEqualTo(Problem.INVALID_DEFINITION);
            assertThat(e.getMessage()).contains("code").contains("500");
        }
        assertThat(schema.version()).isEqualTo(version);
        schema.addField("company", Field.text("code").maxLength(500).unique(true).indexed(true));
        schema.addField("company", Field.text("notes_short").maxLength(4000));
    }

    @Test
    void picklistOptionsInUseCanOnlyBeDeactivated() {
        schema.addField("company", Field.picklist("tier", "gold", "silver"));
        Record r = records("company").create(Map.of("name", "A", "tier", "gold"));
        assertThat(schemaError(() -> schema.setPicklistOptions("company", "tier",
                List.of(PicklistOption.of("silver")))).problem()).isEqualTo(Problem.HAS_DATA);
        schema.setPicklistOptions("company", "tier", List.of(PicklistOption.of("gold").deactivated(),
                PicklistOption.of("silver")));
        assertThat(records("company").update(r, Map.of("name", "B", "tier", "gold")).getString("tier"))
                .isEqualTo("gold");
        assertThat(catchThrowableOfType(ValidationException.class, () -> records("company").create(Map.of(
                "name", "C", "tier", "gold"))).errors()).extracting(FieldError::code)
                .containsExactly(FieldErrorCode.UNKNOWN_OPTION);
    }

    @Test
    void deprecatedFieldsAreReadableButNotWritable() {
        schema.addField("contact", Field.text("fax").required(true).defaultValue("none"));
        Record r = records("contact").create(Map.of("last_name", "L", "fax", "123"));
        ObjectType changed = schema.deprecateField("contact", "fax");
        assertThat(changed.findField("fax")).get().satisfies(f -> {
            assertThat(f.deprecated()).isTrue();
            assertThat(f.required()).isFalse();
        });
        assertThat(records("contact").get(r.id()).getString("fax")).isEqualTo("123");
        assertThat(catchThrowableOfType(ValidationException.class, () -> records("contact").update(r,
                Map.of("fax", "456"))).errors()).extracting(FieldError::code)
                .containsExactly(FieldErrorCode.DEPRECATED);
        assertThat(records("contact").create(Map.of("last_name", "M")).has("fax")).isFalse();
    }

    // ---- pipelines ---------------------------------------------------------------------------------------------

    @Test
    void savePipelineValidatesItsDefinition() {
        long version = schema.version();
        assertThat(schemaError(() -> schema.savePipeline(new Pipeline("p", "P", List.of()))).problem())
                .isEqualTo(Problem.INVALID_DEFINITION);
        assertThat(schemaError(() -> schema.savePipeline(new Pipeline("p", "P", List.of(Stage.won("w", "W")))))
                .problem()).isEqualTo(Problem.INVALID_DEFINITION);
        assertThat(schemaError(() -> schema.savePipeline(new Pipeline("p", "P", List.of(Stage.open("a", "A", 10),
                Stage.open("a", "A again", 20))))).problem()).isEqualTo(Problem.DUPLICATE);
        assertThat(schemaError(() -> schema.savePipeline(new Pipeline("p", "P", List.of(Stage.open("a", "A", 101)))))
                .problem()).isEqualTo(Problem.INVALID_DEFINITION);
        assertThat(schemaError(() -> schema.savePipeline(new Pipeline("p", "P", List.of(Stage.open("a", "A", -1)))))
                .problem()).isEqualTo(Problem.INVALID_DEFINITION);
        assertThat(schemaError(() -> schema.savePipeline(new Pipeline("p", "", List.of(Stage.open("a", "A", 1)))))
                .problem()).isEqualTo(Problem.INVALID_DEFINITION);
        assertThat(schemaError(() -> schema.savePipeline(new Pipeline("P q", "P", List.of(Stage.open("a", "A", 1)))))
                .problem()).isEqualTo(Problem.INVALID_NAME);
        // forecast categories fit the kind: won CLOSED, lost OMITTED, open anything but CLOSED
        for (Stage bad : List.of(Stage.won("w", "W").withForecastCategory(ForecastCategory.COMMIT),
                Stage.lost("l", "L").withForecastCategory(ForecastCategory.CLOSED),
                Stage.open("o", "O", 90).withForecastCategory(ForecastCategory.CLOSED))) {
            assertThat(schemaError(() -> schema.savePipeline(new Pipeline("p", "P", List.of(Stage.open("a", "A", 1),
                    bad)))).getMessage()).as(bad.toString()).contains("forecast category");
        }
        assertThat(schema.version()).isEqualTo(version);
        assertThat(schema.snapshot().findPipeline("p")).isEmpty();
    }

    private Pipeline partners() {
        return schema.savePipeline(new Pipeline("partners", "Partners", List.of(Stage.open("intro", "Intro", 5),
                Stage.open("trial", "Trial", 40), Stage.won("signed", "Signed"), Stage.lost("dropped", "Dropped"))));
    }

    @Test
    void aDealsStageMustBelongToItsPipeline() {
        partners();
        RecordSet deals = records("deal");
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> deals.create(Map.of(
                "name", "D", "pipeline", "partners", "stage", "proposal")));
        assertThat(e.errors()).extracting(FieldError::field, FieldError::code).containsExactly(
                org.assertj.core.groups.Tuple.tuple("stage", FieldErrorCode.INVALID_STAGE));
        assertThat(e.getMessage()).contains("proposal").contains("partners");
        ValidationException noSuch = catchThrowableOfType(ValidationException.class, () -> deals.create(Map.of(
                "name", "D", "stage", "made_up")));
        assertThat(noSuch.errors()).extracting(FieldError::code).containsExactly(FieldErrorCode.INVALID_STAGE);
        ValidationException noPipeline = catchThrowableOfType(ValidationException.class, () -> deals.create(Map.of(
                "name", "D", "pipeline", "nope")));
        assertThat(noPipeline.errors()).extracting(FieldError::field).containsExactly("pipeline");
        assertThat(deals.count(Filters.all())).isZero();

        Record d = deals.create(Map.of("name", "D", "pipeline", "partners", "stage", "intro"));
        assertThat(d.getDecimal("probability")).isEqualByComparingTo("5");
        assertThat(catchThrowableOfType(ValidationException.class, () -> deals.update(d, Map.of("pipeline",
                "sales"))).errors()).extracting(FieldError::code).containsExactly(FieldErrorCode.INVALID_STAGE);
        Record moved = deals.update(d, Map.of("pipeline", "sales", "stage", "qualification"));
        assertThat(moved.getDecimal("probability")).isEqualByComparingTo("20");
    }

    @Test
    void movingStageSetsProbabilityUnlessGiven() {
        RecordSet deals = records("deal");
        Record d = deals.create(Map.of("name", "D"));
        assertThat(d.getString("stage")).isEqualTo("prospecting");
        assertThat(d.getDecimal("probability")).isEqualTo(new BigDecimal("10.00"));
        Record p = deals.update(d, Map.of("stage", "proposal"));
        assertThat(p.getDecimal("probability")).isEqualByComparingTo("50");
        Record own = deals.update(p, Map.of("stage", "negotiation", "probability", 60));
        assertThat(own.getDecimal("probability")).isEqualByComparingTo("60");
        Record kept = deals.update(own, Map.of("name", "Renamed"));
        assertThat(kept.getDecimal("probability")).isEqualByComparingTo("60");
        Record manual = deals.update(kept, Map.of("probability", 65));
        assertThat(manual.getString("stage")).isEqualTo("negotiation");
        assertThat(manual.getDecimal("probability")).isEqualByComparingTo("65");
        assertThat(deals.update(manual, Map.of("stage", "closed_won")).getDecimal("probability"))
                .isEqualByComparingTo("100");
        Record lost = deals.create(Map.of("name", "L", "stage", "closed_lost"));
        assertThat(lost.getDecimal("probability")).isEqualByComparingTo("0");
    }

    @Test
    void stagesHoldingDealsCannotBeRemoved() {
        Pipeline p = partners();
        records("deal").create(Map.of("name", "D", "pipeline", "partners", "stage", "trial"));
        SchemaException e = schemaError(() -> schema.savePipeline(new Pipeline("partners", "Partners",
                p.stages().stream().filter(s -> !s.name().equals("trial")).toList())));
        assertThat(e.problem()).isEqualTo(Problem.HAS_DATA);
        assertThat(e.getMessage()).contains("trial");
        Pipeline relabelled = schema.savePipeline(new Pipeline("partners", "Partner deals",
                p.stages().stream().filter(s -> !s.name().equals("intro")).toList()));
        assertThat(relabelled.stages()).extracting(Stage::name).containsExactly("trial", "signed", "dropped");
        assertThat(schema.pipeline("partners").label()).isEqualTo("Partner deals");
    }

    // ---- versions and history ---------------------------------------------------------------------------------

    @Test
    void historyListsEveryChangeWithIncreasingVersions() {
        List<SchemaChangeEntry> initial = schema.history();
        assertThat(initial).isNotEmpty();
        assertThat(initial.get(initial.size() - 1).version()).isEqualTo(schema.version());
        long v0 = schema.version();
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        schema.addField("contact", Field.text("nickname"));
        schema.relabelField("contact", "nickname", "Nick");
        schema.addRule("contact", ValidationRule.of("r", "true", "m"));
        schema.removeRule("contact", "r");
        partners();
        schema.addObjectType(ObjectType.custom("project", "Project", Field.text("title")));
        schema.deleteField("contact", "nickname", DataPolicy.REFUSE_IF_DATA);
        schema.deleteObjectType("project", DataPolicy.REFUSE_IF_DATA);
        assertThat(schema.version()).isEqualTo(v0 + 8);
        List<SchemaChangeEntry> history = schema.history();
        assertThat(history).hasSize(initial.size() + 8);
        for (int i = 1; i < history.size(); i++) {
            assertThat(history.get(i).version()).isGreaterThan(history.get(i - 1).version());
        }
        List<SchemaChangeEntry> latest = history.subList(initial.size(), history.size());
        assertThat(latest).extracting(SchemaChangeEntry::version).containsExactly(v0 + 1, v0 + 2, v0 + 3, v0 + 4,
                v0 + 5, v0 + 6, v0 + 7, v0 + 8);
        assertThat(latest).extracting(e -> e.change().getClass().getSimpleName()).containsExactly("AddField",
                "ChangeField", "ChangeRules", "ChangeRules", "SavePipeline", "AddObjectType", "DeleteField",
                "DeleteObjectType");
        assertThat(latest.get(0).change().describe()).isEqualTo("add field contact.nickname");
        assertThat(latest).allSatisfy(e -> {
            assertThat(e.at()).as("stamped when the change was made").isBetween(before, Instant.now());
            assertThat(e.principalId()).isNotBlank();
        });
        // a refused change leaves no trace
        schemaError(() -> schema.addField("contact", Field.text("while")));
        assertThat(schema.history()).hasSize(history.size());
        assertThat(schema.version()).isEqualTo(v0 + 8);
    }

    @Test
    void schemaSurvivesReopeningTheSameStorage() {
        InMemoryStorage storage = InMemoryStorage.create();
        Crm first = Crm.builder().storage(storage).build();
        first.schema().addField("contact", Field.text("nickname"));
        long version = first.schema().version();
        // a second engine on the same storage (the memory storage lives as long as the object)
        Crm second = Crm.builder().storage(storage).build();
        assertThat(second.schema().version()).isEqualTo(version);
        assertThat(second.schema().objectType("contact").findField("nickname")).isPresent();
        first.close();
    }
}
