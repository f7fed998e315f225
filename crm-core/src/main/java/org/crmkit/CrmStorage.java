package org.crmkit;

/**
 * A storage backend handed to {@link CrmBuilder#storage(CrmStorage)}: {@code InMemoryStorage.create()}, or a
 * JDBC storage from {@code crm-storage-jdbc}. Backends implement the storage SPI
 * ({@code org.crmkit.storage.spi}); applications only pass them on.
 */
public interface CrmStorage extends AutoCloseable {
    /** Short name for messages ("memory", "h2", ...). */
    String name();

    @Override
    void close();
}
