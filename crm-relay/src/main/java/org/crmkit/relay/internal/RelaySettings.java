package org.crmkit.relay.internal;

import java.time.Duration;
import java.util.Objects;
import org.crmkit.relay.EntryFilter;
import org.crmkit.relay.spi.ChangePublisher;

/**
 * A relay's checked settings (see {@code ChangeRelay.Builder} for each one's meaning and default).
 */
public record RelaySettings(String name, ChangePublisher publisher, EntryFilter filter, int window,
        Duration pollInterval, Duration confirmTimeout, Duration minBackoff, Duration maxBackoff, Duration lease,
        Duration checkpointInterval, String nodeId, boolean startAtEnd, boolean encryptedFields) {
    public RelaySettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(publisher, "publisher");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(confirmTimeout, "confirmTimeout");
        Objects.requireNonNull(minBackoff, "minBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(checkpointInterval, "checkpointInterval");
        Objects.requireNonNull(nodeId, "nodeId");
    }
}
