package org.crmkit.plugin.spi;

import org.crmkit.search.spi.SearchBackend;
import org.crmkit.storage.spi.Storage;

/** Where a {@link CrmPlugin} registers its parts while a {@code Crm} is configured. */
public interface PluginRegistry {
    /** Registers the storage; a {@code Crm} has exactly one. */
    void storage(Storage storage);

    /** Registers the search engine; a {@code Crm} has at most one. */
    void search(SearchBackend search);

    /** Registers an engine plug-in (started after the schema and search, closed before the storage). */
    void engine(EnginePlugin plugin);
}
