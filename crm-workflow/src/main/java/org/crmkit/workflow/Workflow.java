package org.crmkit.workflow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crmkit.CrmWorkflow;
import org.crmkit.error.ConfigurationException;
import org.crmkit.plugin.spi.PluginRegistry;
import org.crmkit.security.Role;
import org.crmkit.workflow.internal.WorkflowConfig;
import org.crmkit.workflow.internal.WorkflowEngine;
import org.jspecify.annotations.Nullable;

/**
 * Automation rules and a durable job queue for one {@code Crm}. Pass it to the builder and keep it for its API:
 *
 * <pre>{@code
 * Workflow workflow = Workflow.builder().notifier(mailer::send).workers(4).build();
 * Crm crm = Crm.builder().storage(JdbcStorage.h2File(path)).workflow(workflow).build();
 * workflow.rules().save(rule);
 * workflow.jobs().deadLetters(20);
 * }</pre>
 *
 * <p>The jobs a change triggers are written in the change's own transaction, so a rolled-back change triggers nothing
 * and a committed one always has its jobs. Worker threads on every node claim due jobs under a lease that heartbeats
 * extend; a node that dies leaves its leases to run out, and its jobs run again elsewhere. One {@code Workflow} serves
 * one {@code Crm}; it starts and stops with it.
 */
public final class Workflow implements CrmWorkflow {
    private final WorkflowEngine engine;

