package org.crmkit.health;

import java.util.ArrayList;
import java.util.List;
import org.crmkit.error.ConfigurationException;

/**
 * Where a health check turns a part {@link HealthStatus#DEGRADED}: more change-log entries than
 * {@code maxIndexLag} not yet searchable, more than {@code maxDeadLetters} dead jobs, more than {@code maxRelayLag}
 * entries a relay has not had confirmed. {@link #defaults()}: 1,000, 0 and 10,000.
 *
 * @param maxIndexLag    change-log entries the search index may be behind
 * @param maxDeadLetters dead-lettered jobs tolerated
 * @param maxRelayLag    change-log entries a relay may be behind
 */
public record HealthBounds(long maxIndexLag, long maxDeadLetters, long maxRelayLag) {
    public HealthBounds {
        List<String> problems = new ArrayList<>();
        check(problems, "maxIndexLag", maxIndexLag);
        check(problems, "maxDeadLetters", maxDeadLetters);
        check(problems, "maxRelayLag", maxRelayLag);
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
    }

    /** An index lag of 1,000, no dead letter, a relay lag of 10,000. */
    public static HealthBounds defaults() {
        return new HealthBounds(1_000, 0, 10_000);
    }

    /** These bounds with another index lag. */
    public HealthBounds withMaxIndexLag(long entries) {
        return new HealthBounds(entries, maxDeadLetters, maxRelayLag);
    }

    /** These bounds with another dead-letter count. */
    public HealthBounds withMaxDeadLetters(long jobs) {
        return new HealthBounds(maxIndexLag, jobs, maxRelayLag);
    }

    /** These bounds with another relay lag. */
    public HealthBounds withMaxRelayLag(long entries) {
        return new HealthBounds(maxIndexLag, maxDeadLetters, entries);
    }

    private static void check(List<String> problems, String name, long value) {
        if (value < 0) {
            problems.add("health bound " + name + " must be zero or more, not " + value);
        }
    }
}
