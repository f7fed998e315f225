package org.crmkit.workflow.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.crmkit.CrmSession;
import org.crmkit.error.ValidationException;
import org.crmkit.record.Record;
import org.crmkit.security.Principal;
import org.crmkit.storage.spi.StorageTransaction;
import org.crmkit.workflow.Action;
import org.crmkit.workflow.Rule;
import org.crmkit.workflow.spi.JobQueue.ClaimedJob;
import org.crmkit.workflow.spi.JobQueue.NewJob;
import org.jspecify.annotations.Nullable;

/**
 * Runs one step of a rules run (the rules one change, fire or manual run triggered, in order): the rule as it is now
 * (or the version the run was planned with, checked again), its record as whom the rule runs as sees it, the step's
 * actions, and the job of the next step or rule; a wait becomes a job due when the wait is over. The step runs with
 * the run's {@link RunContext}, so that the changes it makes plan their rules one level deeper in the chain.
 */
final class RuleStepRunner {
    private final CrmBinding crm;
    private final RuleCatalog rules;
    private final RunAsPrincipals principals;
    private final RunContexts runContexts;
    private final JobFactory jobs;
    private final JobCompletion completion;
    private final ActionRunner actions;

    RuleStepRunner(CrmBinding crm, RuleCatalog rules, RunAsPrincipals principals, RunContexts runContexts,
            JobFactory jobs, JobCompletion completion, ActionRunner actions) {
        this.crm = crm;
        this.rules = rules;
        this.principals = principals;
        this.runContexts = runContexts;
        this.jobs = jobs;
        this.completion = completion;
        this.actions = actions;
    }

    void run(ClaimedJob job, Payloads.RulesRun run) {
        if (run.pos() >= run.rules().size()) {
            crm.transaction(Principal.SYSTEM, (s, tx) -> {
                completion.complete(tx, job, List.of());
                return null;
            });
            return;
        }
        Rule snapshot = RuleJson.read(run.rules().get(run.pos()));
        CompiledRule current = rules.currentRule(snapshot.name(), snapshot.version());
        if (current == null && rules.ruleSet().broken.containsKey(snapshot.name())) {
            throw new JobFailure("rule " + snapshot.name() + " is off: " + rules.ruleSet().broken.get(snapshot.name()),
                    true);
        }
        // null when the rule was switched off or deleted: the run goes on with the next rule
        CompiledRule rule = current == null || !current.rule.enabled() ? null
                : current.rule.version() == snapshot.version() ? current : checked(snapshot);
        List<CompiledRule.Step> steps = rule == null ? List.of() : rule.steps;
        CompiledRule.Step step = run.step() < steps.size() ? steps.get(run.step()) : null;
        Principal principal = rule == null ? Principal.SYSTEM : principals.of(rule.rule);
        String link = snapshot.name() + "@" + (run.record() == null ? "-" : run.record());
        List<String> chain = new ArrayList<>(run.chain());
        chain.add(link);
        runContexts.enter(new RunContext(run.depth(), chain));
        try {
            crm.transaction(principal, (session, tx) -> {
                List<NewJob> follow = new ArrayList<>();
                Record record = rule != null && step != null ? load(session, tx, run) : null;
                if (rule == null || step == null || (run.record() != null && record == null)) {
                    // the rule was switched off or changed, or its record is gone: go on with the next rule
                    next(run, run.pos() + 1, 0, follow);
                } else if (step.kind() == CompiledRule.StepKind.WAIT) {
                    Action.Wait w = (Action.Wait) rule.rule.actions().get(step.from());
                    if (run.step() + 1 < steps.size()) {
                        Payloads.RulesRun rest = new Payloads.RulesRun(run.baseKey() + "/w" + run.pos(), run.type(),
                                run.record(), List.of(run.rules().get(run.pos())), 0, run.step() + 1, run.depth(),
                                run.chain(), run.event(), run.changed(), run.prior(), run.version(),
                                run.priorInLog());
                        Instant at = crm.now().plus(w.duration());
                        follow.add(jobs.runJob(rest.baseKey() + "/0." + rest.step(), rest, at));
                    }
                    next(run, run.pos() + 1, 0, follow);
                } else {
                    actions.run(rule, run, job, session, tx, record, step.from(), step.to());
                    if (run.step() + 1 < steps.size()) {
                        next(run, run.pos(), run.step() + 1, follow);
                    } else {
                        next(run, run.pos() + 1, 0, follow);
                    }
                }
                completion.complete(tx, job, follow);
                return null;
            });
        } finally {
            runContexts.leave();
        }
    }

    /**
     * The version of a rule a run was planned with, checked again (against the schema and the access of whom it runs
     * as, both as they are now); one that no longer passes makes the job a dead letter with the reason.
     */
    private CompiledRule checked(Rule snapshot) {
        try {
            return rules.compile(snapshot);
        } catch (ValidationException e) {
            throw new JobFailure("rule " + snapshot.name() + " version " + snapshot.version() + " no longer passes its "
                    + "checks: " + e.getMessage(), true, e);
        }
    }

    private void next(Payloads.RulesRun run, int pos, int step, List<NewJob> follow) {
        if (pos >= run.rules().size()) {
            return;
        }
        Payloads.RulesRun next = run.at(pos, step, run.rules());
        follow.add(jobs.runJob(run.baseKey() + "/" + pos + "." + step, next, crm.now()));
    }

    /** The trigger record as the rule's owner sees it (deleted ones too, for deletion rules); null when gone. */
    private static @Nullable Record load(CrmSession session, StorageTransaction tx, Payloads.RulesRun run) {
        if (run.record() == null || run.type() == null) {
            return null;
        }
        Optional<Record> live = session.records(run.type()).find(run.record());
        if (live.isPresent()) {
            return live.get();
        }
        if (run.event().equals("deleted")) {
            return tx.find(run.type(), run.record()).orElse(null);
        }
        return null;
    }
}
