package org.crmkit.workflow.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.crmkit.error.ValidationException;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.security.Principal;
import org.crmkit.storage.spi.DocumentStore;
import org.crmkit.workflow.Rule;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compiled rules this node knows: the rule documents checked against the schema, reloaded when the documents'
 * revision (a save here or on another node) or the schema version moves. The rule set is the one piece of shared
 * mutable state (volatile, replaced whole); a rule that does not compile is off and listed as broken.
 */
final class RuleCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(RuleCatalog.class);
    static final String RULE_KIND = "workflow_rule";

    private final CrmBinding crm;
    private final RuleChecker checker;
    private volatile RuleSet ruleSet = new RuleSet(List.of(), Map.of(), -1, -1);

    RuleCatalog(CrmBinding crm, RuleChecker checker) {
        this.crm = crm;
        this.checker = checker;
    }

    /** The rules now (reloaded first when the schema changed since they were compiled). */
    RuleSet ruleSet() {
        RuleSet rs = ruleSet;
        if (crm.isAttached() && rs.schemaVersion != crm.schemaVersion()) {
            reload();
            rs = ruleSet;
        }
        return rs;
    }

    /**
     * The rule as this node knows it now; when this node has not seen version {@code atLeast} yet (another node saved
     * it since the last poll), the rules are reloaded first.
     */
    @Nullable
    CompiledRule currentRule(String name, long atLeast) {
        CompiledRule r = ruleSet().byName.get(name);
        if (r == null || r.rule.version() < atLeast) {
            refreshIfChanged();
            r = ruleSet().byName.get(name);
        }
        return r;
    }

    /** Checks {@code rule} against the schema and the access of whom it runs as, both as they are now. */
    CompiledRule compile(Rule rule) {
        return checker.check(rule, crm.schema(), crm.context());
    }

    /** Reloads when another node (or this one) changed the rules. */
    void refreshIfChanged() {
        if (crm.documents().revision(RULE_KIND) != ruleSet.revision) {
            reload();
        }
    }

    synchronized void reload() {
        DocumentStore documents = crm.documents();
        long revision = documents.revision(RULE_KIND);
        SchemaSnapshot schema = crm.schema();
        List<CompiledRule> compiled = new ArrayList<>();
        Map<String, String> broken = new HashMap<>();
        for (DocumentStore.StoredDocument d : documents.list(RULE_KIND)) {
            try {
                compiled.add(checker.check(stored(d), schema, crm.context()));
            } catch (ValidationException e) {
                broken.put(d.name(), String.valueOf(e.getMessage()));
                LOG.warn("workflow rule {} does not compile against schema version {} and is off: {}", d.name(),
                        schema.version(), e.getMessage());
            }
        }
        ruleSet = new RuleSet(compiled, broken, revision, schema.version());
    }

    /**
     * A stored rule version. Versions saved before rules recorded who saved them carry no {@code savedBy}: they keep
     * the id of the principal that saved the document when that is safe (they name whom they run as, or the system
     * principal saved them); a version that runs as the system principal by the old default although someone else
     * saved it keeps none, which the checker refuses, so that it stays off until an admin saves it again.
     */
    static Rule stored(DocumentStore.StoredDocument d) {
        String body = d.body();
        if (body == null) {
            throw new IllegalArgumentException("document " + d.name() + " version " + d.version() + " is a deletion");
        }
        Rule r = RuleJson.read(body).withVersion(d.version());
        if (r.savedBy() != null || r.runAs() == null) {
            return r;
        }
        boolean safe = !r.runAs().isSystem() || Principal.SYSTEM_ID.equals(d.principalId());
        return safe ? r.withSavedBy(d.principalId()) : r;
    }
}
