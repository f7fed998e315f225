package org.crmkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.SchemaException;
import org.crmkit.error.ValidationException;
import org.crmkit.query.Filters;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.ValidationRule;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Record rules (CEL) on writes: context variables, error placement, dates, reporting together with field errors. */
class ValidationRulesTest {
    private Crm crm;
    private RecordSet deals;

    @BeforeEach
    void setUp() {
        crm = Crm.builder().storage(InMemoryStorage.create()).build();
        deals = crm.as(Principal.user("u-1", Role.SALES_REP)).records("deal");
    }

    @AfterEach
    void tearDown() {
        crm.close();
    }

    private static ValidationException invalid(Runnable write) {
        return catchThrowableOfType(ValidationException.class, write::run);
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void wonDealNeedsCloseDate() {
        crm.schema().addRule("deal", ValidationRule.of("won_needs_date",
                "stage != 'closed_won' || close_date != null", "closed deals need a close date").on("close_date"));
        Record d = deals.create(Map.of("name", "D"));
        long seq = crm.changeLog().lastSequence();
        ValidationException e = invalid(() -> deals.update(d, Map.of("stage", "closed_won")));
        assertThat(e.errors()).containsExactly(new FieldError("close_date", FieldErrorCode.RULE_VIOLATED,
                "closed deals need a close date"));
        assertThat(e).hasMessageContaining("close_date").hasMessageContaining("closed deals need a close date");
        assertThat(crm.changeLog().lastSequence()).isEqualTo(seq);
        assertThat(deals.get(d.id()).getString("stage")).isEqualTo("prospecting");

        Record won = deals.update(d, Map.of("stage", "closed_won", "close_date", "2024-05-01"));
        assertThat(won.getString("stage")).isEqualTo("closed_won");
        assertThat(won.getDate("close_date")).isEqualTo(LocalDate.of(2024, 5, 1));
        assertThat(deals.create(Map.of("name", "W", "stage", "closed_won", "close_date", LocalDate.of(2024, 1, 2)))
                .version()).isEqualTo(1);
    }

    @Test
    void ruleWithoutFieldIsReportedOnTheRecord() {
        crm.schema().addRule("deal", ValidationRule.of("name_not_test", "name != 'test'", "no test deals"));
        ValidationException e = invalid(() -> deals.create(Map.of("name", "test")));
        assertThat(e.errors()).singleElement().satisfies(err -> {
            assertThat(err.field()).isEqualTo(FieldError.RECORD);
            assertThat(err.code()).isEqualTo(FieldErrorCode.RULE_VIOLATED);
        });
        assertThat(deals.count(Filters.all())).isZero();
    }

    @Test
    void isNewDistinguishesCreateFromUpdate() {
        crm.schema().addRule("deal", ValidationRule.of("starts_open", "!is_new || stage == 'prospecting'",
                "new deals start in prospecting").on("stage"));
        assertThat(invalid(() -> deals.create(Map.of("name", "D", "stage", "proposal"))).errors())
                .extracting(FieldError::field, FieldError::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("stage", FieldErrorCode.RULE_VIOLATED));
        Record d = deals.create(Map.of("name", "D"));
        assertThat(deals.update(d, Map.of("stage", "proposal")).getString("stage")).isEqualTo("proposal");
    }

    @Test
    void changedListsTheFieldsTheWriteChanges() {
        crm.schema().addRule("deal", ValidationRule.of("amount_frozen", "is_new || !('amount' in changed)",
                "the amount cannot change after creation").on("amount"));
        Record d = deals.create(Map.of("name", "D", "amount", 100));
        Record renamed = deals.update(d, Map.of("name", "D2", "amount", 100));
        assertThat(renamed.getString("name")).isEqualTo("D2");
        ValidationException e = invalid(() -> deals.update(renamed, Map.of("amount", 200)));
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("amount");
        ValidationException cleared = invalid(() -> deals.update(renamed, map("amount", null)));
        assertThat(cleared.errors()).extracting(FieldError::code).containsExactly(FieldErrorCode.RULE_VIOLATED);
    }

    @Test
    void priorHoldsTheValuesBeforeTheWrite() {
        crm.schema().addRule("deal", ValidationRule.of("no_reopen",
                "!('stage' in changed) || prior.stage != 'closed_won'", "won deals cannot be reopened").on("stage"));
        // on create every field is new: the rule must not fail just because there is no prior value
        Record d = deals.create(Map.of("name", "D"));
        Record won = deals.update(d, Map.of("stage", "closed_won"));
        Record renamed = deals.update(won, Map.of("name", "Renamed"));
        long seq = crm.changeLog().lastSequence();
        ValidationException e = invalid(() -> deals.update(renamed, Map.of("stage", "negotiation")));
        assertThat(e.errors()).containsExactly(new FieldError("stage", FieldErrorCode.RULE_VIOLATED,
                "won deals cannot be reopened"));
        assertThat(crm.changeLog().lastSequence()).isEqualTo(seq);
        assertThat(deals.get(d.id()).getString("stage")).isEqualTo("closed_won");
        assertThat(deals.create(Map.of("name", "Direct", "stage", "closed_won")).getString("stage"))
                .isEqualTo("closed_won");
    }

    @Test
    void priorOfAnEmptyFieldIsNull() {
        crm.schema().addRule("deal", ValidationRule.of("amount_once",
                "is_new || prior.amount == null || amount != null", "the amount cannot be cleared").on("amount"));
        Record d = deals.create(Map.of("name", "D"));
        Record withAmount = deals.update(d, Map.of("amount", 5));
        assertThat(invalid(() -> deals.update(withAmount, map("amount", null))).errors())
                .extracting(FieldError::field).containsExactly("amount");
    }

    @Test
    void dateRulesCompareTimestamps() {
        crm.schema().addRule("deal", ValidationRule.of("modern", "close_date == null"
                + " || close_date > timestamp('2000-01-01T00:00:00Z')", "close date must be after 2000")
                .on("close_date"));
        assertThat(deals.create(Map.of("name", "A")).has("close_date")).isFalse();
        assertThat(deals.create(Map.of("name", "B", "close_date", "2024-01-01")).getDate("close_date"))
                .isEqualTo(LocalDate.of(2024, 1, 1));
        ValidationException e = invalid(() -> deals.create(Map.of("name", "C", "close_date", "1999-12-31")));
        assertThat(e.errors()).containsExactly(new FieldError("close_date", FieldErrorCode.RULE_VIOLATED,
                "close date must be after 2000"));
        assertThat(deals.count(Filters.all())).isEqualTo(2);
    }

    @Test
    void dateAndDatetimeFieldsCompareWithEachOther() {
        crm.schema().addObjectType(ObjectType.custom("booking", "Booking", Field.date("starts"), Field.date("ends"),
                Field.datetime("confirmed_at")));
        crm.schema().addRule("booking", ValidationRule.of("ordered", "starts == null || ends == null || ends >= starts",
                "ends before it starts").on("ends"));
        crm.schema().addRule("booking", ValidationRule.of("confirmed_recently", "confirmed_at == null"
                + " || confirmed_at >= timestamp('2020-01-01T00:00:00Z')", "confirmed too early").on("confirmed_at"));
        RecordSet bookings = crm.as(Principal.SYSTEM).records("booking");
        bookings.create(Map.of("starts", "2024-01-01", "ends", "2024-01-01", "confirmed_at", "2024-01-01T10:00:00Z"));
        ValidationException e = invalid(() -> bookings.create(Map.of("starts", "2024-01-02", "ends", "2024-01-01",
                "confirmed_at", "2019-12-31T23:59:59Z")));
        assertThat(e.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("ends", "confirmed_at");
    }

    @Test
    void datesCanBeComparedWithDurationArithmetic() {
        crm.schema().addObjectType(ObjectType.custom("trip", "Trip", Field.date("leaves"), Field.date("comes_back")));
        crm.schema().addRule("trip", ValidationRule.of("short", "leaves == null || comes_back == null"
                + " || comes_back - leaves <= duration('720h')", "at most 30 days").on("comes_back"));
        RecordSet trips = crm.as(Principal.SYSTEM).records("trip");
        trips.create(Map.of("leaves", "2024-01-01", "comes_back", "2024-01-31"));
        assertThat(invalid(() -> trips.create(Map.of("leaves", "2024-01-01", "comes_back", "2024-02-01"))).errors())
                .extracting(FieldError::field).containsExactly("comes_back");
    }

    @Test
    void everyRuleErrorComesBackAtOnceWithFieldErrors() {
        crm.schema().addRule("deal", ValidationRule.of("r1", "name != 'bad'", "name must not be bad").on("name"));
        crm.schema().addRule("deal", ValidationRule.of("r2", "description == null || size(description) > 3",
                "description too short").on("description"));
        crm.schema().addRule("deal", ValidationRule.of("r3", "stage != 'closed_won' || close_date != null",
                "won deals need a close date").on("close_date"));
        ValidationException e = invalid(() -> deals.create(Map.of("name", "bad", "description", "ab",
                "amount", "lots", "probability", 150, "nope", 1)));
        assertThat(e.errors()).extracting(FieldError::field, FieldError::code).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("name", FieldErrorCode.RULE_VIOLATED),
                org.assertj.core.groups.Tuple.tuple("description", FieldErrorCode.RULE_VIOLATED),
                org.assertj.core.groups.Tuple.tuple("amount", FieldErrorCode.WRONG_TYPE),
                org.assertj.core.groups.Tuple.tuple("probability", FieldErrorCode.OUT_OF_RANGE),
                org.assertj.core.groups.Tuple.tuple("nope", FieldErrorCode.UNKNOWN_FIELD));
        assertThat(deals.count(Filters.all())).isZero();
    }

    @Test
    void aRuleOverAFieldWithAnErrorSeesThePreviousValue() {
        crm.schema().addRule("deal", ValidationRule.of("won_needs_date",
                "stage != 'closed_won' || close_date != null", "closed deals need a close date").on("close_date"));
        Record d = deals.create(Map.of("name", "D", "close_date", "2024-01-01"));
        ValidationException e = invalid(() -> deals.update(d, Map.of("stage", "closed_won",
                "close_date", "not a date")));
        assertThat(e.errors()).extracting(FieldError::field, FieldError::code).containsExactly(
                org.assertj.core.groups.Tuple.tuple("close_date", FieldErrorCode.WRONG_TYPE));
        ValidationException onCreate = invalid(() -> deals.create(Map.of("name", "D", "stage", "closed_won",
                "close_date", "not a date")));
        assertThat(onCreate.errors()).extracting(FieldError::field, FieldError::code).contains(
                org.assertj.core.groups.Tuple.tuple("close_date", FieldErrorCode.WRONG_TYPE));
    }

    @Test
    void rulesSeeFormulaValuesAndCurrencyAmounts() {
        crm.schema().addField("deal", Field.formula("weighted", FieldType.DECIMAL,
                "amount == null || probability == null ? 0.0 : amount * probability / 100.0"));
        crm.schema().addRule("deal", ValidationRule.of("cap", "weighted <= 1000.0", "weighted amount above 1000")
                .on("amount"));
        deals.create(Map.of("name", "ok", "amount", 1000, "stage", "negotiation"));
        assertThat(invalid(() -> deals.create(Map.of("name", "big", "amount", 2000, "stage", "negotiation")))
                .errors()).extracting(FieldError::field).containsExactly("amount");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"stag == 'x'", "name > 3", "amount + 'x' == 1", "name",
            "prior.stage ==", "close_date > 5", "close_date == 'tomorrow'", "changed == 'x'", "1/0 == 0 ||",
            "is_new == 1", "amount > 'big'", "size(contacts) > 'x'", ""})
    void rulesThatDoNotTypeCheckAreRefusedAtDefinition(String bad) {
        long version = crm.schema().version();
        assertThatThrownBy(() -> crm.schema().addRule("deal", ValidationRule.of("bad", bad, "msg")))
                .isInstanceOfSatisfying(SchemaException.class, e -> {
                    assertThat(e.problem()).isEqualTo(SchemaException.Problem.INVALID_EXPRESSION);
                    assertThat(e.getMessage()).contains("bad");
                });
        assertThat(crm.schema().version()).isEqualTo(version);
        assertThat(crm.schema().objectType("deal").rules()).isEmpty();
    }

