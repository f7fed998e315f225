package org.crmkit.workflow.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.cel.common.types.SimpleType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.crmkit.internal.cel.CelPrograms;
import org.crmkit.record.Address;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.junit.jupiter.api.Test;

/**
 * One CEL layer: the same expression over the same record values gives the same result as a record rule or formula
 * (crm-core's {@link CelPrograms}) and as a workflow condition or value expression ({@link RuleCel}, through the
 * {@link FastCel} path where it applies and through CEL itself), for every field type, empty values included.
 */
class CelAgreementTest {
    private static final String[] STAGES = {"lead", "proposal", "won", "lost"};
    private static final String[] TAGS = {"vip", "partner", "press", "cold"};

    private static final ObjectType PROBE = ObjectType.custom("probe", "Probe", Field.text("name"),
            Field.longText("notes"), Field.integer("count"), Field.decimal("ratio"), Field.currency("amount"),
            Field.percent("share"), Field.bool("active"), Field.date("due"), Field.datetime("at"),
            Field.email("email"), Field.phone("phone"), Field.url("website"), Field.address("billing"),
            Field.picklist("stage", STAGES), Field.multiPicklist("tags", TAGS), Field.reference("account", "company"),
            Field.relation("companies", "company"));

    /** Conditions (and record rules), at least one per field type, several that are errors on empty values. */
    private static final List<String> CONDITIONS = List.of(
            "name == 'Ada'", "name.startsWith('A')", "size(name) > 3", "name == null", "name.contains('d')",
            "notes != null && notes.endsWith('x')", "notes.size() == 0",
            "count > 5", "count == null", "count % 2 == 0", "count >= 0 && count < 10",
            "ratio >= 0.5", "ratio * 2.0 > 1.0", "ratio == null || ratio < 0.25",
            "amount > 1000.0", "amount == null || amount < 10.0", "amount / 3.0 > 1.0", "dyn(amount) > 100",
            "share > 50.0", "share == 100.0",
            "active", "!active", "active == true", "active == null",
            "due < timestamp('2026-06-15T00:00:00Z')", "due.getFullYear() == 2026", "due.getDayOfWeek() == 1",
            "due + duration('24h') > timestamp('2026-03-01T00:00:00Z')", "due == null",
            "at > timestamp('2026-03-01T12:00:00Z')", "at.getHours() < 12", "at - due < duration('240h')",
            "at.getDate('Europe/Paris') == 1", "string(at).startsWith('2026')", "at == null || at > due",
            "email.endsWith('@example.com')", "phone.startsWith('+44')", "website.contains('https')",
            "has(billing.city)", "'city' in billing && billing.city == 'Paris'", "billing.country == 'FR'",
            "size(billing) == 0", "billing == {}",
            "stage in ['lead', 'proposal']", "stage == 'won'", "stage != null",
            "'vip' in tags", "size(tags) > 1", "tags.exists(t, t.startsWith('p'))", "tags == []",
            "account == null", "account != null && account.startsWith('0')",
            "size(companies) == 0", "companies.all(c, size(c) == 36)", "account in companies",
            "prior.stage != stage", "prior.amount == amount", "prior.due == due", "prior.tags == tags",
            "prior.billing == billing", "changed.exists(c, c == 'stage')");

    /** Value expressions, with the formula result type each has. */
    private static final Map<String, FieldType> VALUES = values();

    private static Map<String, FieldType> values() {
        Map<String, FieldType> v = new LinkedHashMap<>();
        v.put("name + '!'", FieldType.TEXT);
        v.put("name", FieldType.TEXT);
        v.put("count + 1", FieldType.INTEGER);
        v.put("amount * 2.0", FieldType.DECIMAL);
        v.put("ratio + share", FieldType.DECIMAL);
        v.put("share / 100.0", FieldType.PERCENT);
        v.put("amount", FieldType.DECIMAL);
        v.put("due", FieldType.DATE);
        v.put("due + duration('36h')", FieldType.DATE);
        v.put("at", FieldType.DATETIME);
        v.put("at - duration('90m')", FieldType.DATETIME);
        v.put("timestamp('2026-01-01T00:00:00Z') + duration('1s')", FieldType.DATETIME);
        v.put("size(tags)", FieldType.INTEGER);
        v.put("billing.city", FieldType.TEXT);
        v.put("account", FieldType.TEXT);
        v.put("size(companies) + size(tags)", FieldType.INTEGER);
        v.put("active ? 'yes' : 'no'", FieldType.TEXT);
        v.put("string(due)", FieldType.TEXT);
        v.put("int(at)", FieldType.INTEGER);
        return v;
    }

