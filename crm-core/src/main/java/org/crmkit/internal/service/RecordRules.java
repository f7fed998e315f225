package org.crmkit.internal.service;

import dev.cel.runtime.CelEvaluationException;
import java.util.List;
import java.util.Map;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.internal.cel.CelBudget;
import org.crmkit.internal.cel.CelPrograms;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.ValidationRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the record rules of a write and reports what fails, telling the caller nothing about fields hidden from them.
 * Every rule runs, whatever the caller may see (the data stays valid). A failure is reported on the rule's field when
 * the caller can see it, else on the record. A caller who can read the rule's field and every field it reads gets
 * the rule's own message when it is violated, and {@link FieldErrorCode#RULE_FAILED} "rule <name> could not be
 * evaluated" when it cannot be evaluated (never CEL's message, which quotes values; the details go to the debug
 * log). Any other caller gets {@link FieldErrorCode#RULE_VIOLATED} "rejected by rule <name>" in both cases: the
 * admin's message may speak of the hidden fields, and whether evaluation failed would say something of their values.
 */
final class RecordRules {
    private static final Logger LOG = LoggerFactory.getLogger(RecordRules.class);

    private RecordRules() {}

    /** Evaluates the rules of {@code type} against prepared variables, adding an error for each that fails. */
    static void check(ObjectType type, Map<String, CelPrograms.Program> programs, Map<String, Object> vars,
            Access access, List<FieldError> errors) {
        for (ValidationRule rule : type.rules()) {
            // the compiled schema has a program for every rule of the type
            CelPrograms.Program program = java.util.Objects.requireNonNull(programs.get(rule.name()), rule.name());
            boolean fieldHidden = rule.field() != null && !access.canSee(rule.field());
            // the admin's message may speak of any field the rule reads or reports on
            boolean readsHidden = fieldHidden || program.reads().stream().anyMatch(f -> !access.canSee(f));
            String field = rule.field() == null || fieldHidden ? FieldError.RECORD : rule.field();
            try {
                if (!Boolean.TRUE.equals(program.eval(vars))) {
                    errors.add(new FieldError(field, FieldErrorCode.RULE_VIOLATED, readsHidden
                            ? "rejected by rule " + rule.name() : rule.message()));
                }
            } catch (CelEvaluationException | RuntimeException e) {
                LOG.debug("rule {} of {} could not be evaluated", rule.name(), type.name(), e);
                if (readsHidden) {
                    // whether it failed on a hidden value or was violated by one is one more bit: say neither
                    errors.add(new FieldError(field, FieldErrorCode.RULE_VIOLATED, "rejected by rule " + rule.name()));
                    continue;
                }
                String exceeded = e instanceof CelEvaluationException c ? CelBudget.exceeded(c) : null;
                errors.add(new FieldError(field, FieldErrorCode.RULE_FAILED, "rule " + rule.name()
                        + " could not be evaluated" + (exceeded != null
                                ? ": it ran over its evaluation budget (" + exceeded + ")" : "")));
            }
        }
    }
}
