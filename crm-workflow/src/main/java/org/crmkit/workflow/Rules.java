package org.crmkit.workflow;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.crmkit.record.Record;
import org.jspecify.annotations.Nullable;

/**
 * The rules of a workflow, stored by the storage beside the schema, versioned and audited: every save or deletion is
 * a new version with who and when ({@link #history}). Changes take effect on this node at once and on other nodes
 * within a poll interval. Every check runs when a rule is saved (names, types, fields, the CEL condition and value
 * expressions type-checked against the schema, cron syntax, webhook addresses, custom action names, roles): a bad
 * rule is a {@link org.crmkit.error.ValidationException} naming each bad part ({@code condition},
 * {@code trigger.cron}, {@code actions[1].values.close_date}...) and nothing is saved.
 *
 * <p>An instance serves one caller ({@link Workflow#rules(org.crmkit.security.Principal)}): every method but
 * {@link #run}, {@link #toJson} and {@link #fromJson} needs
 * {@link org.crmkit.security.AdminPermission#MANAGE_RULES} ({@link org.crmkit.error.AccessDeniedException}
 * otherwise). A save records the caller as who saved the version and, when the rule names no {@link Rule#runAs()},
 * as whom it runs; naming another principal, or enabling a rule that runs as another, needs
 * {@link org.crmkit.security.AdminPermission#RUN_RULES_AS_OTHERS}. The rule is checked against its principal's
 * access: to the rule, a field that principal cannot read does not exist; writes need that principal's permissions
 * (owner and team: TRANSFER). The same checks run whenever the rules are loaded: a rule whose principal lost access
 * is off, listed by {@link #broken()}, and its waiting jobs become dead letters with the reason.
 */
public interface Rules {
    /**
     * Saves a new rule ({@code rule.version()} 0) or a new version of one ({@code rule.version()} the version it
     * changes); returns it with its new version. A version that is not the stored one is a
     * {@link org.crmkit.error.CrmException} with code {@code CONFLICT}.
     */
    Rule save(Rule rule);

    /** Reads a rule from its JSON form ({@link #toJson}), checks and saves it as {@link #save} does. */
    default Rule saveJson(String json) {
        return save(fromJson(json));
    }

    Optional<Rule> find(String name);

    /** The rule; {@link org.crmkit.error.NotFoundException} when there is none. */
    Rule get(String name);

    /** Every rule, in run order. */
    List<Rule> list();

    /** Enables (or disables) a rule: a new version. */
    Rule setEnabled(String name, boolean enabled);

    /** Deletes a rule (its history stays); waiting jobs it planned for later (schedules, dates) are dropped. */
    void delete(String name);

    /** Every version of a rule, oldest first. */
    List<RuleVersion> history(String name);

    /**
     * Runs a rule now for a record (or, with null, for a rule without object type), if its condition holds; returns
     * the id of the job, or empty when the condition was false. The record must be visible to the caller and to the
     * rule's principal ({@link org.crmkit.error.NotFoundException} otherwise).
     */
    Optional<UUID> run(String name, @Nullable UUID recordId);

    /**
     * Which enabled rules a change would trigger, in run order, without running anything: {@code before} null for a
     * create, {@code after} deleted for a soft delete. For testing rules and for tooling.
     */
    List<String> simulate(@Nullable Record before, Record after);

    /** The JSON form of a rule (what {@link #fromJson} reads), stable across versions of CRMKit. */
    String toJson(Rule rule);

    /** Reads the JSON form; a malformed document is a {@link org.crmkit.error.ValidationException} naming the part. */
    Rule fromJson(String json);

    /** Rules that failed to compile against the current schema (a field they use was deleted), with the reason. */
    Map<String, String> broken();
}