    private static Record randomRecord(Random r, long version) {
        Map<String, Object> v = new HashMap<>();
        maybe(r, v, "name", () -> (char) ('A' + r.nextInt(3)) + (r.nextBoolean() ? "da" : "lan") + r.nextInt(3));
        maybe(r, v, "notes", () -> r.nextBoolean() ? "" : "note x");
        maybe(r, v, "count", () -> (long) r.nextInt(20) - 5);
        maybe(r, v, "ratio", () -> BigDecimal.valueOf(r.nextInt(100), 2));
        maybe(r, v, "amount", () -> Money.of(BigDecimal.valueOf(r.nextInt(300_000), 2).toPlainString(), "EUR"));
        maybe(r, v, "share", () -> BigDecimal.valueOf(r.nextInt(101)).setScale(2));
        maybe(r, v, "active", r::nextBoolean);
        maybe(r, v, "due", () -> LocalDate.of(2025 + r.nextInt(2), 1 + r.nextInt(12), 1 + r.nextInt(28)));
        maybe(r, v, "at", () -> Instant.parse("2026-02-20T00:00:00Z").plusSeconds(r.nextInt(40 * 86_400)));
        maybe(r, v, "email", () -> r.nextBoolean() ? "ada@example.com" : "bob@example.org");
        maybe(r, v, "phone", () -> r.nextBoolean() ? "+44 20 7946 0958" : "+33 1 23 45 67 89");
        maybe(r, v, "website", () -> r.nextBoolean() ? "https://example.com" : "http://example.org");
        maybe(r, v, "billing", () -> new Address(r.nextBoolean() ? "1 rue X" : null,
                r.nextBoolean() ? "Paris" : r.nextBoolean() ? "Lyon" : null, null, null,
                r.nextBoolean() ? "FR" : null));
        maybe(r, v, "stage", () -> STAGES[r.nextInt(STAGES.length)]);
        maybe(r, v, "tags", () -> {
            Set<String> tags = new TreeSet<>();
            for (int i = r.nextInt(4); i > 0; i--) {
                tags.add(TAGS[r.nextInt(TAGS.length)]);
            }
            return List.copyOf(tags);
        });
        UUID company = new UUID(r.nextInt(2), 7);
        maybe(r, v, "account", () -> company);
        maybe(r, v, "companies", () -> {
            List<UUID> ids = new ArrayList<>();
            for (int i = r.nextInt(3); i > 0; i--) {
                ids.add(new UUID(i % 2, 7));
            }
            return List.copyOf(new TreeSet<>(ids));
        });
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return new Record(new UUID(1, 2), "probe", version, "u-1", null, t, "u", t, "u", null, v);
    }

    private static void maybe(Random r, Map<String, Object> values, String field,
            java.util.function.Supplier<Object> value) {
        if (r.nextInt(4) > 0) {
            values.put(field, value.get());
        }
    }

    /** A result, or "error" for an evaluation error. */
    private interface Eval {
        Object run() throws Exception;
    }

    private static Object outcome(Eval e) {
        try {
            return e.run();
        } catch (Exception ex) {
            return "error";
        }
    }

    private static Set<String> changed(Record after, Record before) {
        Set<String> changed = new TreeSet<>();
        for (Field f : PROBE.fields()) {
            if (!java.util.Objects.equals(before == null ? null : before.values().get(f.name()),
                    after.values().get(f.name()))) {
                changed.add(f.name());
            }
        }
        return changed;
    }

    private static Map<String, Object> coreRuleVariables(Record after, Record before, Set<String> changed) {
        Map<String, Object> vars = CelPrograms.variables(PROBE, after.values(), true);
        CelPrograms.addRuleContext(vars, PROBE, before == null, changed, before == null ? Map.of()
                : before.values());
        return vars;
    }

    private static Field target(FieldType type) {
        return switch (type) {
            case TEXT -> Field.text("t");
            case INTEGER -> Field.integer("t");
            case DECIMAL -> Field.decimal("t");
            case PERCENT -> Field.percent("t");
            case DATE -> Field.date("t");
            case DATETIME -> Field.datetime("t");
            default -> throw new IllegalArgumentException(type.toString());
        };
    }

