package org.crmkit.workflow.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.List;
import java.util.Map;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.workflow.Rule;
import org.crmkit.workflow.Trigger;
import org.junit.jupiter.api.Test;

/** Reading rule JSON: every problem at once under its path, defaults, and no failure other than a typed one. */
class RuleJsonTest {
    @Test
    void everyProblemIsReportedAtOnceUnderItsPath() {
        String json = """
                {"name": 5, "colour": "red", "enabled": "yes", "order": 1.5, "version": "x",
                 "trigger": {"type": "relative_to_date", "offset": "soon"},
                 "runAs": {"roles": [1], "x": 2},
                 "actions": [
                   {"type": "notify", "recipient": {"cel": 1}},
                   {"type": "assign_owner", "strategy": "random", "users": "u"},
                   {"type": "adjust_score", "field": "f", "delta": "abc"},
                   {"type": "custom", "name": "n", "parameters": {"a": 1}},
                   {"type": "set_fields", "values": {"a": [1], "b": {"cel": "x", "y": 1}}},
                   {"type": "webhook", "url": null},
                   {"type": "wait"},
                   {"url": "x"},
                   3]}""";
        assertThatThrownBy(() -> RuleJson.read(json)).isInstanceOfSatisfying(ValidationException.class, e -> {
            assertThat(e.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("name", "colour",
                    "enabled", "order", "version", "trigger.field", "trigger.offset", "runAs.user", "runAs.roles[0]",
                    "runAs.x", "actions[0].channel", "actions[0].message", "actions[0].recipient",
                    "actions[1].strategy", "actions[1].users", "actions[2].delta", "actions[3].parameters.a",
                    "actions[4].values.a", "actions[4].values.b", "actions[5].url", "actions[6].duration",
                    "actions[7].type", "actions[8]");
            assertThat(e.errors()).allSatisfy(error -> assertThat(error.message()).doesNotContain("jackson",
                    "Cannot", "JsonNode", "`"));
            assertThat(codeOf(e, "colour")).isEqualTo(FieldErrorCode.UNKNOWN_FIELD);
            assertThat(codeOf(e, "actions[0].channel")).isEqualTo(FieldErrorCode.REQUIRED);
            assertThat(codeOf(e, "actions[1].strategy")).isEqualTo(FieldErrorCode.UNKNOWN_OPTION);
            assertThat(codeOf(e, "trigger.offset")).isEqualTo(FieldErrorCode.WRONG_TYPE);
        });
    }

    private static FieldErrorCode codeOf(ValidationException e, String field) {
        return e.errors().stream().filter(x -> x.field().equals(field)).findFirst().orElseThrow().code();
    }

    @Test
    void whatARuleMayLeaveOutHasItsDefault() {
        Rule r = RuleJson.read("""
                {"name": "n", "trigger": {"type": "schedule", "cron": "0 9 * * *"},
                 "actions": [{"type": "assign_owner", "strategy": "ROUND_ROBIN"}, {"type": "custom", "name": "c"},
                             {"type": "notify", "channel": "email", "message": "m"}]}""");
        assertThat(r).isEqualTo(Rule.builder("n").on(Trigger.schedule("0 9 * * *", "UTC"))
                .then(org.crmkit.workflow.Action.assignRoundRobin())
                .then(org.crmkit.workflow.Action.custom("c", Map.of()))
                .then(org.crmkit.workflow.Action.notify("email", org.crmkit.workflow.Value.of(null), "m")).build());
    }

    @Test
    void notJsonTooDeepAndTooLongAreTypedErrors() {
        assertRefused("{not json", "json", FieldErrorCode.WRONG_TYPE);
        assertRefused("[]", "json", FieldErrorCode.WRONG_TYPE);
        assertRefused("", "json", FieldErrorCode.WRONG_TYPE);
        assertRefused("{\"name\":\"x\",\"name\":\"y\"}", "json", FieldErrorCode.WRONG_TYPE);
        assertRefused("{\"name\":\"x\"} trailing", "json", FieldErrorCode.WRONG_TYPE);
        assertRefused("{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000), "json", FieldErrorCode.TOO_LONG);
        assertRefused("[".repeat(1_000_000), "json", FieldErrorCode.TOO_LONG);
        assertRefused("{\"name\":\"" + "x".repeat(RuleJson.MAX_LENGTH) + "\"}", "json", FieldErrorCode.TOO_LONG);
        assertRefused("{\"format\":\"1\"}", "format", FieldErrorCode.WRONG_TYPE);
    }

    private static void assertRefused(String json, String field, FieldErrorCode code) {
        assertThatThrownBy(() -> RuleJson.read(json)).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.errors()).extracting(FieldError::field, FieldError::code)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(field, code)));
    }

    /** Found by RuleJsonFuzzTest: Jackson threw a NumberFormatException for an exponent BigDecimal cannot hold. */
    @Test
    void aNumberWhoseExponentNoDecimalHoldsIsRefused() {
        for (String number : List.of("9E223372036854775807", "1e-9999999999", "-7E+9999999999")) {
            assertRefused("{\"name\": \"n\", \"version\": " + number + ", \"trigger\": {\"type\": \"manual\"}}", "json",
                    FieldErrorCode.OUT_OF_RANGE);
        }
    }

    /** Any text cut or changed from a valid rule reads as a rule or fails with a ValidationException, nothing else. */
    @Test
    void damagedRulesReadOrFailWithATypedError() {
        String json = WorkflowJsonGoldenTest.golden("rules/created-format1.json");
        String specials = "{}[]\":,0-.e tnf\\";
        qt().withExamples(2000).forAll(integers().between(0, json.length() - 1), integers().between(0, 2),
                integers().between(0, specials.length() - 1)).checkAssert((at, how, which) -> {
                    String damaged = switch (how) {
                        case 0 -> json.substring(0, at);
                        case 1 -> json.substring(0, at) + json.substring(at + 1);
                        default -> json.substring(0, at) + specials.charAt(which) + json.substring(at);
                    };
                    try {
                        RuleJson.read(damaged);
                    } catch (ValidationException e) {
                        assertThat(e.errors()).isNotEmpty();
                    } catch (RuntimeException | StackOverflowError e) {
                        fail("not a typed error for " + damaged, e);
                    }
                });
    }
}
