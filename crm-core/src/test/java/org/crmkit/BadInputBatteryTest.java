package org.crmkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.crmkit.query.Filters.where;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.crmkit.error.CrmException;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.SchemaException;
import org.crmkit.error.SchemaException.Problem;
import org.crmkit.error.ValidationException;
import org.crmkit.query.Aggregation;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.ImportOptions;
import org.crmkit.record.ImportResult;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.schema.DataPolicy;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.Pipeline;
import org.crmkit.schema.PicklistOption;
import org.crmkit.schema.Stage;
import org.crmkit.schema.ValidationRule;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and malformed input: every case must fail with a typed CRMKit error that names the problem, and must
 * change nothing (change log, schema version, record count).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputBatteryTest {
    private Crm crm;
    private CrmSession admin;
    private RecordSet gadgets;
    private UUID companyId;

    @BeforeAll
    void setUp() {
        crm = Crm.builder().storage(InMemoryStorage.create()).build();
        crm.schema().addObjectType(ObjectType.custom("gadget", "Gadget",
                Field.text("title"),
                Field.text("code").maxLength(10),
                Field.longText("notes"),
                Field.integer("qty").range(BigDecimal.ZERO, new BigDecimal(1000)),
                Field.integer("big"),
                Field.decimal("price").scale(2),
                Field.currency("cost"),
                Field.percent("rate"),
                Field.bool("active"),
                Field.date("born"),
                Field.datetime("seen"),
                Field.email("mail"),
                Field.phone("tel"),
                Field.url("site"),
                Field.picklist("color", "red", "green", "blue"),
                Field.multiPicklist("tags", "a", "b", "c"),
                Field.reference("company", "company"),
                Field.relation("contacts", "contact"),
                Field.address("addr"),
                Field.formula("double_qty", FieldType.INTEGER, "qty == null ? 0 : qty * 2")));
        crm.schema().setPicklistOptions("gadget", "color", List.of(PicklistOption.of("red"),
                PicklistOption.of("green"), PicklistOption.of("blue"), PicklistOption.of("old").deactivated()));
        admin = crm.as(Principal.SYSTEM);
        gadgets = admin.records("gadget");
        companyId = admin.records("company").create(Map.of("name", "Acme")).id();
    }

    @AfterAll
    void tearDown() {
        crm.close();
    }

    /** What must stay the same after a refused operation. */
    private record State(long lastSequence, long schemaVersion, long gadgets, long companies) {}

    private State state() {
        return new State(crm.changeLog().lastSequence(), crm.schema().version(), gadgets.count(Filters.all()),
                admin.records("company").count(Filters.all()));
    }

    /** Runs {@code action}, which must throw an exception of {@code type}; checks that nothing changed. */
    private <E extends CrmException> E refused(Class<E> type, Runnable action) {
        State before = state();
        Throwable t = catchThrowable(action::run);
        assertThat(t).isInstanceOf(type);
        assertThat(state()).isEqualTo(before);
        return type.cast(t);
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    // ---- bad field values -----------------------------------------------------------------------------------

    static Stream<Arguments> badValues() {
        return Stream.of(
                arguments("nope", 1, FieldErrorCode.UNKNOWN_FIELD),
                arguments("Title", "x", FieldErrorCode.UNKNOWN_FIELD),
                arguments("title ", "x", FieldErrorCode.UNKNOWN_FIELD),
                arguments("x; DROP TABLE crm_gadget", "x", FieldErrorCode.UNKNOWN_FIELD),
                arguments("", "x", FieldErrorCode.UNKNOWN_FIELD),
                // wrong types
                arguments("qty", "twelve", FieldErrorCode.WRONG_TYPE),
                arguments("qty", 1.5, FieldErrorCode.WRONG_TYPE),
                arguments("qty", "1.5", FieldErrorCode.WRONG_TYPE),
                arguments("qty", true, FieldErrorCode.WRONG_TYPE),
                arguments("qty", List.of(1), FieldErrorCode.WRONG_TYPE),
                arguments("active", Map.of("a", 1), FieldErrorCode.WRONG_TYPE),
                arguments("active", "yes", FieldErrorCode.WRONG_TYPE),
                arguments("active", 1, FieldErrorCode.WRONG_TYPE),
                arguments("title", 42, FieldErrorCode.WRONG_TYPE),
                arguments("title", List.of("a"), FieldErrorCode.WRONG_TYPE),
                arguments("price", "cheap", FieldErrorCode.WRONG_TYPE),
                arguments("price", new Object(), FieldErrorCode.WRONG_TYPE),
                arguments("born", 20240101, FieldErrorCode.WRONG_TYPE),
                arguments("born", "2024-02-30", FieldErrorCode.WRONG_TYPE),
                arguments("born", "01/02/2024", FieldErrorCode.WRONG_TYPE),
                arguments("born", Instant.parse("2024-01-01T00:00:00Z"), FieldErrorCode.WRONG_TYPE),
                arguments("seen", "2024-01-01", FieldErrorCode.WRONG_TYPE),
                arguments("seen", "2024-01-01T10:00:00", FieldErrorCode.WRONG_TYPE),
                arguments("seen", 1_700_000_000_000L, FieldErrorCode.WRONG_TYPE),
                arguments("color", 1, FieldErrorCode.WRONG_TYPE),
                arguments("tags", 5, FieldErrorCode.WRONG_TYPE),
                arguments("tags", List.of(1), FieldErrorCode.WRONG_TYPE),
                arguments("company", "not-a-uuid", FieldErrorCode.WRONG_TYPE),
                arguments("company", 12, FieldErrorCode.WRONG_TYPE),
                arguments("company", "00000000-0000-0000-0000-00000000000g", FieldErrorCode.WRONG_TYPE),
                arguments("contacts", "x", FieldErrorCode.WRONG_TYPE),
                arguments("contacts", List.of("x"), FieldErrorCode.WRONG_TYPE),
                arguments("addr", "1 Main St", FieldErrorCode.WRONG_TYPE),
                arguments("addr", Map.of("city", 5), FieldErrorCode.WRONG_TYPE),
                arguments("addr", Map.of("planet", "Mars"), FieldErrorCode.UNKNOWN_FIELD),
                // phones
                arguments("tel", "12345", FieldErrorCode.INVALID_PHONE),
                arguments("tel", "not a phone", FieldErrorCode.INVALID_PHONE),
                arguments("tel", "+1 555", FieldErrorCode.INVALID_PHONE),
                arguments("tel", "+999 123 456 789", FieldErrorCode.INVALID_PHONE),
                arguments("tel", "+44 20 7946 0958\u0000", FieldErrorCode.INVALID_PHONE),
                arguments("tel", "1".repeat(500), FieldErrorCode.INVALID_PHONE),
                arguments("tel", 2125550100L, FieldErrorCode.WRONG_TYPE),
                // emails
                arguments("mail", "foo", FieldErrorCode.INVALID_EMAIL),
                arguments("mail", "a@b", FieldErrorCode.INVALID_EMAIL),
                arguments("mail", "a@@b.com", FieldErrorCode.INVALID_EMAIL),
                arguments("mail", "@example.com", FieldErrorCode.INVALID_EMAIL),
                arguments("mail", "a b@example.com", FieldErrorCode.INVALID_EMAIL),
                arguments("mail", "<script>@x.com", FieldErrorCode.INVALID_EMAIL),
                arguments("mail", "a@example.com\nBcc: victim@example.com", FieldErrorCode.INVALID_EMAIL),
                arguments("mail", "x".repeat(65) + "@example.com", FieldErrorCode.INVALID_EMAIL),
                arguments("mail", "a@" + "b".repeat(300) + ".com", FieldErrorCode.INVALID_EMAIL),
                // URLs
                arguments("site", "javascript:alert(1)", FieldErrorCode.INVALID_URL),
                arguments("site", "JavaScript://example.com/%0aalert(1)", FieldErrorCode.INVALID_URL),
                arguments("site", "ftp://example.com/file", FieldErrorCode.INVALID_URL),
                arguments("site", "file:///etc/passwd", FieldErrorCode.INVALID_URL),
                arguments("site", "data:text/html,<b>x</b>", FieldErrorCode.INVALID_URL),
                arguments("site", "mailto:a@example.com", FieldErrorCode.INVALID_URL),
                arguments("site", "http://", FieldErrorCode.INVALID_URL),
                arguments("site", "https:///path", FieldErrorCode.INVALID_URL),
                arguments("site", "no host", FieldErrorCode.INVALID_URL),
                arguments("site", "/relative/path", FieldErrorCode.INVALID_URL),
                arguments("site", "https://example.com/" + "a".repeat(3000), FieldErrorCode.INVALID_URL),
                // lengths and characters
                arguments("title", "x".repeat(256), FieldErrorCode.TOO_LONG),
                arguments("title", "\uD83D\uDE00".repeat(256), FieldErrorCode.TOO_LONG),
                arguments("code", "x".repeat(11), FieldErrorCode.TOO_LONG),
                arguments("notes", "x".repeat(131_073), FieldErrorCode.TOO_LONG),
                arguments("title", "a\u0000b", FieldErrorCode.INVALID_CHARACTER),
                arguments("title", "bell\u0007", FieldErrorCode.INVALID_CHARACTER),
                arguments("title", "esc\u001b[31m", FieldErrorCode.INVALID_CHARACTER),
                arguments("title", "del\u007f", FieldErrorCode.INVALID_CHARACTER),
                arguments("title", "c1\u0085", FieldErrorCode.INVALID_CHARACTER),
                arguments("title", "two\nlines", FieldErrorCode.INVALID_CHARACTER),
                arguments("title", "lone \uD800 high", FieldErrorCode.INVALID_CHARACTER),
                arguments("title", "lone \uDC00 low", FieldErrorCode.INVALID_CHARACTER),
                arguments("title", "ends high \uD83D", FieldErrorCode.INVALID_CHARACTER),
                arguments("notes", "nul\u0000in long text", FieldErrorCode.INVALID_CHARACTER),
                arguments("notes", "\uDE00", FieldErrorCode.INVALID_CHARACTER),
                arguments("addr", Map.of("city", "Pa\u0000ris"), FieldErrorCode.INVALID_CHARACTER),
                arguments("addr", Map.of("street", "x".repeat(256)), FieldErrorCode.TOO_LONG),
                // picklists
                arguments("color", "purple", FieldErrorCode.UNKNOWN_OPTION),
                arguments("color", "Red", FieldErrorCode.UNKNOWN_OPTION),
                arguments("color", "red;green", FieldErrorCode.UNKNOWN_OPTION),
                arguments("color", "old", FieldErrorCode.UNKNOWN_OPTION),
                arguments("color", "\u202epurple\u0000", FieldErrorCode.UNKNOWN_OPTION),
                arguments("color", "x".repeat(100_000), FieldErrorCode.UNKNOWN_OPTION),
                arguments("tags", List.of("a", "zzz"), FieldErrorCode.UNKNOWN_OPTION),
                arguments("tags", "a;zzz", FieldErrorCode.UNKNOWN_OPTION),
                // numbers
                arguments("price", Double.NaN, FieldErrorCode.NOT_A_NUMBER),
                arguments("price", Double.POSITIVE_INFINITY, FieldErrorCode.NOT_A_NUMBER),
                arguments("price", Float.NEGATIVE_INFINITY, FieldErrorCode.NOT_A_NUMBER),
                arguments("price", "NaN", FieldErrorCode.NOT_A_NUMBER),
                arguments("price", "-Infinity", FieldErrorCode.NOT_A_NUMBER),
                arguments("rate", "Infinity", FieldErrorCode.NOT_A_NUMBER),
                arguments("qty", Double.NaN, FieldErrorCode.NOT_A_NUMBER),
                arguments("price", "1e400", FieldErrorCode.OUT_OF_RANGE),
                arguments("price", new BigDecimal("1e400"), FieldErrorCode.OUT_OF_RANGE),
                arguments("price", "1e-400", FieldErrorCode.TOO_PRECISE),
                arguments("price", "1e999999999", FieldErrorCode.OUT_OF_RANGE),
                arguments("price", "12345678901234567890", FieldErrorCode.OUT_OF_RANGE),
                arguments("price", "9".repeat(200), FieldErrorCode.OUT_OF_RANGE),
                arguments("price", 1e300, FieldErrorCode.OUT_OF_RANGE),
                arguments("big", "12345678901234567890", FieldErrorCode.OUT_OF_RANGE),
                arguments("big", new BigInteger("12345678901234567890"), FieldErrorCode.OUT_OF_RANGE),
                arguments("big", "1e400", FieldErrorCode.OUT_OF_RANGE),
                arguments("big", BigInteger.TWO.pow(10_000), FieldErrorCode.OUT_OF_RANGE),
                arguments("qty", 1001, FieldErrorCode.OUT_OF_RANGE),
                arguments("qty", -1, FieldErrorCode.OUT_OF_RANGE),
                arguments("price", "1.234", FieldErrorCode.TOO_PRECISE),
                arguments("price", 0.1 + 0.2, FieldErrorCode.TOO_PRECISE),
                arguments("rate", "12.345", FieldErrorCode.TOO_PRECISE),
                arguments("cost", "10.001", FieldErrorCode.TOO_PRECISE),
                // currencies
                arguments("cost", Map.of("amount", 10, "currency", "XXZ"), FieldErrorCode.INVALID_CURRENCY),
                arguments("cost", Map.of("amount", 10, "currency", "usd"), FieldErrorCode.INVALID_CURRENCY),
                arguments("cost", Map.of("amount", 10, "currency", "EURO"), FieldErrorCode.INVALID_CURRENCY),
                arguments("cost", Map.of("amount", 10, "currency", 978), FieldErrorCode.INVALID_CURRENCY),
                arguments("cost", Map.of("amount", 10), FieldErrorCode.INVALID_CURRENCY),
                arguments("cost", Map.of("amount", 10, "currency", "U\u0000SD"), FieldErrorCode.INVALID_CURRENCY),
                arguments("cost", Map.of("amount", 10, "currency", "X".repeat(100_000)),
                        FieldErrorCode.INVALID_CURRENCY),
                arguments("cost", new Money(BigDecimal.TEN, ""), FieldErrorCode.INVALID_CURRENCY),
                arguments("cost", new Money(BigDecimal.TEN, "US$"), FieldErrorCode.INVALID_CURRENCY),
                arguments("cost", Map.of("amount", "ten", "currency", "USD"), FieldErrorCode.WRONG_TYPE),
                arguments("cost", Map.of("amount", Double.NaN, "currency", "USD"), FieldErrorCode.NOT_A_NUMBER),
                // dates out of range
                arguments("born", LocalDate.of(10_000, 1, 1), FieldErrorCode.OUT_OF_RANGE),
                arguments("born", LocalDate.of(0, 12, 31), FieldErrorCode.OUT_OF_RANGE),
                arguments("born", LocalDate.MIN, FieldErrorCode.OUT_OF_RANGE),
                arguments("born", LocalDate.MAX, FieldErrorCode.OUT_OF_RANGE),
                arguments("born", "+10000-01-01", FieldErrorCode.OUT_OF_RANGE),
                arguments("born", "-0001-01-01", FieldErrorCode.OUT_OF_RANGE),
                arguments("seen", Instant.MAX, FieldErrorCode.OUT_OF_RANGE),
                arguments("seen", Instant.MIN, FieldErrorCode.OUT_OF_RANGE),
                arguments("seen", "+10000-01-01T00:00:00Z", FieldErrorCode.OUT_OF_RANGE),
                arguments("seen", Instant.parse("0000-12-31T23:59:59Z"), FieldErrorCode.OUT_OF_RANGE),
                // references
                arguments("company", UUID.randomUUID(), FieldErrorCode.INVALID_REFERENCE),
                arguments("contacts", List.of(UUID.randomUUID()), FieldErrorCode.INVALID_REFERENCE),
                // read-only
                arguments("double_qty", 4, FieldErrorCode.READ_ONLY),
                arguments("id", UUID.randomUUID(), FieldErrorCode.READ_ONLY),
                arguments("version", 7, FieldErrorCode.READ_ONLY),
                arguments("created_at", Instant.now(), FieldErrorCode.READ_ONLY),
                arguments("updated_by", "mallory", FieldErrorCode.READ_ONLY),
                arguments("deleted_at", Instant.now(), FieldErrorCode.READ_ONLY),
                arguments("owner", "", FieldErrorCode.WRONG_TYPE),
                arguments("owner", 42, FieldErrorCode.WRONG_TYPE),
                arguments("owner", "a\u0000b", FieldErrorCode.WRONG_TYPE),
                arguments("team", "x".repeat(256), FieldErrorCode.WRONG_TYPE));
    }

    @ParameterizedTest(name = "[{index}] {0} = {1} -> {2}")
    @MethodSource("badValues")
    void badValueOnCreateIsRefusedWithTheRightCode(String field, Object value, FieldErrorCode code) {
        ValidationException e = refused(ValidationException.class, () -> gadgets.create(map("title", "ok", field,
                value)));
        String shown = org.crmkit.internal.schema.NameRules.shown(field);
        assertThat(e.errors()).as(e.getMessage()).singleElement().satisfies(err -> {
            assertThat(err.field()).isEqualTo(shown);
            assertThat(err.code()).isEqualTo(code);
            assertThat(err.message()).isNotBlank().hasSizeLessThan(400);
        });
        assertThat(e.objectType()).isEqualTo("gadget");
        assertThat(e.hasErrorOn(shown)).isTrue();
        assertThat(e.getMessage()).contains("gadget").contains(shown)
                .contains(code.name().toLowerCase(java.util.Locale.ROOT)).hasSizeLessThan(600);
        assertThat(e.getMessage()).doesNotContain("\u0000").doesNotContain("\u202e").doesNotContain("\n");
    }

    @ParameterizedTest(name = "[{index}] {0} = {1} -> {2}")
    @MethodSource("badValues")
    void badValueOnUpdateIsRefusedAndLeavesTheRecordAlone(String field, Object value, FieldErrorCode code) {
        Record r = gadgets.find(seed()).orElseThrow();
        ValidationException e = refused(ValidationException.class, () -> gadgets.update(r, map(field, value)));
        assertThat(e.errors()).extracting(FieldError::code).containsExactly(code);
        assertThat(gadgets.get(r.id())).isEqualTo(r);
    }

    private UUID seededId;

    private synchronized UUID seed() {
        if (seededId == null) {
            seededId = gadgets.create(Map.of("title", "seed", "qty", 1, "color", "red")).id();
        }
        return seededId;
    }

    @Test
    void aNullFieldNameIsAnUnknownField() {
        Map<String, Object> values = new HashMap<>();
        values.put(null, "x");
        values.put("title", "ok");
        ValidationException e = refused(ValidationException.class, () -> gadgets.create(values));
        assertThat(e.errors()).extracting(FieldError::code).containsExactly(FieldErrorCode.UNKNOWN_FIELD);
        assertThat(e.getMessage()).contains("null");
    }

    @Test
    void aWriteWithSeveralBadFieldsReportsEveryError() {
        Map<String, Object> values = map("title", "x".repeat(300), "qty", "many", "mail", "nope", "tel", "123",
                "site", "javascript:alert(1)", "color", "purple", "price", Double.NaN, "cost",
                Map.of("amount", 1, "currency", "ZZZ"), "born", LocalDate.of(10_000, 1, 1), "unknown_one", 1,
                "company", UUID.randomUUID(), "double_qty", 3, "id", UUID.randomUUID());
        values.put(null, 1);
        ValidationException e = refused(ValidationException.class, () -> gadgets.create(values));
        assertThat(e.errors()).extracting(FieldError::field, FieldError::code).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("title", FieldErrorCode.TOO_LONG),
                org.assertj.core.groups.Tuple.tuple("qty", FieldErrorCode.WRONG_TYPE),
                org.assertj.core.groups.Tuple.tuple("mail", FieldErrorCode.INVALID_EMAIL),
                org.assertj.core.groups.Tuple.tuple("tel", FieldErrorCode.INVALID_PHONE),
                org.assertj.core.groups.Tuple.tuple("site", FieldErrorCode.INVALID_URL),
                org.assertj.core.groups.Tuple.tuple("color", FieldErrorCode.UNKNOWN_OPTION),
                org.assertj.core.groups.Tuple.tuple("price", FieldErrorCode.NOT_A_NUMBER),
                org.assertj.core.groups.Tuple.tuple("cost", FieldErrorCode.INVALID_CURRENCY),
                org.assertj.core.groups.Tuple.tuple("born", FieldErrorCode.OUT_OF_RANGE),
                org.assertj.core.groups.Tuple.tuple("unknown_one", FieldErrorCode.UNKNOWN_FIELD),
                org.assertj.core.groups.Tuple.tuple("company", FieldErrorCode.INVALID_REFERENCE),
                org.assertj.core.groups.Tuple.tuple("double_qty", FieldErrorCode.READ_ONLY),
                org.assertj.core.groups.Tuple.tuple("id", FieldErrorCode.READ_ONLY),
                org.assertj.core.groups.Tuple.tuple("null", FieldErrorCode.UNKNOWN_FIELD));
        for (String f : List.of("title", "qty", "mail", "tel", "site", "color", "price", "cost", "born")) {
            assertThat(e.getMessage()).contains(f + ":");
        }
    }

    @Test
    void missingRequiredFieldsAreReportedTogetherWithBadValues() {
        RecordSet contacts = admin.records("contact");
        long before = contacts.count(Filters.all());
        ValidationException e = refused(ValidationException.class, () -> contacts.create(map("email", "bad",
                "last_name", "  ")));
        assertThat(e.errors()).extracting(FieldError::field, FieldError::code).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("email", FieldErrorCode.INVALID_EMAIL),
                org.assertj.core.groups.Tuple.tuple("last_name", FieldErrorCode.REQUIRED));
        assertThat(contacts.count(Filters.all())).isEqualTo(before);
    }

    @Test
    void aSalesRepCannotSetTheOwner() {
        RecordSet rep = crm.as(Principal.user("rep", Role.SALES_REP)).records("gadget");
        ValidationException e = refused(ValidationException.class, () -> rep.create(map("title", "t",
                "owner", "someone-else")));
        assertThat(e.errors()).extracting(FieldError::field, FieldError::code).containsExactly(
                org.assertj.core.groups.Tuple.tuple("owner", FieldErrorCode.READ_ONLY));
    }

    // ---- bad lookups and queries ------------------------------------------------------------------------------

    static Stream<String> hostileTypeNames() {
        return Stream.of("no_such_type", "Contact", "", " contact", "contact\u0000", "x; DROP TABLE crm_contact",
                "crm_contact", "'", "\"", "`", "contact\u200b", "\u202econtact", "x".repeat(10_000));
    }

    @ParameterizedTest
    @MethodSource("hostileTypeNames")
    void unknownObjectTypesAreSchemaErrors(String name) {
        SchemaException e = refused(SchemaException.class, () -> admin.records(name));
        assertThat(e.problem()).isEqualTo(Problem.UNKNOWN_OBJECT_TYPE);
        assertThat(e.getMessage()).contains("no object type").hasSizeLessThan(400).doesNotContain("\u0000")
                .doesNotContain("\u202e").doesNotContain("\u200b");
        assertThat(catchThrowable(() -> crm.schema().objectType(name))).isInstanceOf(SchemaException.class);
        assertThat(crm.schema().findObjectType(name)).isEmpty();
    }

    @Test
    void aNullObjectTypeIsRefusedNamingTheParameter() {
        assertThatThrownBy(() -> admin.records(null)).isExactlyInstanceOf(NullPointerException.class)
                .hasMessage("objectType");
    }

    static Stream<Arguments> badQueries() {
        String garbage = "garbage!!";
        String b64 = Base64.getUrlEncoder().withoutPadding().encodeToString("[\"x\"]".getBytes(StandardCharsets.UTF_8));
        String forgedType = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "[\"[Sort[path=id, descending=false]]\",[\"s\",\"zzz\"]]".getBytes(StandardCharsets.UTF_8));
        String forgedValue = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "[\"[Sort[path=id, descending=false]]\",[\"u\",\"not-a-uuid\"]]".getBytes(StandardCharsets.UTF_8));
        String forgedShape = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "[\"[Sort[path=id, descending=false]]\",{\"a\":1}]".getBytes(StandardCharsets.UTF_8));
        String forgedNumber = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "[\"[Sort[path=title, descending=false], Sort[path=id, descending=false]]\",[\"l\",\"5\"],[\"u\",\"00000000-0000-7000-8000-000000000000\"]]"
                        .getBytes(StandardCharsets.UTF_8));
        return Stream.of(
                arguments("unknown field", Query.where(where("nope").eq(1)), "nope", FieldErrorCode.UNKNOWN_FIELD),
                arguments("empty path", Query.where(where("").eq(1)), "", FieldErrorCode.UNKNOWN_FIELD),
                arguments("double dot", Query.where(where("company..name").eq(1)), "company..name",
                        FieldErrorCode.UNKNOWN_FIELD),
                arguments("bad hop", Query.where(where("company.nope").eq(1)), "company.nope",
                        FieldErrorCode.UNKNOWN_FIELD),
                arguments("hop through text", Query.where(where("title.x").eq(1)), "title.x",
                        FieldErrorCode.UNKNOWN_FIELD),
                arguments("part of property", Query.where(where("owner.x").eq(1)), "owner.x",
                        FieldErrorCode.UNKNOWN_FIELD),
                arguments("sql in path", Query.where(where("title; DROP TABLE crm_gadget").eq(1)),
                        "title; DROP TABLE crm_gadget", FieldErrorCode.UNKNOWN_FIELD),
                arguments("wrong value type", Query.where(where("qty").gt("many")), "qty", FieldErrorCode.WRONG_TYPE),
                arguments("NaN value", Query.where(where("price").gt(Double.NaN)), "price",
                        FieldErrorCode.NOT_A_NUMBER),
                arguments("bad date", Query.where(where("born").lt("yesterday")), "born", FieldErrorCode.WRONG_TYPE),
                arguments("bad uuid", Query.where(where("company").eq("x")), "company", FieldErrorCode.WRONG_TYPE),
                arguments("unknown option", Query.where(where("color").eq("purple")), "color",
                        FieldErrorCode.UNKNOWN_OPTION),
                arguments("order long text", Query.where(where("notes").gt("a")), "notes",
                        FieldErrorCode.UNSUPPORTED_OPERATION),
                arguments("contains on number", Query.where(where("qty").contains("1")), "qty",
                        FieldErrorCode.UNSUPPORTED_OPERATION),
                arguments("empty contains", Query.where(where("title").contains("")), "title",
                        FieldErrorCode.OUT_OF_RANGE),
                arguments("hasAny on text", Query.where(where("title").hasAny("a")), "title",
                        FieldErrorCode.UNSUPPORTED_OPERATION),
                arguments("empty in", Query.where(where("qty").in(List.of())), "qty", FieldErrorCode.OUT_OF_RANGE),
                arguments("address compare", Query.where(where("addr").eq("x")), "addr",
                        FieldErrorCode.UNSUPPORTED_OPERATION),
                arguments("object value", Query.where(where("qty").eq(new Object())), "qty",
                        FieldErrorCode.WRONG_TYPE),
                arguments("bad between", Query.where(where("born").between("x", "2024-01-01")), "born",
                        FieldErrorCode.WRONG_TYPE),
                arguments("bad id", Query.where(where("id").eq("x")), "id", FieldErrorCode.WRONG_TYPE),
                arguments("bad owner", Query.where(where("owner").eq(5)), "owner", FieldErrorCode.WRONG_TYPE),
                arguments("bad created_at", Query.where(where("created_at").gt("yesterday")), "created_at",
                        FieldErrorCode.WRONG_TYPE),
                arguments("bad in value", Query.where(where("active").in(true, "maybe")), "active",
                        FieldErrorCode.WRONG_TYPE),
                arguments("bad hasAny value", Query.where(where("tags").hasAny("zzz")), "tags",
                        FieldErrorCode.UNKNOWN_OPTION),
                arguments("bad relation id", Query.where(where("contacts").hasAny("x")), "contacts",
                        FieldErrorCode.WRONG_TYPE),
                arguments("negated unknown", Query.where(Filters.not(where("nope").isNull())), "nope",
                        FieldErrorCode.UNKNOWN_FIELD),
                arguments("unknown sort", Query.all().orderBy(Sort.asc("nope")), "nope", FieldErrorCode.UNKNOWN_FIELD),
                arguments("empty sort", Query.all().orderBy(Sort.asc("")), "", FieldErrorCode.UNKNOWN_FIELD),
                arguments("too many sorts", Query.all().orderBy(Sort.asc("title"), Sort.asc("qty"), Sort.asc("price"),
                        Sort.asc("rate"), Sort.asc("born"), Sort.asc("seen"), Sort.asc("mail"), Sort.asc("tel"),
                        Sort.asc("site")), "sort", FieldErrorCode.OUT_OF_RANGE),
                arguments("sort on list", Query.all().orderBy(Sort.asc("tags")), "tags",
                        FieldErrorCode.UNSUPPORTED_OPERATION),
                arguments("sort through reference", Query.all().orderBy(Sort.asc("company.name")), "company.name",
                        FieldErrorCode.UNSUPPORTED_OPERATION),
                arguments("limit 0", Query.all().limit(0), "limit", FieldErrorCode.OUT_OF_RANGE),
                arguments("limit -1", Query.all().limit(-1), "limit", FieldErrorCode.OUT_OF_RANGE),
                arguments("limit too big", Query.all().limit(Query.MAX_LIMIT + 1), "limit",
                        FieldErrorCode.OUT_OF_RANGE),
                arguments("garbage cursor", Query.all().after(garbage), "cursor", FieldErrorCode.WRONG_TYPE),
                arguments("empty cursor", Query.all().after(""), "cursor", FieldErrorCode.WRONG_TYPE),
                arguments("json cursor", Query.all().after(b64), "cursor", FieldErrorCode.WRONG_TYPE),
                arguments("forged cursor type", Query.all().after(forgedType), "cursor", FieldErrorCode.WRONG_TYPE),
                arguments("forged cursor value", Query.all().after(forgedValue), "cursor", FieldErrorCode.WRONG_TYPE),
                arguments("forged cursor shape", Query.all().after(forgedShape), "cursor", FieldErrorCode.WRONG_TYPE),
                arguments("forged cursor number for text", Query.all().orderBy(Sort.asc("title")).after(forgedNumber),
                        "cursor", FieldErrorCode.WRONG_TYPE),
                arguments("cursor of another sort", Query.all().orderBy(Sort.desc("qty")).after(garbage), "cursor",
                        FieldErrorCode.WRONG_TYPE));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badQueries")
    void badQueriesAreValidationErrors(String what, Query query, String field, FieldErrorCode code) {
        gadgets.create(Map.of("title", "q1"));
        gadgets.create(Map.of("title", "q2"));
        ValidationException e = refused(ValidationException.class, () -> gadgets.query(query));
        assertThat(e.errors()).extracting(FieldError::field, FieldError::code)
                .contains(org.assertj.core.groups.Tuple.tuple(field, code));
        assertThat(e.getMessage()).hasSizeLessThan(600);
        if (query.after() == null && query.sorts().isEmpty() && !field.equals("limit")) {
            refused(ValidationException.class, () -> gadgets.count(query.filter()));
        }
    }

    @Test
    void aCursorOfOneSortOrderIsRefusedOnAnother() {
        for (int i = 0; i < 3; i++) {
            gadgets.create(Map.of("title", "c" + i, "qty", i));
        }
        String cursor = gadgets.query(Query.all().orderBy(Sort.asc("title")).limit(1)).nextCursor();
        assertThat(cursor).isNotNull();
        ValidationException e = refused(ValidationException.class, () -> gadgets.query(Query.all()
                .orderBy(Sort.asc("qty")).limit(1).after(cursor)));
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("cursor");
    }

    @Test
    void badQueriesReportEveryProblemAtOnce() {
        ValidationException e = refused(ValidationException.class, () -> gadgets.query(Query.where(
                Filters.and(where("nope").eq(1), where("qty").gt("x"), where("color").eq("purple")))
                .orderBy(Sort.asc("missing")).limit(0)));
        assertThat(e.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("nope", "qty", "color",
                "missing", "limit");
    }

    @Test
    void badAggregationsAreValidationErrors() {
        assertThat(refused(ValidationException.class, () -> gadgets.aggregate(Aggregation.groupBy("nope"),
                Filter.ALL)).errors()).extracting(FieldError::code).containsExactly(FieldErrorCode.UNKNOWN_FIELD);
        assertThat(refused(ValidationException.class, () -> gadgets.aggregate(Aggregation.total().sum("title"),
                Filter.ALL)).errors()).extracting(FieldError::code).containsExactly(
                        FieldErrorCode.UNSUPPORTED_OPERATION);
        assertThat(refused(ValidationException.class, () -> gadgets.aggregate(Aggregation.groupBy("title", "qty",
                "color", "active", "born"), Filter.ALL)).errors()).extracting(FieldError::code).containsExactly(
                        FieldErrorCode.OUT_OF_RANGE);
        assertThat(refused(ValidationException.class, () -> gadgets.aggregate(Aggregation.total().avg("nope"),
                where("qty").gt("x"))).errors()).hasSize(2);
    }

    @Test
    void changeLogReadWithABadLimitIsATypedError() {
        assertThat(refused(ValidationException.class, () -> crm.changeLog().read(0, 0)).errors())
                .extracting(FieldError::field, FieldError::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("limit", FieldErrorCode.OUT_OF_RANGE));
        refused(ValidationException.class, () -> crm.changeLog().read(0, -5));
        assertThat(crm.changeLog().read(-1, 1)).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void missingRecordsAreNotFound() {
        UUID missing = UUID.randomUUID();
        assertThat(gadgets.find(missing)).isEmpty();
        refused(org.crmkit.error.NotFoundException.class, () -> gadgets.get(missing));
        refused(org.crmkit.error.NotFoundException.class, () -> gadgets.update(missing, 1, Map.of("title", "x")));
        refused(org.crmkit.error.NotFoundException.class, () -> gadgets.delete(missing, 1));
        refused(org.crmkit.error.NotFoundException.class, () -> gadgets.restore(missing, 1));
        refused(org.crmkit.error.NotFoundException.class, () -> gadgets.purge(missing));
        refused(org.crmkit.error.NotFoundException.class, () -> gadgets.timeline(missing));
        UUID companyAsGadget = companyId;
        refused(org.crmkit.error.NotFoundException.class, () -> gadgets.get(companyAsGadget));
    }

    // ---- bad imports ---------------------------------------------------------------------------------------------

    static Stream<Arguments> badImports() {
        List<Map<String, Object>> one = List.of(Map.of("title", "t"));
        ImportOptions defaults = ImportOptions.defaults();
        return Stream.of(
                arguments(null, one, defaults, "importId", FieldErrorCode.REQUIRED),
                arguments("", one, defaults, "importId", FieldErrorCode.REQUIRED),
                arguments("x".repeat(101), one, defaults, "importId", FieldErrorCode.TOO_LONG),
                arguments("a\u0000b", one, defaults, "importId", FieldErrorCode.INVALID_CHARACTER),
                arguments("line\nbreak", one, defaults, "importId", FieldErrorCode.INVALID_CHARACTER),
                arguments("half\uD800", one, defaults, "importId", FieldErrorCode.INVALID_CHARACTER),
                arguments("ok", null, defaults, "rows", FieldErrorCode.REQUIRED),
                arguments("ok", one, null, "options", FieldErrorCode.REQUIRED),
                arguments("ok", one, defaults.batchSize(0), "batchSize", FieldErrorCode.OUT_OF_RANGE),
                arguments("ok", one, defaults.batchSize(10_001), "batchSize", FieldErrorCode.OUT_OF_RANGE),
                arguments("ok", one, defaults.stopAfterErrors(0), "stopAfterErrors", FieldErrorCode.OUT_OF_RANGE));
    }

    @ParameterizedTest(name = "[{index}] {3} -> {4}")
    @MethodSource("badImports")
    void badImportArgumentsAreRefused(String importId, List<Map<String, Object>> rows, ImportOptions options,
            String field, FieldErrorCode code) {
        ValidationException e = refused(ValidationException.class, () -> gadgets.importRecords(importId, rows,
                options));
        assertThat(e.errors()).extracting(FieldError::field, FieldError::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(field, code));
        assertThat(e.objectType()).isEqualTo("gadget");
        assertThat(e.getMessage()).hasSizeLessThan(400).doesNotContain("\u0000").doesNotContain("\n");
    }

    @Test
    void everyBadImportArgumentIsReportedAtOnce() {
        ValidationException e = refused(ValidationException.class, () -> gadgets.importRecords(" ".repeat(101), null,
                ImportOptions.defaults().batchSize(-1).stopAfterErrors(-1)));
        assertThat(e.errors()).extracting(FieldError::field)
                .containsExactly("importId", "rows", "batchSize", "stopAfterErrors");
        assertThat(gadgets.importRecords("x".repeat(100), List.of()).created()).isZero();
    }

    @Test
    void importInsideATransactionIsRefused() {
        State before = state();
        assertThatThrownBy(() -> admin.inTransactionDo(s -> s.records("gadget").importRecords("in-tx",
                List.of(Map.of("title", "t"))))).isInstanceOf(IllegalStateException.class);
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void junkRowsAreRowErrorsNeverExceptions() {
        List<Object> junk = List.of("\u0000", "\uD800", "x".repeat(20_000), "1e400", Double.NaN, new Object(),
                List.of(List.of()), Map.of("amount", Map.of()), new int[] {1}, Instant.MIN, Money.of(1, "USD"));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Field f : crm.schema().objectType("gadget").fields()) {
            junk.forEach(v -> rows.add(map(f.name(), v)));
        }
        rows.add(map("id", UUID.randomUUID()));
        ImportResult r = gadgets.importRecords("junk", rows);
        assertThat(r.created() + r.failed()).isEqualTo(rows.size());
        assertThat(r.errors()).isNotEmpty().allSatisfy(e -> assertThat(e.errors()).isNotEmpty());
    }

    // ---- hostile names in schema changes ----------------------------------------------------------------------

    static Stream<Arguments> hostileNames() {
        return Stream.of(
                arguments("while", Problem.RESERVED_NAME),
                arguments("if", Problem.RESERVED_NAME),
                arguments("namespace", Problem.RESERVED_NAME),
                arguments("import", Problem.RESERVED_NAME),
                arguments("return", Problem.RESERVED_NAME),
                arguments("null", Problem.RESERVED_NAME),
                arguments("true", Problem.RESERVED_NAME),
                arguments("in", Problem.RESERVED_NAME),
                arguments("prior", Problem.RESERVED_NAME),
                arguments("changed", Problem.RESERVED_NAME),
                arguments("is_new", Problem.RESERVED_NAME),
                arguments("id", Problem.RESERVED_NAME),
                arguments("owner", Problem.RESERVED_NAME),
                arguments("team", Problem.RESERVED_NAME),
                arguments("version", Problem.RESERVED_NAME),
                arguments("created_at", Problem.RESERVED_NAME),
                arguments("updated_by", Problem.RESERVED_NAME),
                arguments("deleted_at", Problem.RESERVED_NAME),
                arguments("'", Problem.INVALID_NAME),
                arguments("a'b", Problem.INVALID_NAME),
                arguments("a\"b", Problem.INVALID_NAME),
                arguments("\"quoted\"", Problem.INVALID_NAME),
                arguments("`tick`", Problem.INVALID_NAME),
                arguments("a;b", Problem.INVALID_NAME),
                arguments("x; DROP TABLE crm_contact", Problem.INVALID_NAME),
                arguments("x); DROP TABLE crm_contact; --", Problem.INVALID_NAME),
                arguments("a--b", Problem.INVALID_NAME),
                arguments("a/*b*/", Problem.INVALID_NAME),
                arguments("a b", Problem.INVALID_NAME),
                arguments("a-b", Problem.INVALID_NAME),
                arguments("a.b", Problem.INVALID_NAME),
                arguments("a\u0000b", Problem.INVALID_NAME),
                arguments("name\u0000", Problem.INVALID_NAME),
                arguments("na\u200bme", Problem.INVALID_NAME),
                arguments("\u202ename", Problem.INVALID_NAME),
                arguments("name\u202e", Problem.INVALID_NAME),
                arguments("\ufeffname", Problem.INVALID_NAME),
                arguments("n\u0430me", Problem.INVALID_NAME),
                arguments("na\u00efve", Problem.INVALID_NAME),
                arguments("name\uD800", Problem.INVALID_NAME),
                arguments("Name", Problem.INVALID_NAME),
                arguments("NAME", Problem.INVALID_NAME),
                arguments("1name", Problem.INVALID_NAME),
                arguments("_name", Problem.INVALID_NAME),
                arguments("name\n", Problem.INVALID_NAME),
                arguments(" name", Problem.INVALID_NAME),
                arguments("a".repeat(41), Problem.INVALID_NAME),
                arguments("a".repeat(10_000), Problem.INVALID_NAME),
                arguments("", Problem.INVALID_NAME));
    }

    private static void assertSafeMessage(SchemaException e, String name) {
        assertThat(e.getMessage()).hasSizeLessThan(400).doesNotContain("\u0000").doesNotContain("\u202e")
                .doesNotContain("\u200b").doesNotContain("\ufeff");
        if (!name.isEmpty() && name.length() < 60) {
            assertThat(e.getMessage()).contains(org.crmkit.internal.schema.NameRules.shown(name));
        }
        String why = e.problem() == Problem.RESERVED_NAME ? "reserved" : name.isEmpty() ? "empty"
                : name.length() > 40 ? "characters long" : "";
        assertThat(e.getMessage()).contains(why);
    }

    @ParameterizedTest
    @MethodSource("hostileNames")
    void hostileFieldNamesAreRefused(String name, Problem problem) {
        for (Field f : List.of(Field.text(name), Field.integer(name), Field.picklist(name, "a"))) {
            SchemaException e = refused(SchemaException.class, () -> crm.schema().addField("contact", f));
            assertThat(e.problem()).isEqualTo(problem);
            assertThat(e.objectType()).isEqualTo("contact");
            assertThat(e.field()).isPresent();
            assertSafeMessage(e, name);
        }
        assertThat(crm.schema().objectType("contact").findField(name)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("hostileNames")
    void hostileObjectTypeNamesAreRefused(String name, Problem problem) {
        SchemaException e = refused(SchemaException.class, () -> crm.schema().addObjectType(
                ObjectType.custom(name, "Label", Field.text("title"))));
        assertThat(e.problem()).isEqualTo(problem);
        assertThat(e.field()).isEmpty();
        assertSafeMessage(e, name);
        assertThat(crm.schema().findObjectType(name)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("hostileNames")
    void hostileNamesInsideANewObjectTypeAreRefused(String name, Problem problem) {
        SchemaException e = refused(SchemaException.class, () -> crm.schema().addObjectType(
                ObjectType.custom("widget", "Widget", Field.text("title"), Field.text(name))));
        assertThat(e.problem()).isEqualTo(problem);
        assertThat(crm.schema().findObjectType("widget")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("hostileNames")
    void hostileRuleNamesAreRefused(String name, Problem problem) {
        SchemaException e = refused(SchemaException.class, () -> crm.schema().addRule("gadget",
                ValidationRule.of(name, "true", "message")));
        assertThat(e.problem()).isEqualTo(problem);
        assertThat(crm.schema().objectType("gadget").rules()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("hostileNames")
    void hostilePipelineAndStageNamesAreRefused(String name, Problem problem) {
        SchemaException e = refused(SchemaException.class, () -> crm.schema().savePipeline(new Pipeline(name,
                "P", List.of(Stage.open("early", "Early", 10)))));
        assertThat(e.problem()).isEqualTo(problem);
        SchemaException s = refused(SchemaException.class, () -> crm.schema().savePipeline(new Pipeline("partner",
                "P", List.of(Stage.open("early", "Early", 10), Stage.open(name, "Odd", 20)))));
        assertThat(s.problem()).isEqualTo(problem);
        assertThat(crm.schema().snapshot().findPipeline("partner")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("hostileNames")
    void hostileNamesInLookupsAreUnknown(String name, Problem ignored) {
        Consumer<Runnable> unknownField = action -> assertThat(refused(SchemaException.class, action::run).problem())
                .isIn(Problem.UNKNOWN_FIELD, Problem.UNKNOWN_OBJECT_TYPE);
        if (!name.equals("id") && !name.equals("owner")) {
            unknownField.accept(() -> crm.schema().deleteField("contact", name, DataPolicy.DISCARD_DATA));
            unknownField.accept(() -> crm.schema().relabelField("contact", name, "x"));
            unknownField.accept(() -> crm.schema().deprecateField("contact", name));
        }
        unknownField.accept(() -> crm.schema().addField(name, Field.text("title")));
        unknownField.accept(() -> crm.schema().deleteObjectType(name, DataPolicy.DISCARD_DATA));
        unknownField.accept(() -> crm.schema().removeRule("contact", name));
        assertThat(catchThrowable(() -> crm.schema().pipeline(name))).isInstanceOf(SchemaException.class);
    }

    static Stream<Arguments> badDefinitions() {
        return Stream.of(
                arguments(Field.text("t").label("a\u0000b"), Problem.INVALID_DEFINITION),
                arguments(Field.text("t").label(""), Problem.INVALID_DEFINITION),
                arguments(Field.text("t").label("x".repeat(256)), Problem.INVALID_DEFINITION),
                arguments(Field.text("t").maxLength(-1), Problem.INVALID_DEFINITION),
                arguments(Field.text("t").maxLength(100_000), Problem.INVALID_DEFINITION),
                arguments(Field.longText("t").maxLength(200_000), Problem.INVALID_DEFINITION),
                arguments(Field.decimal("t").scale(-1), Problem.INVALID_DEFINITION),
                arguments(Field.decimal("t").scale(30), Problem.INVALID_DEFINITION),
                arguments(Field.integer("t").range(BigDecimal.TEN, BigDecimal.ONE), Problem.INVALID_DEFINITION),
                arguments(Field.text("t").range(BigDecimal.ONE, null), Problem.INVALID_DEFINITION),
                arguments(Field.picklist("t"), Problem.INVALID_DEFINITION),
                arguments(Field.picklist("t", "a", "a"), Problem.INVALID_DEFINITION),
                arguments(Field.picklist("t", "a;b"), Problem.INVALID_DEFINITION),
                arguments(Field.picklist("t", " "), Problem.INVALID_DEFINITION),
                arguments(Field.picklist("t", "a\u0000"), Problem.INVALID_DEFINITION),
                arguments(Field.picklist("t", "x".repeat(101)), Problem.INVALID_DEFINITION),
                arguments(Field.picklist("t", "a", "b").defaultValue("c"), Problem.INVALID_DEFINITION),
                arguments(Field.integer("t").defaultValue("many"), Problem.INVALID_DEFINITION),
                arguments(Field.email("t").defaultValue("nope"), Problem.INVALID_DEFINITION),
                arguments(Field.text("t").defaultValue(" "), Problem.INVALID_DEFINITION),
                arguments(Field.reference("t", "no_such_type"), Problem.INVALID_DEFINITION),
                arguments(Field.reference("t", "x; DROP TABLE crm_contact"), Problem.INVALID_DEFINITION),
                arguments(Field.relation("t", "nope"), Problem.INVALID_DEFINITION),
                arguments(Field.multiPicklist("t", "a").unique(true), Problem.INVALID_DEFINITION),
                arguments(Field.formula("t", FieldType.INTEGER, "nope + 1"), Problem.INVALID_EXPRESSION),
                arguments(Field.formula("t", FieldType.INTEGER, "last_name"), Problem.INVALID_EXPRESSION),
                arguments(Field.formula("t", FieldType.INTEGER, ""), Problem.INVALID_EXPRESSION),
                arguments(Field.formula("t", FieldType.INTEGER, "1 +"), Problem.INVALID_EXPRESSION),
                arguments(Field.formula("t", FieldType.INTEGER, "x".repeat(10_001)), Problem.INVALID_EXPRESSION),
                arguments(Field.formula("t", FieldType.ADDRESS, "1"), Problem.INVALID_DEFINITION),
                arguments(Field.formula("t", FieldType.INTEGER, "1").required(true), Problem.INVALID_DEFINITION));
    }

    @ParameterizedTest
    @MethodSource("badDefinitions")
    void badFieldDefinitionsAreRefused(Field field, Problem problem) {
        SchemaException e = refused(SchemaException.class, () -> crm.schema().addField("contact", field));
        assertThat(e.problem()).as(e.getMessage()).isEqualTo(problem);
        assertThat(e.getMessage()).contains("contact").hasSizeLessThan(2000).doesNotContain("\u0000");
        assertThat(crm.schema().objectType("contact").findField("t")).isEmpty();
    }

    @Test
    void noRawJavaExceptionEscapesForAnyBadValueOnAnyFieldType() {
        List<Object> junk = new ArrayList<>(List.of("", " ", "\u0000", "\uD800", "x".repeat(200_000), "-", "1e400",
                "NaN", Double.NaN, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MIN_VALUE, new Object(), List.of(),
                List.of(List.of()), Map.of(), Map.of("amount", Map.of()), new int[] {1}, java.util.Optional.empty(),
                BigDecimal.valueOf(Long.MAX_VALUE).pow(3), new BigDecimal("1e-999"), 'c', (byte) 1, 1.0f,
                UUID.randomUUID(), LocalDate.MAX, Instant.MIN, new StringBuilder("sb"), Money.of(1, "USD")));
        for (Field f : crm.schema().objectType("gadget").fields()) {
            for (Object v : junk) {
                Throwable t = catchThrowable(() -> gadgets.create(map(f.name(), v)));
                // some junk is acceptable to some types (blank text clears, a Long is a fine decimal)
                if (t != null) {
                    assertThat(t).as(f.name() + " = " + v).isInstanceOf(ValidationException.class);
                }
            }
        }
    }
}
