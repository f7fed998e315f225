package org.crmkit.relay;

import java.util.Objects;
import java.util.Optional;

/**
 * A relay's state and progress, for health checks and metrics.
 *
 * @param name                the relay's name (one stored position per name)
 * @param publisher           the publisher's name
 * @param state               what it is doing
 * @param confirmedSequence   the newest sequence the broker confirmed (and everything before it)
 * @param lastSequence        the newest sequence in the change log, as last read
 * @param consecutiveFailures failed attempts since the last success
 * @param lastError           the last failure's message, cleared by a success
 */
public record RelayStatus(String name, String publisher, RelayState state, long confirmedSequence, long lastSequence,
        int consecutiveFailures, Optional<String> lastError) {
    public RelayStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(publisher, "publisher");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(lastError, "lastError");
    }

    /** How many entries are not confirmed yet: the newest sequence minus the confirmed one (0 when caught up). */
    public long lag() {
        return Math.max(0, lastSequence - confirmedSequence);
    }
}
