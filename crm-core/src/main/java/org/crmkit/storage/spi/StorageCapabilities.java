package org.crmkit.storage.spi;

import java.util.Objects;

/**
 * What a storage can do, for the service layer and the conformance suite.
 *
 * @param name        short name for messages ("memory", "h2", "postgresql", ...)
 * @param durable     whether committed data survives the process
 * @param sharedNodes whether several {@code Crm} instances (nodes) can share it
 */
public record StorageCapabilities(String name, boolean durable, boolean sharedNodes) {
    public StorageCapabilities {
        Objects.requireNonNull(name, "name");
    }
}
