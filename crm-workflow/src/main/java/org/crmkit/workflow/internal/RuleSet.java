package org.crmkit.workflow.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.crmkit.workflow.Trigger;

/** The compiled rules at one revision of the rule documents and one schema version; replaced whole. */
final class RuleSet {
    static final Comparator<CompiledRule> ORDER = Comparator.comparingInt((CompiledRule r) -> r.rule.order())
            .thenComparing(CompiledRule::name);

    final Map<String, CompiledRule> byName;
    /** Enabled record-triggered rules by object type, in run order. */
    final Map<String, List<CompiledRule>> recordRules;
    /** Enabled date-relative rules by object type. */
    final Map<String, List<CompiledRule>> dateRules;
    final Map<String, String> broken;
    final long revision;
    final long schemaVersion;

    RuleSet(List<CompiledRule> rules, Map<String, String> broken, long revision, long schemaVersion) {
        Map<String, CompiledRule> names = new HashMap<>();
        Map<String, List<CompiledRule>> record = new HashMap<>();
        Map<String, List<CompiledRule>> date = new HashMap<>();
        List<CompiledRule> sorted = new ArrayList<>(rules);
        sorted.sort(ORDER);
        for (CompiledRule r : sorted) {
            names.put(r.name(), r);
            if (!r.rule.enabled() || r.type == null) {
                continue;
            }
            if (r.recordTriggered()) {
                record.computeIfAbsent(r.type.name(), k -> new ArrayList<>()).add(r);
            } else if (r.rule.trigger() instanceof Trigger.RelativeToDate) {
                date.computeIfAbsent(r.type.name(), k -> new ArrayList<>()).add(r);
            }
        }
        this.byName = Map.copyOf(names);
        record.replaceAll((k, v) -> List.copyOf(v));
        date.replaceAll((k, v) -> List.copyOf(v));
        this.recordRules = Map.copyOf(record);
        this.dateRules = Map.copyOf(date);
        this.broken = Map.copyOf(broken);
        this.revision = revision;
        this.schemaVersion = schemaVersion;
    }

    boolean watches(String type) {
        return recordRules.containsKey(type) || dateRules.containsKey(type);
    }

    List<CompiledRule> inOrder() {
        List<CompiledRule> all = new ArrayList<>(byName.values());
        all.sort(ORDER);
        return all;
    }
}
