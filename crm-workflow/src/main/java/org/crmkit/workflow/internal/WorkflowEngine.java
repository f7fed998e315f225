package org.crmkit.workflow.internal;

import java.util.Objects;
import org.crmkit.plugin.spi.EngineContext;
import org.crmkit.plugin.spi.EnginePlugin;
import org.crmkit.security.Principal;
import org.crmkit.storage.support.StorageJson;
import org.crmkit.workflow.Jobs;
import org.crmkit.workflow.Rules;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workflow of one {@code Crm}, and the one place its parts are wired: it builds them all in its constructor, each
 * given the collaborators it calls (in the order below, so that no part needs one built after it), and on
 * {@link #start} binds the {@code Crm}, registers the {@link Planner} as commit hook and starts the {@link JobRunner}.
 * Calls flow one way: the parts call their collaborators and none calls back into this class or into whoever built
 * it (ArchitectureTest keeps it so). The {@code Crm}, which exists only from the start, reaches the parts through
 * {@link CrmBinding}; the state they share is the rule set in {@link RuleCatalog} and the run context of the thread in
 * {@link RunContexts}.
 */
public final class WorkflowEngine implements EnginePlugin {
    private static final Logger LOG = LoggerFactory.getLogger(WorkflowEngine.class);

    private final WorkflowConfig config;
    private final CrmBinding crm = new CrmBinding();
    private final RuleCatalog catalog;
    private final RunAsPrincipals principals;
    private final JobFactory jobFactory;
    private final FirePlanner firePlanner;
    private final Planner planner;
    private final JobRunner runner;
    private final RuleAdmin rules;
    private final JobAdmin jobs;
    private @Nullable AutoCloseable hook;
    private @Nullable AutoCloseable listener;
    private @Nullable AutoCloseable health;

    public WorkflowEngine(WorkflowConfig config) {
        this.config = config;
        AddressGuard guard = new AddressGuard(config.webhooks().allowedHosts(), config.webhooks().resolver());
        StorageJson json = new StorageJson();
        Payloads payloads = new Payloads();
        RunContexts runContexts = new RunContexts();
        this.catalog = new RuleCatalog(crm, new RuleChecker(config, guard));
        this.principals = new RunAsPrincipals(config.roles());
        this.jobFactory = new JobFactory(payloads, crm::now);
        this.firePlanner = new FirePlanner(crm, catalog, jobFactory);
        this.planner = new Planner(catalog, crm, runContexts, jobFactory, json, config.maxDepth());
        JobCompletion completion = new JobCompletion(crm, config.keepDone());
        CustomActions custom = new CustomActions(config.actions(), crm, completion);
        ActionRunner actions = new ActionRunner(crm, config.notifier(), config.teams(),
                new Webhooks(config.webhooks(), guard), json, custom);
        JobExecutor executor = new JobExecutor(payloads,
                new RuleStepRunner(crm, catalog, principals, runContexts, jobFactory, completion, actions),
                new FireRunner(crm, catalog, principals, jobFactory, completion), custom);
        this.runner = new JobRunner(config, crm, catalog, executor);
        this.rules = ruleAdmin(Principal.SYSTEM);
        this.jobs = new JobAdmin(config.actions().keySet(), crm, jobFactory, payloads, runner);
    }

    private RuleAdmin ruleAdmin(Principal caller) {
        return new RuleAdmin(caller, config.roles(), crm, catalog, principals, jobFactory, firePlanner, runner);
    }

    @Override
    public String name() {
        return "workflow";
    }

    /** Binds the {@code Crm}, loads the rules, plans the schedules and starts the job runner. */
    @Override
    public void start(EngineContext ctx) {
        Objects.requireNonNull(ctx, "context");
        crm.attach(ctx);
        catalog.reload();
        this.hook = ctx.addCommitHook(planner);
        this.listener = ctx.crm().changeLog().subscribe(entries -> runner.wake());
        this.health = ctx.addHealthContributor(new JobQueueHealth(jobs));
        firePlanner.planSchedules();
        runner.start();
    }

    @Override
    public void close() {
        if (crm.isAttached()) {
            runner.close();
        }
        for (AutoCloseable c : new AutoCloseable[] {hook, listener, health}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.debug("closing a workflow hook failed", e);
                }
            }
        }
    }

    public Rules rules() {
        return rules;
    }

    /** The rules as {@code caller} may manage them. */
    public Rules rules(Principal caller) {
        return ruleAdmin(Objects.requireNonNull(caller, "caller"));
    }

    public Jobs jobs() {
        return jobs;
    }

    /** Runs at most {@code limit} due jobs on the calling thread; returns how many ran. */
    public int runDue(int limit) {
        return runner.runDue(limit);
    }
}
