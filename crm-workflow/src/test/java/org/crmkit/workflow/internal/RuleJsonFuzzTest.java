package org.crmkit.workflow.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.crmkit.Crm;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;
import org.crmkit.error.FieldError;
import org.crmkit.error.ValidationException;
import org.crmkit.storage.memory.InMemoryStorage;
import org.crmkit.workflow.Rule;
import org.crmkit.workflow.Workflow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A rule document an admin uploads ({@code workflow.rules().save(json)}): {@link RuleJson#read} gives a rule or a
 * {@link ValidationException} naming every problem under its path; a rule that reads is written and read back as
 * itself; and saving it (the rule checker: object type, fields, CEL conditions and values, cron and zone, actions)
 * stores it (it is deleted again) or refuses it with a {@link ValidationException}, or a {@link CrmException} with
 * code {@code CONFLICT} for a version that is not the stored one. Never another exception. Input: the document as
 * UTF-8; the golden rule files of {@code src/test/resources/golden/rules} are the seeds.
 */
class RuleJsonFuzzTest {
    private static Workflow workflow;
    private static Crm crm;

    @BeforeAll
    static void start() {
        workflow = Workflow.builder().workers(0).action("log", c -> {}).build();
        crm = Crm.builder().storage(InMemoryStorage.create()).workflow(workflow).build();
    }

    @AfterAll
    static void stop() {
        crm.close();
    }

    @FuzzTest
    void ruleDocument(byte[] data) {
        String json = new String(data, StandardCharsets.UTF_8);
        Rule rule;
        try {
            rule = RuleJson.read(json);
        } catch (ValidationException e) {
            refused(e);
            return;
        }
        assertThat(RuleJson.read(RuleJson.write(rule))).isEqualTo(rule);
        try {
            Rule saved = workflow.rules().save(rule);
            workflow.rules().delete(saved.name());
        } catch (ValidationException e) {
            refused(e);
        } catch (CrmException e) {
            // a version that is not the stored one (a deleted rule keeps its history, so its name too)
            assertThat(e.code()).as("%s", e).isEqualTo(ErrorCode.CONFLICT);
            refused(e);
        }
    }

    /** A refusal says what is wrong: a code, a message and, for a validation, each field with its problem. */
    static void refused(CrmException e) {
        assertThat(e.code()).as("code of %s", e).isNotNull();
        assertThat(e.getMessage()).as("message of %s", e).isNotBlank();
        if (e instanceof ValidationException v) {
            assertThat(v.errors()).as("errors of %s", e).isNotEmpty();
            for (FieldError error : v.errors()) {
                assertThat(error.message()).as("message of %s", error).isNotBlank();
            }
        }
    }
}
