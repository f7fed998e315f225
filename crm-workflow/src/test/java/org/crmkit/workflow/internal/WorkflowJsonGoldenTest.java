package org.crmkit.workflow.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.error.ValidationException;
import org.crmkit.workflow.Action;
import org.crmkit.workflow.Rule;
import org.crmkit.workflow.RunAs;
import org.crmkit.workflow.Trigger;
import org.crmkit.workflow.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Rules and job payloads stored by earlier versions still read: the {@code -v1} files under {@code golden/rules} and
 * {@code golden/payloads} were written by the hand-written codecs of CRMKit 0.x (format version 1, without a
 * version field), the {@code -format1} rule files by Jackson databind (format 1 with its {@code "format"} field), and
 * all must read back as the objects below. Never rewrite them; a new format version adds new files beside the old
 * ones ({@code -Dcrmkit.golden.write=true} writes the current format's).
 */
class WorkflowJsonGoldenTest {
    private static final Payloads PAYLOADS = new Payloads();
    private static final UUID RECORD = UUID.fromString("0190a8e2-7c4b-7d3e-9f00-0123456789ab");

    /** One rule per trigger kind; the first carries every action kind, a run-as, a saver and every value kind. */
    static Map<String, Rule> rules() {
        Map<String, Value> values = new LinkedHashMap<>();
        values.put("subject", Value.of("Call \"them\""));
        values.put("count", Value.of(3L));
        values.put("ratio", Value.of(new BigDecimal("2.5"))); // the first writer dropped trailing zeros here
        values.put("done", Value.of(false));
        values.put("cleared", Value.of(null));
        values.put("due", Value.cel("now + duration('72h')"));
        Rule full = Rule.builder("every_action").description("All of them").on("deal", Trigger.created())
                .when("amount > 1000")
                .then(new Action.SetFields(values, null))
                .then(new Action.SetFields(Map.of("rating", Value.of("hot")), "company"))
                .then(Action.createRecord("task", values))
                .then(Action.notify("email", Value.cel("owner"), "Deal {{name}} was won"))
                .then(Action.notify("slack", Value.of("#sales"), "hi"))
                .then(Action.webhook("https://example.com/hook?a=b"))
                .then(Action.assignRoundRobin("u-1", "u-2"))
                .then(Action.assignInTeam(Action.AssignStrategy.LEAST_LOADED, "emea"))
                .then(new Action.AdjustScore("score", new BigDecimal("-2.50"), "company"))
                .then(Action.adjustScore("score", 10))
                .then(Action.waitFor(Duration.ofHours(2).plusSeconds(1)))
                .then(Action.custom("log", Map.of("tag", "x")))
                .runAs(RunAs.user("u-ops", "admin", "sales").inTeams("emea", "apac")).order(7).build()
                .withSavedBy("u-admin").withVersion(12);
        Map<String, Rule> rules = new LinkedHashMap<>();
        rules.put("created", full);
        rules.put("updated", simple("on_update", "deal", Trigger.updated()));
        rules.put("created_or_updated", simple("on_write", "contact", Trigger.createdOrUpdated()));
        rules.put("deleted", simple("on_delete", "contact", Trigger.deleted()));
        rules.put("field_changed", simple("on_field", "deal", new Trigger.FieldChanged("amount", "1", null)));
        rules.put("field_changed_any", simple("on_field_any", "deal", Trigger.fieldChanged("amount")));
        rules.put("stage_changed", simple("on_stage", "deal", new Trigger.StageChanged("new", "won")));
        rules.put("converted", simple("on_converted", "lead", Trigger.converted()));
        rules.put("merged", simple("on_merged", "contact", Trigger.merged()));
        rules.put("schedule", simple("nightly", null, Trigger.schedule("0 9 * * MON", "Europe/London")));
        rules.put("relative_to_date", simple("reminder", "deal", Trigger.relativeTo("close_date",
                Duration.ofDays(-3))));
        rules.put("manual", Rule.builder("by_hand").on(Trigger.manual()).then(Action.custom("log", Map.of()))
                .build().enabled(false));
        rules.put("stage_changed_to", simple("on_won", "deal", Trigger.stageChanged().to("won")));
        rules.put("schedule_for_records", edges());
        return rules;
    }

    /**
     * A schedule over records run as the system principal, with constants at the edges (an integer beyond a long, the
     * smallest long, an exact decimal, empty and non-ASCII text, quotes in an expression), a null recipient, the
     * largest version and a negative order.
     */
    private static Rule edges() {
        Map<String, Value> edge = new LinkedHashMap<>();
        edge.put("huge", Value.of(new BigDecimal("123456789012345678901234567891")));
        edge.put("min", Value.of(Long.MIN_VALUE));
        edge.put("negative", Value.of(new BigDecimal("-0.125")));
        edge.put("empty", Value.of(""));
        edge.put("unicode", Value.of("Zo\u00eb \u2013 \uD83D\uDE80 \\ / \n"));
        edge.put("quoted", Value.cel("name + \" \\\"x\\\"\""));
        return Rule.builder("weekly_leads").description("").on("lead", Trigger.schedule("0 9 * * MON", "UTC"))
                .when("score < 0")
                .then(Action.setFields(edge).via("company"))
                .then(Action.notify("email", Value.of(null), "\u00fcmlaut {{name}}"))
                .then(new Action.AdjustScore("score", new BigDecimal("0.5"), null))
                .runAs(RunAs.system()).order(-2).build().withSavedBy("u-admin").withVersion(Long.MAX_VALUE);
    }

    private static Rule simple(String name, String type, Trigger trigger) {
        return Rule.builder(name).on(type, trigger).then(Action.custom("log", Map.of("tag", name))).build();
    }

    /** One payload of every job kind, keyed by the kind. */
    static Map<String, Object> payloads() {
        Map<String, String> prior = new LinkedHashMap<>();
        prior.put("amount", "{\"t\":\"money\",\"amount\":\"1.50\",\"currency\":\"EUR\"}");
        prior.put("name", "\"Acme\"");
        prior.put("gone", "null");
        Map<String, Object> payloads = new LinkedHashMap<>();
        // a run holds the text of its rules as written when it was planned: the first format's here
        payloads.put(Payloads.RULES, new Payloads.RulesRun("rules:e1", "deal", RECORD,
                List.of(golden("rules/created-v1.json"), golden("rules/updated-v1.json")), 1, 2, 3,
                List.of("a@" + RECORD, "b@" + RECORD), "UPDATE", List.of("amount", "name"), prior, 0,
                null)); // version and priorInLog came later: absent in a first-format payload
        payloads.put(Payloads.RULES + "-without-record", new Payloads.RulesRun("manual:x", null, null,
                List.of(golden("rules/manual-v1.json")), 0, 0, 0, List.of(), "MANUAL", List.of(), Map.of(), 0, null));
        payloads.put(Payloads.CRON, new Payloads.Cron("nightly", 4, Instant.parse("2026-01-05T09:00:00Z")));
        payloads.put(Payloads.DATE, new Payloads.DateFire("reminder", 2, RECORD,
                Instant.parse("2026-03-01T00:00:00.123456789Z")));
        payloads.put(Payloads.ACTION, new Payloads.Submitted("recalculate", Map.of("scope", "all")));
        payloads.put(Payloads.REFUSED, new Payloads.Refused("rogue", "runs as a disabled user"));
        return payloads;
    }

    @Test
    void rulesOfTheFirstFormatStillRead() {
        for (Map.Entry<String, Rule> r : rules().entrySet()) {
            assertThat(RuleJson.read(golden("rules/" + r.getKey() + "-v1.json"))).as(r.getKey())
                    .isEqualTo(r.getValue());
            assertThat(RuleJson.read(RuleJson.write(r.getValue()))).isEqualTo(r.getValue());
        }
    }

    @Test
    void rulesOfTheCurrentFormatStillRead() {
        for (Map.Entry<String, Rule> r : rules().entrySet()) {
            assertThat(RuleJson.read(golden("rules/" + r.getKey() + "-format1.json"))).as(r.getKey())
                    .isEqualTo(r.getValue());
        }
    }

    @Test
    void rulesCarryTheirFormatAndANewerOneIsRefused() {
        String rule = RuleJson.write(rules().get("created"));
        assertThat(rule).startsWith("{\"format\":1,");
        assertThatThrownBy(() -> RuleJson.read(rule.replace("\"format\":1", "\"format\":2")))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.hasErrorOn("format")).isTrue();
                    assertThat(e.getMessage()).contains("newer");
                });
    }

    @Test
    void payloadsOfTheFirstFormatStillRead() {
        for (Map.Entry<String, Object> p : payloads().entrySet()) {
            String kind = p.getKey().replace("-without-record", "");
            assertThat(read(kind, golden("payloads/" + p.getKey() + "-v1.json"))).as(p.getKey())
                    .isEqualTo(p.getValue());
            assertThat(read(kind, PAYLOADS.write(p.getValue()))).isEqualTo(p.getValue());
        }
        assertThat(PAYLOADS.ruleOf(Payloads.RULES, golden("payloads/rules-v1.json"))).isEqualTo("on_update");
        assertThat(PAYLOADS.ruleOf(Payloads.CRON, golden("payloads/cron-v1.json"))).isEqualTo("nightly");
        assertThat(PAYLOADS.ruleOf(Payloads.ACTION, golden("payloads/action-v1.json"))).isEqualTo("recalculate");
    }

    @Test
    void payloadsCarryTheirFormatAndANewerOneIsRefused() {
        String cron = PAYLOADS.write(payloads().get(Payloads.CRON));
        assertThat(cron).startsWith("{\"format\":1,");
        assertThatThrownBy(() -> PAYLOADS.cron(cron.replace("\"format\":1", "\"format\":2")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("newer");
    }

    private static Object read(String kind, String json) {
        return switch (kind) {
            case Payloads.RULES -> PAYLOADS.rules(json);
            case Payloads.CRON -> PAYLOADS.cron(json);
            case Payloads.DATE -> PAYLOADS.date(json);
            case Payloads.ACTION -> PAYLOADS.submitted(json);
            case Payloads.REFUSED -> PAYLOADS.refused(json);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    static String golden(String name) {
        try (InputStream in = WorkflowJsonGoldenTest.class.getClassLoader().getResourceAsStream("golden/" + name)) {
            assertThat(in).as("golden/" + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Writes the golden files of the current formats that do not exist yet; existing ones are never rewritten. */
    @Test
    @EnabledIfSystemProperty(named = "crmkit.golden.write", matches = "true")
    void writeGoldenFiles() throws IOException {
        Path rules = Path.of("src/test/resources/golden/rules");
        Files.createDirectories(rules);
        for (Map.Entry<String, Rule> r : rules().entrySet()) {
            writeNew(rules.resolve(r.getKey() + "-format" + RuleJson.FORMAT + ".json"), RuleJson.write(r.getValue()));
        }
        Path payloads = Path.of("src/test/resources/golden/payloads");
        Files.createDirectories(payloads);
        for (Map.Entry<String, Object> p : payloads().entrySet()) {
            writeNew(payloads.resolve(p.getKey() + "-v1.json"), PAYLOADS.write(p.getValue()));
        }
    }

    private static void writeNew(Path file, String text) throws IOException {
        if (!Files.exists(file)) {
            Files.writeString(file, text);
        }
    }
}
