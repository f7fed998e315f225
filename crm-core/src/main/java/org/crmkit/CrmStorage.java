package org.crmkit;

import org.crmkit.plugin.spi.CrmPlugin;

/**
 * A storage handed to {@link CrmBuilder#storage(CrmStorage)}: {@code InMemoryStorage.create()}, or a JDBC storage
 * from {@code crm-storage-jdbc}. It is a configuration handle: applications only pass it on; it installs its storage
 * SPI implementation ({@code org.crmkit.storage.spi}) through {@link CrmPlugin#install}, which only the builder calls.
 */
public interface CrmStorage extends CrmPlugin, AutoCloseable {
    /** Short name for messages ("memory", "h2", ...). */
    String name();

    @Override
    void close();
}