    @Test
    void aRuleReportingOnAnUnknownFieldIsRefused() {
        assertThatThrownBy(() -> crm.schema().addRule("deal", ValidationRule.of("r", "true", "m").on("nope")))
                .isInstanceOfSatisfying(SchemaException.class,
                        e -> assertThat(e.problem()).isEqualTo(SchemaException.Problem.UNKNOWN_FIELD));
    }

    @Test
    void removedRulesNoLongerApply() {
        crm.schema().addRule("deal", ValidationRule.of("r", "name != 'x'", "no x"));
        assertThatThrownBy(() -> deals.create(Map.of("name", "x"))).isInstanceOf(ValidationException.class);
        crm.schema().removeRule("deal", "r");
        assertThat(deals.create(Map.of("name", "x")).getString("name")).isEqualTo("x");
    }

    @Test
    void aRuntimeErrorInARuleIsARuleFailureNotACrash() {
        crm.schema().addRule("deal", ValidationRule.of("divide", "amount == null || 100.0 / amount > 0.0 || true",
                "never"));
        crm.schema().addRule("deal", ValidationRule.of("int_div", "size(name) / (size(name) - 1) >= 0",
                "name of one character").on("name"));
        assertThat(deals.create(Map.of("name", "ok")).getString("name")).isEqualTo("ok");
        ValidationException e = invalid(() -> deals.create(Map.of("name", "x")));
        assertThat(e.errors()).extracting(FieldError::field, FieldError::code).containsExactly(
                org.assertj.core.groups.Tuple.tuple("name", FieldErrorCode.RULE_FAILED));
        assertThat(e.errors().get(0).message()).isEqualTo("rule int_div could not be evaluated");
    }
}
