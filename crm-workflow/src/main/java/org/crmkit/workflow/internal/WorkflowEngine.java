package org.crmkit.workflow.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.error.ConfigurationException;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.plugin.spi.EngineContext;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.spi.DocumentStore;
import org.crmkit.storage.support.StorageJson;
import org.crmkit.workflow.Jobs;
import org.crmkit.workflow.Rule;
import org.crmkit.workflow.Rules;
import org.crmkit.workflow.RunAs;
import org.crmkit.workflow.spi.JobQueue.NewJob;
import org.crmkit.workflow.spi.JobQueue;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workflow of one {@code Crm}: the compiled rules (reloaded when the rule documents' revision or the schema
 * version moves), the commit hook, the job runner and the admin views. Shared state is the volatile rule set and the
 * per-thread run context; everything else is immutable after {@link #start}.
 */
public final class WorkflowEngine {
    private static final Logger LOG = LoggerFactory.getLogger(WorkflowEngine.class);
    static final String RULE_KIND = "workflow_rule";

    private final WorkflowConfig config;
    private final AddressGuard guard;
    private final RuleChecker checker;
    private final Webhooks webhooks;
    private final StorageJson json = new StorageJson();
    private final Payloads payloads = new Payloads();
    private final JobFactory jobFactory = new JobFactory(payloads, this::now);
    private final ThreadLocal<RunContext> runContext = new ThreadLocal<>();
    private final Planner planner = new Planner(this);
    private final RuleAdmin rules = new RuleAdmin(this, Principal.SYSTEM);
    private final JobAdmin jobs = new JobAdmin(this);
    private volatile @Nullable EngineContext context;
    private volatile RuleSet ruleSet = new RuleSet(List.of(), Map.of(), -1, -1);
    private @Nullable JobQueue queue;
    private @Nullable DocumentStore documents;
    private @Nullable JobRunner runner;
    private @Nullable AutoCloseable hook;
    private @Nullable AutoCloseable listener;

    public WorkflowEngine(WorkflowConfig config) {
        this.config = config;
        this.guard = new AddressGuard(config.webhooks().allowedHosts(), config.webhooks().resolver());
        this.checker = new RuleChecker(config, guard);
        this.webhooks = new Webhooks(config.webhooks(), guard);
    }

    public void start(EngineContext ctx) {
        if (context != null) {
            throw new ConfigurationException(List.of("this Workflow is already started with a Crm; use one per Crm"));
        }
        JobQueue q = ctx.storage().extension(JobQueue.class).orElse(null);
        DocumentStore d = ctx.storage().extension(DocumentStore.class).orElse(null);
        if (q == null || d == null) {
            throw new ConfigurationException(List.of("storage " + ctx.storage().name()
                    + " keeps no job queue or documents; the workflow needs both (memory and JDBC storages have them)"));
        }
        this.queue = q;
        this.documents = d;
        this.context = ctx;
        reload();
        this.hook = ctx.addCommitHook(planner);
        Executor executor = new Executor(this);
        this.runner = new JobRunner(this, executor);
        this.listener = ctx.crm().changeLog().subscribe(entries -> runner.wake());
        rules.planSchedules();
        runner.start();
    }

    public void close() {
        if (runner != null) {
            runner.close();
        }
        for (AutoCloseable c : new AutoCloseable[] {hook, listener}) {
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
        return new RuleAdmin(this, java.util.Objects.requireNonNull(caller, "caller"));
    }

    public Jobs jobs() {
        return jobs;
    }

    // ---- shared by the parts --------------------------------------------------------------------------------

    WorkflowConfig config() {
        return config;
    }

    EngineContext context() {
        EngineContext c = context;
        if (c == null) {
            throw new CrmException(ErrorCode.CONFIGURATION, "this Workflow is not started: pass it to "
                    + "Crm.builder().workflow(...) and build the Crm");
        }
        return c;
    }

    JobQueue queue() {
        context();
        return queue;
    }

    DocumentStore documents() {
        context();
        return documents;
    }

    JobRunner runner() {
        context();
        return runner;
    }

    /** Runs at most {@code limit} due jobs on the calling thread; returns how many ran. */
    public int runDue(int limit) {
        return runner().runDue(limit);
    }

    Webhooks webhooks() {
        return webhooks;
    }

    StorageJson json() {
        return json;
    }

    Payloads payloads() {
        return payloads;
    }

    Instant now() {
        return context().clock().instant();
    }

    SchemaSnapshot schema() {
        return context().crm().schema().snapshot();
    }

    @Nullable
    RunContext runContext() {
        return runContext.get();
    }

    void enter(RunContext c) {
        runContext.set(c);
    }

    void leave() {
        runContext.remove();
    }

    Planner planner() {
        return planner;
    }

    RuleSet ruleSet() {
        RuleSet rs = ruleSet;
        if (context != null && rs.schemaVersion != context.crm().schema().version()) {
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

    CompiledRule compile(Rule rule) {
        return checker.check(rule, schema(), context());
    }

    /** Reloads when another node (or this one) changed the rules. */
    void refreshIfChanged() {
        if (documents().revision(RULE_KIND) != ruleSet.revision) {
            reload();
        }
    }

    void refreshRules() {
        refreshIfChanged();
    }

    synchronized void reload() {
        long revision = documents().revision(RULE_KIND);
        SchemaSnapshot schema = schema();
        List<CompiledRule> compiled = new ArrayList<>();
        Map<String, String> broken = new HashMap<>();
        for (DocumentStore.StoredDocument d : documents().list(RULE_KIND)) {
            try {
                compiled.add(checker.check(stored(d), schema, context()));
            } catch (ValidationException e) {
                broken.put(d.name(), e.getMessage());
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
        Rule r = RuleJson.read(d.body()).withVersion(d.version());
        if (r.savedBy() != null || r.runAs() == null) {
            return r;
        }
        boolean safe = !r.runAs().isSystem() || Principal.SYSTEM_ID.equals(d.principalId());
        return safe ? r.withSavedBy(d.principalId()) : r;
    }

    Principal principal(Rule rule) {
        RunAs r = rule.runAs();
        if (r == null) {
            throw new JobFailure("rule " + rule.name() + " records no principal to run as", true);
        }
        if (r.isSystem()) {
            return Principal.SYSTEM;
        }
        List<Role> roles = new ArrayList<>();
        for (String name : r.roles()) {
            Role role = config.roles().get(name);
            if (role == null) {
                throw new JobFailure("rule " + rule.name() + " runs as role " + name + ", which this node does not "
                        + "know", true);
            }
            roles.add(role);
        }
        return new Principal(r.userId(), roles, r.teams(), false);
    }

    /**
     * Whether a finished job stays (as DONE, deduping its key) or goes at once: with {@code keepDone(ZERO)} submitted
     * jobs go; schedule and date fires stay a minute at least, so that nodes re-planning the same fire find its key.
     */
    boolean keepsDone(JobQueue.ClaimedJob job) {
        return !config.keepDone().isZero() || job.kind().equals(Payloads.CRON) || job.kind().equals(Payloads.DATE);
    }

    /** The one factory of job rows; the engine's own helpers below only delegate to it. */
    JobFactory jobFactory() {
        return jobFactory;
    }

    NewJob newJob(String kind, String key, @Nullable String group, String payload, Instant runAt) {
        return jobFactory.newJob(kind, key, group, payload, runAt);
    }

    /** A rules run of one rule (from a schedule, a date, or by hand). */
    NewJob rulesJob(String base, CompiledRule rule, @Nullable UUID record, String event, Instant now) {
        return jobFactory.rulesJob(base, rule, record, event, now);
    }

    /** The next fire of a schedule rule after {@code after}, or null when the schedule has no more. */
    @Nullable
    NewJob cronJob(CompiledRule rule, Instant after) {
        return jobFactory.cronJob(rule, after);
    }
}
