package org.crmkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.ValidationRule;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Record rules over fields hidden from the writer still run, but their errors name no hidden field and quote no
 * value: neither in the message, nor in the field errors, nor in any cause.
 */
class RuleDisclosureTest {
    private Crm crm;
    private RecordSet admin;
    private RecordSet rep;

    @BeforeEach
    void setUp() {
        crm = Crm.builder().storage(InMemoryStorage.create()).build();
        crm.schema().addObjectType(ObjectType.custom("offer", "Offer",
                Field.text("name").required(true),
                Field.integer("qty"),
                Field.integer("margin"),
                Field.text("secret_note"),
                Field.integer("slot")));
        Role probe = Role.builder("probe")
                .grant("offer", RecordScope.ALL, Permission.CREATE, Permission.READ, Permission.UPDATE)
                .field("offer", "margin", FieldAccess.HIDDEN)
                .field("offer", "secret_note", FieldAccess.HIDDEN)
                .field("offer", "slot", FieldAccess.HIDDEN)
                .build();
        admin = crm.as(Principal.SYSTEM).records("offer");
        rep = crm.as(Principal.user("rep", probe)).records("offer");
    }

    @AfterEach
    void tearDown() {
        crm.close();
    }

    /** Every text the exception carries: messages, field errors and causes, all the way down. */
    private static String everything(Throwable t) {
        List<String> parts = new ArrayList<>();
        for (Throwable x = t; x != null; x = x.getCause()) {
            parts.add(String.valueOf(x.getMessage()));
            parts.add(x.toString());
            if (x instanceof ValidationException v) {
                for (FieldError e : v.errors()) {
                    parts.add(e.field() + " " + e.message() + " " + e);
                }
            }
            for (Throwable s : x.getSuppressed()) {
                parts.add(everything(s));
            }
        }
        return String.join("\n", parts);
    }

    private ValidationException refused(Runnable write) {
        ValidationException e = catchThrowableOfType(ValidationException.class, write::run);
        assertThat(e).as("the write is refused").isNotNull();
        return e;
    }

    @Test
    void aViolatedRuleOverAHiddenFieldNamesNeitherTheFieldNorItsValue() {
        Record o = admin.create(Map.of("name", "o", "margin", 7));
        crm.schema().addRule("offer", ValidationRule.of("floor_check", "margin == null || margin > 10",
                "margin must be above 10").on("margin"));

        ValidationException e = refused(() -> rep.update(o, Map.of("name", "renamed")));

        assertThat(e.errors()).containsExactly(new FieldError(FieldError.RECORD, FieldErrorCode.RULE_VIOLATED,
                "rejected by rule floor_check"));
        assertThat(everything(e)).doesNotContain("margin").doesNotContain("7");
        // the rule still guards the data: the write changed nothing
        assertThat(admin.get(o.id()).getString("name")).isEqualTo("o");
    }

    @Test
    void aRuleOverAHiddenFieldReportsOnTheVisibleFieldItNamesWithoutItsMessage() {
        crm.schema().addRule("offer", ValidationRule.of("qty_vs_floor", "qty == null || margin == null || qty < margin",
                "qty must stay under the margin").on("qty"));
        Record o = admin.create(Map.of("name", "o", "margin", 7));

        ValidationException e = refused(() -> rep.update(o, Map.of("qty", 8)));

        assertThat(e.errors()).containsExactly(new FieldError("qty", FieldErrorCode.RULE_VIOLATED,
                "rejected by rule qty_vs_floor"));
        assertThat(everything(e)).doesNotContain("margin");
        // a caller who reads every field the rule reads gets the rule's own message
        assertThat(refused(() -> admin.update(o, Map.of("qty", 8))).errors()).containsExactly(
                new FieldError("qty", FieldErrorCode.RULE_VIOLATED, "qty must stay under the margin"));
    }

    @Test
    void aRuleReportingOnAHiddenFieldKeepsItsMessageToItself() {
        crm.schema().addRule("offer", ValidationRule.of("qty_cap", "qty == null || qty < 100",
                "qty must stay under 100, says the margin desk").on("margin"));
        Record o = admin.create(Map.of("name", "o"));

        ValidationException e = refused(() -> rep.update(o, Map.of("qty", 100)));

        assertThat(e.errors()).containsExactly(new FieldError(FieldError.RECORD, FieldErrorCode.RULE_VIOLATED,
                "rejected by rule qty_cap"));
        assertThat(everything(e)).doesNotContain("margin");
    }

