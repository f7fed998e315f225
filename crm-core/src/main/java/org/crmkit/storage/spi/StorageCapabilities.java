package org.crmkit.storage.spi;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a storage can do, for the service layer and the conformance suite.
 *
 * @param name        short name for messages ("memory", "h2", "postgresql", ...)
 * @param durable     whether committed data survives the process
 * @param sharedNodes whether several {@code Crm} instances (nodes) can share it
 * @param features    the optional features it offers; the SPI methods of the others throw
 *                    {@link StorageFeature#refused()}
 */
public record StorageCapabilities(String name, boolean durable, boolean sharedNodes, Set<StorageFeature> features) {
    public StorageCapabilities {
        Objects.requireNonNull(name, "name");
        features = Set.copyOf(Objects.requireNonNull(features, "features"));
    }

    /** Every optional feature, as the in-memory and JDBC storages offer. */
    public static Set<StorageFeature> allFeatures() {
        return EnumSet.allOf(StorageFeature.class);
    }

    /** Whether the storage offers {@code feature}. */
    public boolean supports(StorageFeature feature) {
        return features.contains(feature);
    }
}
