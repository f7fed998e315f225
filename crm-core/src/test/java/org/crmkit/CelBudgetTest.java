package org.crmkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.SchemaException;
import org.crmkit.error.ValidationException;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.ValidationRule;
import org.crmkit.security.Principal;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rules and formulas have a cost budget: what can exceed it is refused when defined, naming the rule or formula, and
 * an evaluation that runs over it at run time ends with a typed error naming the rule (not a hang, not an
 * OutOfMemoryError). No assertion depends on speed.
 */
class CelBudgetTest {
    /** The probe's rule: {@code [0..9].all(v0, [0..9].all(v1, ...))} eight deep. */
    static final String EIGHT_DEEP;
    /** The probe's {@code [t].map(x, x + x)} repeated 40 times. */
    static final String DOUBLING;

    static {
        String digits = "[0,1,2,3,4,5,6,7,8,9]";
        String e = "true";
        for (int i = 7; i >= 0; i--) {
            e = digits + ".all(v" + i + ", " + e + ")";
        }
        EIGHT_DEEP = e;
        StringBuilder d = new StringBuilder("[name]");
        for (int i = 0; i < 40; i++) {
            d.append(".map(x, x + x)");
        }
        DOUBLING = d.toString();
    }

    private Crm crm;

    @BeforeEach
    void setUp() {
        crm = Crm.builder().storage(InMemoryStorage.create()).build();
        crm.schema().addObjectType(ObjectType.custom("probe", "Probe", Field.text("name").required(true),
                Field.relation("companies", "company")));
    }

    @AfterEach
    void tearDown() {
        crm.close();
    }

    private SchemaException refusedDefinition(Runnable define) {
        SchemaException e = catchThrowableOfType(SchemaException.class, define::run);
        assertThat(e).as("the definition is refused").isNotNull();
        assertThat(e.problem()).isEqualTo(SchemaException.Problem.INVALID_EXPRESSION);
        return e;
    }

    @Test
    void theProbesRulesAreRefusedWhenDefined() {
        assertThat(EIGHT_DEEP).hasSizeLessThan(300);
        assertThat(refusedDefinition(() -> crm.schema().addRule("probe",
                ValidationRule.of("deep", EIGHT_DEEP, "never"))).getMessage())
                .contains("rule deep").contains("evaluation budget");
        assertThat(refusedDefinition(() -> crm.schema().addRule("probe",
                ValidationRule.of("doubling", "size(" + DOUBLING + ") > 0", "never"))).getMessage())
                .contains("rule doubling").contains("characters or entries");
        assertThat(crm.schema().objectType("probe").rules()).isEmpty();
        // writes go on as before
        assertThat(crm.as(Principal.SYSTEM).records("probe").create(Map.of("name", "ok")).getString("name"))
                .isEqualTo("ok");
    }

    @Test
    void theProbesFormulaIsRefusedWhenDefined() {
        SchemaException e = refusedDefinition(() -> crm.schema().addField("probe",
                Field.formula("blowup", FieldType.TEXT, DOUBLING + "[0]")));
        assertThat(e.getMessage()).contains("blowup").contains("evaluation budget");
        assertThat(e.field()).contains("blowup");
        assertThat(crm.schema().objectType("probe").findField("blowup")).isEmpty();
    }

    @Test
    void ordinaryRulesAndFormulasFitTheBudget() {
        crm.schema().addField("probe", Field.longText("notes"));
        crm.schema().addField("probe", Field.multiPicklist("tags", "a", "b", "c"));
        crm.schema().addRule("probe", ValidationRule.of("tagged", "tags.exists(t, t == 'a') || size(tags) == 0",
                "x"));
        crm.schema().addRule("probe", ValidationRule.of("linked", "companies.all(c, size(c) == 36)", "x"));
        crm.schema().addRule("probe",
                ValidationRule.of("noted", "notes == null || size(notes + ' ' + notes) < 300000", "x"));
        crm.schema().addField("probe", Field.formula("shout", FieldType.TEXT, "name + '!' + name"));
        crm.schema().addField("deal", Field.formula("weighted", FieldType.DECIMAL,
                "amount == null || probability == null ? 0.0 : double(amount) * double(probability) / 100.0"));
        crm.schema().addRule("deal", ValidationRule.of("won_needs_date", "stage != 'closed_won' || close_date != null",
                "closed deals need a close date"));
        Record r = crm.as(Principal.SYSTEM).records("probe").create(Map.of("name", "hey", "tags", List.of("a")));
        assertThat(r.getString("shout")).isEqualTo("hey!hey");
    }

    private List<UUID> companies(int n) {
        RecordSet companies = crm.as(Principal.SYSTEM).records("company");
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(companies.create(Map.of("name", "c" + i)).id());
        }
        return ids;
    }

    @Test
    void evaluationsOverTheRunTimeBudgetEndWithATypedErrorNamingTheRule() {
        // statically a relation is assumed to hold at most 10,000 records, so 10 x 10,000 iterations fit; the
        // 10,001 linked below make an evaluation run over the limit of 100,000
        String tenEach = "[0, 1, 2, 3, 4, 5, 6, 7, 8].all(d, c != '')";
        crm.schema().addField("probe", Field.formula("linked", FieldType.INTEGER,
                "companies.filter(c, " + tenEach + ").size()"));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 10_001; i++) {
            rows.add(Map.of("name", "c" + i));
        }
        List<UUID> ids = List.copyOf(crm.as(Principal.SYSTEM).records("company").importRecords("companies", rows)
                .createdIds().values());
        assertThat(ids).hasSize(10_001);
        RecordSet probes = crm.as(Principal.SYSTEM).records("probe");
        assertThat(probes.create(Map.of("name", "few", "companies", ids.subList(0, 3))).getLong("linked"))
                .isEqualTo(3L);
        // a formula over budget reads as empty, like any formula that cannot be evaluated on a record
        Record many = probes.create(Map.of("name", "many", "companies", ids));
        assertThat(many.has("linked")).isFalse();
        assertThat(probes.get(many.id()).has("linked")).isFalse();

        crm.schema().addRule("probe", ValidationRule.of("wide", "companies.all(c, " + tenEach + ")", "never"));
        assertThat(probes.create(Map.of("name", "few", "companies", ids.subList(0, 100))).getList("companies"))
                .hasSize(100);
        ValidationException e = catchThrowableOfType(ValidationException.class,
                () -> probes.create(Map.of("name", "many", "companies", ids)));

        assertThat(e).isNotNull();
        assertThat(e.errors()).containsExactly(new FieldError(FieldError.RECORD, FieldErrorCode.RULE_FAILED,
                "rule wide could not be evaluated: it ran over its evaluation budget (more than 100000 comprehension "
                        + "iterations)"));
        assertThat(probes.count(org.crmkit.query.Filters.all())).isEqualTo(3);
    }
}