    @Test
    void aRuleReadingAHiddenFieldThroughPriorIsTreatedAsReadingIt() {
        crm.schema().addRule("offer", ValidationRule.of("steady", "is_new || prior.margin == null || qty != 3",
                "no qty 3 once margin was set"));
        Record o = admin.create(Map.of("name", "o", "margin", 7));

        ValidationException e = refused(() -> rep.update(o, Map.of("qty", 3)));

        assertThat(e.errors()).containsExactly(new FieldError(FieldError.RECORD, FieldErrorCode.RULE_VIOLATED,
                "rejected by rule steady"));
    }

    @Test
    void rulesThatCannotBeEvaluatedQuoteNoValue() {
        Record o = admin.create(Map.of("name", "o", "secret_note", "secret 31%", "slot", 999));
        crm.schema().addRule("offer", ValidationRule.of("numberlike", "secret_note == null || int(secret_note) > 0",
                "must be numeric"));
        crm.schema().addRule("offer", ValidationRule.of("dated",
                "secret_note == null || timestamp(secret_note) > timestamp('2020-01-01T00:00:00Z')", "must be a date"));
        crm.schema().addRule("offer", ValidationRule.of("pick_check", "slot == null || [1, 2][slot] > 0",
                "must be a slot").on("name"));

        ValidationException e = refused(() -> rep.update(o, Map.of("qty", 1)));

        assertThat(e.errors()).extracting(FieldError::field, FieldError::code, FieldError::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(FieldError.RECORD, FieldErrorCode.RULE_VIOLATED,
                        "rejected by rule numberlike"),
                org.assertj.core.groups.Tuple.tuple(FieldError.RECORD, FieldErrorCode.RULE_VIOLATED,
                        "rejected by rule dated"),
                org.assertj.core.groups.Tuple.tuple("name", FieldErrorCode.RULE_VIOLATED,
                        "rejected by rule pick_check"));
        assertThat(everything(e)).doesNotContain("secret").doesNotContain("31%").doesNotContain("999")
                .doesNotContain("slot").doesNotContain("For input string").doesNotContain("could not be parsed")
                .doesNotContain("Index out of bounds");
    }

    @Test
    void toCallersWhoCannotReadItARuleThatFailedOnAHiddenValueLooksViolated() {
        // the same write, a hidden value that breaks the rule's evaluation or one that merely violates it: one answer
        Record broken = admin.create(Map.of("name", "a", "secret_note", "not a number"));
        Record low = admin.create(Map.of("name", "b", "secret_note", "-3"));
        crm.schema().addRule("offer", ValidationRule.of("positive", "secret_note == null || int(secret_note) > 0",
                "must be positive"));

        List<FieldError> onBroken = refused(() -> rep.update(broken, Map.of("qty", 1))).errors();
        List<FieldError> onLow = refused(() -> rep.update(low, Map.of("qty", 1))).errors();

        assertThat(onBroken).isEqualTo(onLow).containsExactly(new FieldError(FieldError.RECORD,
                FieldErrorCode.RULE_VIOLATED, "rejected by rule positive"));
        // a caller who reads the field learns the rule could not be evaluated (still without CEL's message)
        assertThat(refused(() -> admin.update(broken, Map.of("qty", 1))).errors()).containsExactly(new FieldError(
                FieldError.RECORD, FieldErrorCode.RULE_FAILED, "rule positive could not be evaluated"));
    }

    @Test
    void evaluationErrorsQuoteNoValueEvenToCallersWhoMayReadIt() {
        crm.schema().addRule("offer", ValidationRule.of("numeric_name", "int(name) > 0", "must be numeric"));

        ValidationException e = refused(() -> admin.create(Map.of("name", "hidden-not-a-number")));

        assertThat(e.errors()).containsExactly(new FieldError(FieldError.RECORD, FieldErrorCode.RULE_FAILED,
                "rule numeric_name could not be evaluated"));
        assertThat(everything(e)).doesNotContain("hidden-not-a-number");
    }
}
