package org.crmkit.workflow;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** One saved version of a rule, from {@link Rules#history}: who saved it and when; no rule for a deletion. */
public record RuleVersion(String name, long version, Instant savedAt, String savedBy, @Nullable Rule rule) {
    public RuleVersion {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(savedAt, "savedAt");
        Objects.requireNonNull(savedBy, "savedBy");
    }

    public Optional<Rule> definition() {
        return Optional.ofNullable(rule);
    }

    public boolean deleted() {
        return rule == null;
    }
}
