package org.crmkit.workflow.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.crmkit.Crm;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.schema.ObjectType;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The fast path gives exactly what CEL gives (values and errors) on random deals, for the conditions it covers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FastCelTest {
    private static final List<String> CONDITIONS = List.of("amount != null && amount > 1000.0", "amount > 1000.0",
            "amount > 1000.0 || stage == 'proposal'", "amount > 1000.0 && stage == 'proposal'",
            "stage == 'negotiation' && probability != null && probability >= 25.0", "name.startsWith('A')",
            "name.endsWith('7')", "description.contains('vip')",
            "close_date != null && close_date < timestamp('2026-06-15T00:00:00Z')",
            "close_date < timestamp('2026-06-15T00:00:00Z')", "'stage' in changed && stage == 'closed_won'",
            "stage in ['proposal', 'negotiation']", "!(amount > 10.0)", "amount == null", "null == description",
            "size(name) > 3", "name.size() < 8", "is_new ? stage == 'prospecting' : probability > 50.0",
            "amount >= 100.0 && amount <= 200.0", "description != null && description != ''", "owner == 'u-1'",
            "probability > 10.0 || probability < 5.0", "!(stage == 'x') && !is_new",
            "event == 'updated' && 'amount' in changed", "close_date == null || close_date > now",
            "prior.stage == 'proposal'", "amount * 2.0 > 10.0");
    private static final String[] STAGES = {"prospecting", "proposal", "negotiation", "closed_won"};

    private Crm crm;
    private ObjectType deal;

    @BeforeAll
    void schema() {
        crm = Crm.builder().storage(InMemoryStorage.create()).build();
        deal = crm.schema().objectType("deal");
    }

    @AfterAll
    void close() {
        crm.close();
    }

    private RuleCel.Program compile(String cel) throws RuleCel.CompileError {
        return RuleCel.condition(deal, cel);
    }

    @Test
    void theUsualConditionsTakeTheFastPathAndTheRestRunOnCel() throws Exception {
        for (String c : CONDITIONS) {
            boolean fast = !c.startsWith("prior.") && !c.contains("*");
            assertThat(compile(c).fast() != null).as(c).isEqualTo(fast);
        }
    }

    private static Record randomDeal(Random r, long version) {
        Map<String, Object> v = new HashMap<>();
        if (r.nextInt(4) > 0) {
            v.put("name", (char) ('A' + r.nextInt(4)) + "deal" + r.nextInt(20));
        }
        v.put("stage", STAGES[r.nextInt(STAGES.length)]);
        if (r.nextInt(3) > 0) {
            v.put("amount", Money.of(BigDecimal.valueOf(r.nextInt(300_000), 2).toPlainString(), "USD"));
        }
        if (r.nextBoolean()) {
            v.put("probability", BigDecimal.valueOf(r.nextInt(101)).setScale(2));
        }
        if (r.nextBoolean()) {
            v.put("close_date", LocalDate.of(2026, 1 + r.nextInt(12), 1 + r.nextInt(28)));
        }
        if (r.nextInt(3) == 0) {
            v.put("description", r.nextBoolean() ? "" : r.nextBoolean() ? "a vip deal" : "plain");
        }
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return new Record(new UUID(1, 2), "deal", version, r.nextBoolean() ? "u-1" : "u-2", null, t, "u", t, "u", null,
                v);
    }

    private static Object cel(RuleCel.Program p, Map<String, Object> vars) {
        try {
            return p.program().eval((dev.cel.runtime.CelVariableResolver) n -> java.util.Optional.ofNullable(
                    vars.get(n)));
        } catch (Exception e) {
            return "error";
        }
    }

    @Test
    void theVariablesAreEveryFieldAndTheContextWithFieldsHidingContextNames() {
        Record d = randomDeal(new Random(7), 3);
        CelVariables vars = RuleCel.variables(deal, d, null, Set.of("stage"), "created", Instant.EPOCH);
        Map<String, Object> expected = new HashMap<>();
        deal.fields().stream().filter(f -> f.type() != org.crmkit.schema.FieldType.FORMULA).forEach(f -> expected.put(
                f.name(), org.crmkit.internal.cel.CelValues.toCel(f.valueType(), d.values().get(f.name()))));
        expected.putIfAbsent("id", d.id().toString());
        expected.putIfAbsent("owner", d.owner());
        expected.putIfAbsent("team", dev.cel.common.values.NullValue.NULL_VALUE);
        expected.putIfAbsent("changed", List.of("stage"));
        expected.putIfAbsent("is_new", true);
        expected.putIfAbsent("event", "created");
        expected.putIfAbsent("now", Instant.EPOCH);
        Map<String, Object> copy = new HashMap<>(vars);
        assertThat(copy.remove("prior")).isInstanceOf(Map.class);
        assertThat(copy).isEqualTo(expected);
        assertThat(vars.get("no_such_field")).isNull();
        assertThat(vars.containsKey("stage")).isTrue();
    }

    @Test
    void fastAndCelAgreeOnEveryRandomDeal() throws Exception {
        Map<String, RuleCel.Program> programs = new HashMap<>();
        for (String c : CONDITIONS) {
            programs.put(c, compile(c));
        }
        qt().withExamples(400).forAll(longs().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            Record before = r.nextInt(4) == 0 ? null : randomDeal(r, 1);
            Record after = randomDeal(r, 2);
            Set<String> changed = r.nextBoolean() ? Set.of("stage", "amount") : Set.of("name");
            String event = before == null ? "created" : "updated";
            Instant now = Instant.parse("2026-05-01T00:00:00Z");
            CelVariables vars = RuleCel.variables(deal, after, before, changed, event, now);
            // variables made for an equal but other instance of the type: names are looked up, not slots read
            CelVariables byName = RuleCel.variables(deal.withFields(List.copyOf(deal.fields())), after, before,
                    changed, event, now);
            for (Map.Entry<String, RuleCel.Program> e : programs.entrySet()) {
                FastCel.Node fast = e.getValue().fast();
                if (fast == null) {
                    continue;
                }
                Object f = fast.eval(vars);
                assertThat(f == FastCel.ERROR ? "error" : f).as("%s on %s", e.getKey(), after.values())
                        .isEqualTo(cel(e.getValue(), vars));
                Object g = fast.eval(byName);
                assertThat(g == FastCel.ERROR ? "error" : g).as("by name: %s", e.getKey())
                        .isEqualTo(f == FastCel.ERROR ? "error" : f);
            }
        });
    }
}
