package org.crmkit.benchmarks.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import org.crmkit.Crm;
import org.crmkit.record.Record;
import org.crmkit.storage.memory.InMemoryStorage;
import org.crmkit.workflow.Action;
import org.crmkit.workflow.Rule;
import org.crmkit.workflow.Rules;
import org.crmkit.workflow.Trigger;
import org.crmkit.workflow.Workflow;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code workflow.rule_match}: time per change event to find which of 100 enabled {@code deal} rules
 * ({@code createdOrUpdated}, a CEL condition each, so every condition is evaluated for every event) match, through
 * the public {@code Rules.simulate(before, after)}, against the same conditions as Java predicates with the same
 * trigger check ({@link DealRules}). Each invocation takes the next of {@code events} events; the setup checks that
 * both sides give the same matches for every event.
 */
public class RuleMatchBenchmark extends ComparisonBenchmark {
    /** Distinct change events cycled through. */
    @Param("20000")
    public int events;

    /** Seed of the events. */
    @Param("42")
    public long seed;

    private Crm crm;
    private Rules rules;
    private DealRules.Event[] changes;
    private BiPredicate<Record, Record>[] predicates;
    private String[] names;
    private int next;

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void setUp() {
        List<DealRules.Condition> conditions = DealRules.conditions();
        changes = DealRules.events(events, seed).toArray(DealRules.Event[]::new);
        Workflow workflow = Workflow.builder().workers(0).action("noop", c -> {}).build();
        crm = Crm.builder().storage(InMemoryStorage.create()).workflow(workflow).build();
        rules = workflow.rules();
        names = new String[DealRules.RULES];
        for (int i = 0; i < DealRules.RULES; i++) {
            names[i] = String.format("r%03d", i);
            rules.save(Rule.builder(names[i]).order(i).on("deal", Trigger.createdOrUpdated())
                    .when(conditions.get(i).cel()).then(Action.custom("noop", Map.of())).build());
        }
        predicates = conditions.stream().map(DealRules.Condition::java).toArray(BiPredicate[]::new);
        long matches = 0;
        for (DealRules.Event e : changes) {
            List<String> a = rules.simulate(e.before(), e.after());
            List<String> b = javaMatches(e);
            if (!a.equals(b)) {
                throw new IllegalStateException("rule_match: CEL and Java disagree on " + e.after() + ": " + a
                        + " vs " + b);
            }
            matches += a.size();
        }
        System.err.printf("# rule_match: %d events, %d rules, %.1f matches per event, CEL and Java agree%n",
                changes.length, DealRules.RULES, (double) matches / changes.length);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        crm.close();
    }

    private DealRules.Event nextEvent() {
        DealRules.Event e = changes[next];
        next = next + 1 == changes.length ? 0 : next + 1;
        return e;
    }

    /** The matching rules' names, in rule order, as {@code simulate} gives them. */
    private List<String> javaMatches(DealRules.Event e) {
        List<String> matched = new ArrayList<>(4);
        for (int i = 0; i < predicates.length; i++) {
            if (!e.after().isDeleted() && predicates[i].test(e.before(), e.after())) {
                matched.add(names[i]);
            }
        }
        return matched;
    }

    @Benchmark
    public List<String> crmkit() {
        DealRules.Event e = nextEvent();
        return rules.simulate(e.before(), e.after());
    }

    @Benchmark
    public List<String> baseline() {
        return javaMatches(nextEvent());
    }
}
