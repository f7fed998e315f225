package org.crmkit.workflow.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.crmkit.record.Address;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;

/**
 * A workflow rule's condition ({@code Rule.builder(...).when(cel)}, or {@code "condition"} in rule JSON), compiled by
 * {@link RuleCel#condition} against a type with a field of every type: refused with a {@link RuleCel.CompileError},
 * or compiled; a compiled condition evaluated on a record (and what it was before) gives the same answer through
 * {@link FastCel} (the closure tree that runs the common shapes without CEL) as through CEL itself: holds, does not
 * hold, or cannot be evaluated (an {@link IllegalStateException} naming the expression, what the job reports).
 * Input: the first byte picks the record ({@code '0'} a full one updated, {@code '1'} a new one with empty fields,
 * {@code '2'} a full one whose every field changed), the rest is the condition as UTF-8.
 */
class ConditionFuzzTest {
    private static final ObjectType PROBE = ObjectType.custom("probe", "Probe", Field.text("name"),
            Field.longText("notes"), Field.integer("count"), Field.decimal("ratio"), Field.currency("amount"),
            Field.percent("share"), Field.bool("active"), Field.date("due"), Field.datetime("at"),
            Field.email("email"), Field.phone("phone"), Field.url("website"), Field.address("billing"),
            Field.picklist("stage", "lead", "proposal", "won", "lost"),
            Field.multiPicklist("tags", "vip", "partner", "press"), Field.reference("account", "company"),
            Field.relation("companies", "company"));

    private static final Record FULL = record(2, Map.ofEntries(Map.entry("name", "Ada"),
            Map.entry("notes", "note x"), Map.entry("count", 7L), Map.entry("ratio", new BigDecimal("0.25")),
            Map.entry("amount", Money.of("1250.00", "EUR")), Map.entry("share", new BigDecimal("40.00")),
            Map.entry("active", true), Map.entry("due", LocalDate.of(2026, 3, 1)),
            Map.entry("at", Instant.parse("2026-02-20T10:00:00Z")), Map.entry("email", "ada@example.com"),
            Map.entry("phone", "+442079460958"), Map.entry("website", "https://example.com"),
            Map.entry("billing", new Address("1 rue X", "Paris", null, null, "FR")), Map.entry("stage", "won"),
            Map.entry("tags", List.of("vip", "press")), Map.entry("account", new UUID(0, 7)),
            Map.entry("companies", List.of(new UUID(0, 7), new UUID(1, 7)))));
    private static final Record EMPTY = record(1, Map.of("name", ""));
    private static final Record OTHER = record(1, Map.of("name", "Bob", "count", -3L, "stage", "lead",
            "tags", List.of("partner"), "active", false, "ratio", new BigDecimal("-1.5")));

    private static Record record(long version, Map<String, Object> values) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return new Record(new UUID(1, 2), "probe", version, "u-1", null, t, "u", t, "u", null, values);
    }

    @FuzzTest
    void condition(byte[] data) {
        String expression = data.length < 2 ? ""
                : new String(Arrays.copyOfRange(data, 1, data.length), StandardCharsets.UTF_8);
        RuleCel.Program program;
        try {
            program = RuleCel.condition(PROBE, expression);
        } catch (RuleCel.CompileError e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        int choice = data.length == 0 ? 0 : Math.floorMod(data[0] - '0', 3);
        Record after = choice == 1 ? EMPTY : FULL;
        Record before = choice == 0 ? OTHER : choice == 1 ? null : EMPTY;
        Set<String> changed = choice == 0 ? Set.of("name", "count", "stage") : Set.of("name");
        CelVariables vars = RuleCel.variables(PROBE, after, before, changed, before == null ? "created" : "updated",
                Instant.parse("2026-03-01T12:00:00Z"));
        Object fast = outcome(() -> program.test(vars));
        Object cel = outcome(() -> Boolean.TRUE.equals(program.eval(vars)));
        assertThat(fast).as("%s through FastCel (%s) and through CEL", expression,
                program.fast() == null ? "not covered" : "covered").isEqualTo(cel);
    }

    private interface Eval {
        Object run() throws Exception;
    }

    /** The result, or "error" for an evaluation that ends with CEL's error or the condition's. */
    private static Object outcome(Eval e) {
        try {
            return e.run();
        } catch (IllegalStateException | dev.cel.runtime.CelEvaluationException ex) {
            return "error";
        } catch (Exception ex) {
            throw new AssertionError(ex);
        }
    }
}
