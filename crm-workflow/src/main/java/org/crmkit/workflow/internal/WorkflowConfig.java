package org.crmkit.workflow.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.crmkit.security.Role;
import org.crmkit.workflow.CustomAction;
import org.crmkit.workflow.Notifier;
import org.crmkit.workflow.RetryPolicy;
import org.crmkit.workflow.TeamDirectory;
import org.crmkit.workflow.WebhookSettings;
import org.jspecify.annotations.Nullable;

/** The checked settings of a {@link org.crmkit.workflow.Workflow}. */
public record WorkflowConfig(@Nullable Notifier notifier, Map<String, CustomAction> actions, Map<String, Role> roles,
        @Nullable TeamDirectory teams, int workers, Duration pollInterval, Duration lease, Duration heartbeat,
        RetryPolicy retry, WebhookSettings webhooks, int maxDepth, Duration keepDone, String nodeId, long seed) {
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,39}");

    /** Checks the builder's settings, adding each problem to {@code problems}; null when there were problems. */
    public static @Nullable WorkflowConfig check(@Nullable Notifier notifier, Map<String, CustomAction> actions,
            List<Role> extraRoles, @Nullable TeamDirectory teams, int workers, @Nullable Duration pollInterval,
            @Nullable Duration lease, @Nullable Duration heartbeat, @Nullable RetryPolicy retry,
            @Nullable WebhookSettings webhooks, int maxDepth, @Nullable Duration keepDone, @Nullable String nodeId,
            long seed, List<String> problems) {
        actions.forEach((name, action) -> {
            if (name == null || !NAME.matcher(name).matches()) {
                problems.add("custom action name '" + name + "' is not an identifier ([a-z][a-z0-9_]{0,39})");
            }
            if (action == null) {
                problems.add("custom action " + name + " is null");
            }
        });
        Map<String, Role> roles = new HashMap<>();
        for (Role r : List.of(Role.ADMIN, Role.SALES_REP, Role.SALES_MANAGER, Role.READ_ONLY)) {
            roles.put(r.name(), r);
        }
        for (Role r : extraRoles) {
            if (r == null) {
                problems.add("a role is null");
            } else {
                roles.put(r.name(), r);
            }
        }
        if (workers < 0 || workers > 256) {
            problems.add("workers must be 0 to 256, not " + workers);
        }
        if (pollInterval == null || pollInterval.toMillis() < 1 || pollInterval.compareTo(Duration.ofMinutes(10)) > 0) {
            problems.add("poll interval must be 1 ms to 10 minutes, not " + pollInterval);
        }
        if (lease == null || heartbeat == null || lease.toMillis() < 100 || heartbeat.toMillis() < 10
                || heartbeat.compareTo(lease) >= 0) {
            problems.add("lease must be at least 100 ms and the heartbeat at least 10 ms and shorter than the lease, "
                    + "not lease " + lease + " and heartbeat " + heartbeat);
        }
        if (retry == null || retry.maxAttempts() < 1 || retry.maxAttempts() > 1000 || retry.initialDelay() == null
                || retry.initialDelay().isNegative() || retry.maxDelay() == null
                || retry.maxDelay().compareTo(retry.initialDelay()) < 0 || !(retry.multiplier() >= 1)
                || !(retry.jitter() >= 0 && retry.jitter() <= 1)) {
            problems.add("retry policy must have 1 to 1000 attempts, delays 0 <= initial <= max, multiplier >= 1 and "
                    + "jitter 0 to 1, not " + retry);
        }
        if (webhooks == null || webhooks.secret() == null || webhooks.timeout() == null
                || webhooks.timeout().toMillis() < 1 || !(webhooks.requestsPerSecondPerHost() > 0)
                || webhooks.resolver() == null) {
            problems.add("webhook settings need a secret (may be empty), a positive timeout and rate, and a resolver, "
                    + "not " + webhooks);
        } else if (!webhooks.secret().isEmpty()) {
            try {
                org.crmkit.workflow.WebhookVerifier.of(webhooks.secret());
            } catch (org.crmkit.error.ConfigurationException e) {
                problems.add("webhook secret: " + e.getMessage());
            }
        }
        if (maxDepth < 1 || maxDepth > 50) {
            problems.add("max depth must be 1 to 50, not " + maxDepth);
        }
        if (keepDone == null || keepDone.isNegative()) {
            problems.add("keepDone must not be negative, not " + keepDone);
        }
        if (nodeId != null && (nodeId.isBlank() || nodeId.length() > 100)) {
            problems.add("node id must be 1 to 100 characters");
        }
        if (!problems.isEmpty()) {
            return null;
        }
        String node = nodeId != null ? nodeId : defaultNode();
        // the checks above added a problem for each of these that was null
        return new WorkflowConfig(notifier, Map.copyOf(actions), Map.copyOf(roles), teams, workers,
                Objects.requireNonNull(pollInterval), Objects.requireNonNull(lease), Objects.requireNonNull(heartbeat),
                Objects.requireNonNull(retry), Objects.requireNonNull(webhooks), maxDepth,
                Objects.requireNonNull(keepDone), node, seed);
    }

    private static String defaultNode() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "node";
        }
        String suffix = java.util.UUID.randomUUID().toString().substring(0, 8);
        return (host.length() > 80 ? host.substring(0, 80) : host) + "-" + suffix;
    }
}
