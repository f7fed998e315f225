package org.crmkit.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cel.runtime.CelEvaluationException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.crmkit.error.SchemaException;
import org.crmkit.internal.cel.CelPrograms;
import org.crmkit.record.Address;
import org.crmkit.record.Money;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;

/**
 * CEL text an admin types as a record rule or a formula ({@code crm.schema().addRule}, {@code Field.formula}),
 * compiled by {@link CelPrograms} against a type with a field of every type: the expression compiles or is refused
 * with a {@link SchemaException} ({@code INVALID_EXPRESSION}); a compiled one evaluates on a sample record within its
 * budget (a formula to a value of its declared type) or ends with a {@link CelEvaluationException} (which the engine
 * reports as a failed rule or an empty formula). Inputs: the expression as UTF-8; for {@link #formula} the first byte
 * picks the result type ({@code '0'} TEXT, {@code '1'} INTEGER, {@code '2'} DECIMAL, {@code '3'} PERCENT,
 * {@code '4'} BOOLEAN, {@code '5'} DATE, {@code '6'} DATETIME, {@code '7'} CURRENCY, which is refused).
 */
class CelExpressionFuzzTest {
    private static final ObjectType TYPE = ObjectType.custom("fuzz", "Fuzz", Field.text("name"),
            Field.longText("notes"), Field.integer("count"), Field.decimal("ratio"), Field.currency("amount"),
            Field.percent("probability"), Field.bool("active"), Field.date("close_date"), Field.datetime("seen_at"),
            Field.email("email"), Field.phone("phone"), Field.url("website"),
            Field.picklist("stage", "new", "won", "lost"), Field.multiPicklist("tags", "a", "b", "c"),
            Field.reference("company", "company"), Field.relation("contacts", "contact"), Field.address("address"),
            Field.formula("double_ratio", FieldType.DECIMAL, "ratio * 2.0"));

    private static final Map<String, Object> RECORD = Map.ofEntries(Map.entry("name", "Ada"),
            Map.entry("notes", "first\nsecond"), Map.entry("count", 42L), Map.entry("ratio", new BigDecimal("0.25")),
            Map.entry("amount", Money.of("12500.00", "EUR")), Map.entry("probability", new BigDecimal("40")),
            Map.entry("active", true), Map.entry("close_date", LocalDate.of(2026, 12, 31)),
            Map.entry("seen_at", Instant.parse("2026-12-06T10:15:30Z")), Map.entry("email", "ada@example.com"),
            Map.entry("phone", "+442079460958"), Map.entry("website", "https://example.com"),
            Map.entry("stage", "won"), Map.entry("tags", List.of("a", "c")),
            Map.entry("company", new UUID(1, 2)), Map.entry("contacts", List.of(new UUID(3, 4), new UUID(5, 6))),
            Map.entry("address", new Address("1 Main St", "London", null, "N1 1AA", "GB")),
            Map.entry("double_ratio", new BigDecimal("0.50")));

    private static final List<FieldType> RESULT_TYPES = List.of(FieldType.TEXT, FieldType.INTEGER, FieldType.DECIMAL,
            FieldType.PERCENT, FieldType.BOOLEAN, FieldType.DATE, FieldType.DATETIME, FieldType.CURRENCY);

    @FuzzTest
    void recordRule(byte[] data) {
        CelPrograms.Program program;
        try {
            program = CelPrograms.compileRule(TYPE, "fuzz_rule", FuzzInput.text(data));
        } catch (SchemaException e) {
            FuzzInput.refused(e);
            return;
        }
        assertThat(TYPE.fields().stream().map(Field::name).toList()).containsAll(program.reads());
        Map<String, Object> vars = new HashMap<>(CelPrograms.variables(TYPE, RECORD, true));
        CelPrograms.addRuleContext(vars, TYPE, false, Set.of("stage", "amount"), Map.of("stage", "new"));
        try {
            // any value but true violates the rule (a dyn expression such as prior.stage checks as a bool)
            program.eval(vars);
        } catch (CelEvaluationException e) {
            // the rule could not be evaluated on this record: RULE_FAILED for the writer
        }
    }

    @FuzzTest
    void formula(byte[] data) {
        FieldType resultType = RESULT_TYPES.get(FuzzInput.choice(data, RESULT_TYPES.size()));
        Field formula = Field.formula("fuzz_formula", resultType, FuzzInput.rest(data));
        CelPrograms.Program program;
        try {
            program = CelPrograms.compileFormula(TYPE, formula);
        } catch (SchemaException e) {
            FuzzInput.refused(e);
            return;
        }
        try {
            Object value = CelPrograms.fromCel(formula, program.eval(CelPrograms.variables(TYPE, RECORD, false)));
            if (value != null) {
                assertThat(value).isInstanceOf(switch (resultType) {
                    case TEXT -> String.class;
                    case INTEGER -> Long.class;
                    case DECIMAL, PERCENT -> BigDecimal.class;
                    case BOOLEAN -> Boolean.class;
                    case DATE -> LocalDate.class;
                    default -> Instant.class;
                });
            }
        } catch (CelEvaluationException e) {
            // the formula is empty on this record
        }
    }
}