    private Workflow(WorkflowConfig config) {
        this.engine = new WorkflowEngine(config);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Default settings: 2 workers, no notifier, no custom actions. */
    public static Workflow defaults() {
        return builder().build();
    }

    /**
     * The rules as the host application manages them: as {@link org.crmkit.security.Principal#SYSTEM}, so a rule saved
     * here without {@link Rule#runAs()} runs as the system principal. For rules that people manage, use
     * {@link #rules(org.crmkit.security.Principal)}.
     */
    public Rules rules() {
        return engine.rules();
    }

    /**
     * The rules as {@code caller} may manage them: reading and changing them needs
     * {@link org.crmkit.security.AdminPermission#MANAGE_RULES} (an {@link org.crmkit.error.AccessDeniedException}
     * otherwise); each save records the caller as who saved it and, unless the rule names someone else (which needs
     * {@link org.crmkit.security.AdminPermission#RUN_RULES_AS_OTHERS}), as whom it runs. Pass the principal of the
     * session of the person at work, e.g. {@code workflow.rules(session.principal())}.
     */
    public Rules rules(org.crmkit.security.Principal caller) {
        java.util.Objects.requireNonNull(caller, "caller");
        return engine.rules(caller);
    }

    /** The job queue. */
    public Jobs jobs() {
        return engine.jobs();
    }

    @Override
    public String name() {
        return engine.name();
    }

    /** Registers the engine plug-in that joins the {@code Crm}'s transactions; called by the {@code Crm} builder. */
    @Override
    public void install(PluginRegistry registry) {
        registry.engine(engine);
    }

    /** Runs at most {@code limit} due jobs on this thread; {@link Jobs#runDue()} runs until none is due. */
    @Override
    public int runDueJobs(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        return engine.runDue(limit);
    }

    /** Stops the worker threads (waiting for running jobs up to the lease time); the {@code Crm} calls it. */
    @Override
    public void close() {
        engine.close();
    }

    /**
     * Configures a {@link Workflow}; {@link #build()} reports every problem at once, a null setting included (so the
     * settings take null; a null notifier, team directory or role list is refused at once).
     */
    public static final class Builder {
        private @Nullable Notifier notifier;
        private final Map<String, CustomAction> actions = new LinkedHashMap<>();
        private final List<Role> roles = new ArrayList<>();
        private @Nullable TeamDirectory teams;
        private int workers = 2;
        // null is accepted by the setters and reported by build() as a ConfigurationException
        private @Nullable Duration pollInterval = Duration.ofMillis(500);
        private @Nullable Duration lease = Duration.ofSeconds(60);
        private @Nullable Duration heartbeat = Duration.ofSeconds(20);
        private @Nullable RetryPolicy retry = RetryPolicy.defaults();
        private @Nullable WebhookSettings webhooks = WebhookSettings.defaults();
        private int maxDepth = 5;
        private @Nullable Duration keepDone = Duration.ofDays(7);
        private @Nullable String nodeId;
        private long seed = System.nanoTime();

        private Builder() {}

        /** Where {@link Action.Notify} sends; without one, rules with notifications cannot be saved. */
        public Builder notifier(Notifier n) {
            java.util.Objects.requireNonNull(n, "n");
            this.notifier = n;
            return this;
        }

        /** Registers a custom action under a name ({@code [a-z][a-z0-9_]{0,39}}). */
        public Builder action(@Nullable String name, @Nullable CustomAction action) {
            actions.put(name, action);
            return this;
        }

        /**
         * Roles that {@link RunAs} may name, besides the standard ones: also the roles of those who save rules through
         * {@link Workflow#rules(org.crmkit.security.Principal)}, since a rule runs with the roles registered under its
         * principal's role names (a saver whose role differs from the registered one of that name is refused).
         */
        public Builder roles(Role... more) {
            java.util.Objects.requireNonNull(more, "more");
            roles.addAll(List.of(more));
            return this;
        }

        /** The host's teams, for assignment by team. */
        public Builder teams(TeamDirectory directory) {
            java.util.Objects.requireNonNull(directory, "directory");
            this.teams = directory;
            return this;
        }

        /**
         * Worker threads on this node (default 2). 0 runs no threads: jobs then run only through {@link Jobs#runDue()}
         * (tests with a settable clock, or nodes that only write).
         */
        public Builder workers(int threads) {
            this.workers = threads;
            return this;
        }

        /** How often an idle node looks for due jobs and rule changes of other nodes (default 500 ms). */
        public Builder pollInterval(@Nullable Duration interval) {
            this.pollInterval = interval;
            return this;
        }

        /**
         * How long a claim holds without a heartbeat (default 60 s), and how often heartbeats renew the claims of
         * running jobs (default 20 s; less than the lease). A node that dies leaves its jobs to others after the lease.
         */
        public Builder lease(@Nullable Duration lease, @Nullable Duration heartbeat) {
            this.lease = lease;
            this.heartbeat = heartbeat;
            return this;
        }

        public Builder retry(@Nullable RetryPolicy policy) {
            this.retry = policy;
            return this;
        }

        public Builder webhooks(@Nullable WebhookSettings settings) {
            this.webhooks = settings;
            return this;
        }

        /**
         * How deep rules may trigger rules (default 5): a change made by a rule's action triggers other rules one level
         * deeper; past the limit, or when a rule would run again for the same record in one chain (a cycle), nothing
         * runs and a dead letter reports the chain.
         */
        public Builder maxDepth(int depth) {
            this.maxDepth = depth;
            return this;
        }

        /**
         * How long finished jobs are kept (default 7 days): their keys block re-planning the same work meanwhile (a
         * submitted key, a rule run of one change). {@code Duration.ZERO} deletes finished jobs at once (one cheaper
         * write each, as db-scheduler does), except schedule and date fires, which stay at least until the next purge.
         */
        public Builder keepDone(@Nullable Duration time) {
            this.keepDone = time;
            return this;
        }

        /** This node's name in job claims (default: host name and a random suffix); unique per running node. */
        public Builder nodeId(@Nullable String id) {
            this.nodeId = id;
            return this;
        }

        /** Seed of the backoff jitter (default: random), for reproducible tests. */
        public Builder jitterSeed(long s) {
            this.seed = s;
            return this;
        }

        public Workflow build() {
            List<String> problems = new ArrayList<>();
            WorkflowConfig config = WorkflowConfig.check(notifier, actions, roles, teams, workers, pollInterval, lease,
                    heartbeat, retry, webhooks, maxDepth, keepDone, nodeId, seed, problems);
            if (config == null || !problems.isEmpty()) { // check(...) returns null exactly when it found problems
                throw new ConfigurationException(problems);
            }
            return new Workflow(config);
        }
    }
}