    @Test
    void everyExpressionCompilesInBothLayersAndConditionsTakeTheFastPathWhereTheyUsedTo() throws Exception {
        int fast = 0;
        for (String c : CONDITIONS) {
            CelPrograms.compileRule(PROBE, "r", c);
            if (RuleCel.condition(PROBE, c).fast() != null) {
                fast++;
            }
        }
        assertThat(fast).as("conditions on the fast path").isGreaterThan(20);
        for (Map.Entry<String, FieldType> e : VALUES.entrySet()) {
            CelPrograms.compileFormula(PROBE, Field.formula("f", e.getValue(), e.getKey()));
            RuleCel.compile(PROBE, e.getKey(), null);
        }
    }

    @Test
    void aConditionHoldsExactlyWhenTheSameRecordRuleAndBooleanFormulaHold() throws Exception {
        Map<String, CelPrograms.Program> rules = new LinkedHashMap<>();
        Map<String, CelPrograms.Program> formulas = new LinkedHashMap<>();
        Map<String, RuleCel.Program> conditions = new LinkedHashMap<>();
        for (String c : CONDITIONS) {
            rules.put(c, CelPrograms.compileRule(PROBE, "r", c));
            if (!c.contains("prior") && !c.contains("changed")) {
                formulas.put(c, CelPrograms.compileFormula(PROBE, Field.formula("f", FieldType.BOOLEAN, c)));
            }
            conditions.put(c, RuleCel.condition(PROBE, c));
        }
        qt().withExamples(300).forAll(longs().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            Record before = r.nextInt(3) == 0 ? null : randomRecord(r, 1);
            Record after = randomRecord(r, 2);
            Set<String> changed = changed(after, before);
            Map<String, Object> core = coreRuleVariables(after, before, changed);
            Map<String, Object> coreFormula = CelPrograms.variables(PROBE, after.values(), false);
            String event = before == null ? "created" : "updated";
            CelVariables workflow = RuleCel.variables(PROBE, after, before, changed, event, Instant.EPOCH);
            for (String c : CONDITIONS) {
                Object rule = outcome(() -> rules.get(c).eval(core));
                RuleCel.Program condition = conditions.get(c);
                Object holds = outcome(() -> condition.test(workflow));
                Object onCel = outcome(() -> condition.eval(workflow));
                // a rule is violated and a condition does not hold unless the value is true (null is neither)
                Object ruleHolds = "error".equals(rule) ? rule : Boolean.TRUE.equals(rule);
                assertThat(holds).as("%s as a workflow condition and as a record rule, on %s (before: %s)", c,
                        after.values(), before == null ? null : before.values()).isEqualTo(ruleHolds);
                assertThat(onCel).as("%s on CEL itself", c).isEqualTo(rule);
                CelPrograms.Program formula = formulas.get(c);
                if (formula != null) {
                    Object value = outcome(() -> formula.eval(coreFormula));
                    assertThat(value).as("%s as a boolean formula, on %s", c, after.values()).isEqualTo(rule);
                }
            }
        });
    }

    @Test
    void aValueExpressionGivesWhatTheSameFormulaGives() throws Exception {
        Map<String, CelPrograms.Program> formulas = new LinkedHashMap<>();
        Map<String, RuleCel.Program> expressions = new LinkedHashMap<>();
        for (Map.Entry<String, FieldType> e : VALUES.entrySet()) {
            Field f = Field.formula("f", e.getValue(), e.getKey());
            formulas.put(e.getKey(), CelPrograms.compileFormula(PROBE, f));
            expressions.put(e.getKey(), RuleCel.compile(PROBE, e.getKey(), null));
            assertThat(expressions.get(e.getKey()).resultType()).as(e.getKey()).isNotEqualTo(SimpleType.DYN);
        }
        qt().withExamples(300).forAll(longs().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            Record after = randomRecord(r, 2);
            Map<String, Object> core = CelPrograms.variables(PROBE, after.values(), false);
            CelVariables workflow = RuleCel.variables(PROBE, after, null, Set.of(), "created", Instant.EPOCH);
            for (Map.Entry<String, FieldType> e : VALUES.entrySet()) {
                Field f = Field.formula("f", e.getValue(), e.getKey());
                Object formula = outcome(() -> formulas.get(e.getKey()).eval(core));
                Object expression = outcome(() -> expressions.get(e.getKey()).eval(workflow));
                assertThat(expression).as("%s on %s", e.getKey(), after.values()).isEqualTo(formula);
                // and the formula's value is what the workflow would write to a field of the formula's type
                Field target = target(e.getValue()).scale(f.scale());
                if (!(formula instanceof String s && s.equals("error"))) {
                    Object written = RuleCel.toField(target, expression);
                    assertThat(CelPrograms.fromCel(f, formula)).as("%s written", e.getKey()).isEqualTo(written);
                }
            }
        });
    }
}
