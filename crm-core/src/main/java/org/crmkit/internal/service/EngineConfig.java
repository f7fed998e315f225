package org.crmkit.internal.service;

import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;
import org.crmkit.storage.spi.Storage;
import org.jspecify.annotations.Nullable;

/**
 * The checked configuration {@link org.crmkit.CrmBuilder} hands to the engine.
 *
 * @param keys where field-encryption and change-log keys come from; null when none were configured
 */
public record EngineConfig(Storage storage, Clock clock, @Nullable Supplier<UUID> ids, String phoneRegion,
        String defaultCurrency, int recordCacheSize, org.crmkit.search.spi.@Nullable SearchBackend search,
        org.crmkit.keys.@Nullable KeyProvider keys) {}
