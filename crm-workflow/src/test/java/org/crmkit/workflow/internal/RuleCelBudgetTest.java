package org.crmkit.workflow.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.junit.jupiter.api.Test;

/**
 * Workflow conditions and value expressions have the same budget as record rules: what may exceed it is refused when
 * compiled (so the fast path never sees it), and an evaluation that runs over it fails with an error saying so. No
 * assertion depends on speed.
 */
class RuleCelBudgetTest {
    private static final ObjectType PROBE = ObjectType.custom("probe", "Probe", Field.text("name"),
            Field.relation("companies", "company"));

    private static String eightDeep() {
        String e = "true";
        for (int i = 7; i >= 0; i--) {
            e = "[0,1,2,3,4,5,6,7,8,9].all(v" + i + ", " + e + ")";
        }
        return e;
    }

    private static String doubling() {
        StringBuilder d = new StringBuilder("[name]");
        for (int i = 0; i < 40; i++) {
            d.append(".map(x, x + x)");
        }
        return d.toString();
    }

    @Test
    void theProbesExpressionsAreRefusedWhenCompiled() {
        assertThatThrownBy(() -> RuleCel.condition(PROBE, eightDeep())).isInstanceOf(RuleCel.CompileError.class)
                .hasMessageContaining("evaluation budget");
        assertThatThrownBy(() -> RuleCel.condition(PROBE, "size(" + doubling() + ") > 0"))
                .isInstanceOf(RuleCel.CompileError.class).hasMessageContaining("characters or entries");
        assertThatThrownBy(() -> RuleCel.compile(PROBE, doubling() + "[0]", null))
                .isInstanceOf(RuleCel.CompileError.class).hasMessageContaining("evaluation budget");
        // without a type (scheduled rules) too
        assertThatThrownBy(() -> RuleCel.condition(null, eightDeep())).isInstanceOf(RuleCel.CompileError.class);
    }

    @Test
    void conditionsOfTheFastPathShapeStayOnIt() throws Exception {
        assertThat(RuleCel.condition(PROBE, "name == 'x' || name.startsWith('y')").fast()).isNotNull();
    }

    @Test
    void anEvaluationOverTheRunTimeBudgetFailsSayingSo() throws Exception {
        // statically a relation is assumed to hold at most 10,000 records: 10 x 10,000 iterations fit the budget
        RuleCel.Program wide = RuleCel.condition(PROBE,
                "companies.all(c, [0, 1, 2, 3, 4, 5, 6, 7, 8].all(d, c != ''))");
        assertThat(wide.fast()).isNull();
        assertThat(wide.test(variables(100))).isTrue();

        assertThatThrownBy(() -> wide.test(variables(10_001))).isInstanceOf(IllegalStateException.class)
                .hasMessage("ran over its evaluation budget (more than 100000 comprehension iterations)");
        RuleCel.Program value = RuleCel.compile(PROBE, "companies.filter(c, [0, 1, 2, 3, 4, 5, 6, 7, 8]"
                + ".all(d, c != '')).size()", null);
        assertThatThrownBy(() -> value.eval(variables(10_001))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("evaluation budget");
    }

    private static CelVariables variables(int links) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < links; i++) {
            ids.add(new UUID(7, i));
        }
        Instant t = Instant.EPOCH;
        Record r = new Record(new UUID(1, 2), "probe", 1, "u", null, t, "u", t, "u", null,
                Map.of("name", "n", "companies", ids));
        return RuleCel.variables(PROBE, r, null, Set.of(), "created", t);
    }
}
