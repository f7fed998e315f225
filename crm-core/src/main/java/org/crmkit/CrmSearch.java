package org.crmkit;

import org.crmkit.plugin.spi.CrmPlugin;

/**
 * A search engine handed to {@link CrmBuilder#search(CrmSearch)}, such as {@code LuceneSearch.at(path)} from
 * {@code crm-search-lucene}. It is a configuration handle: applications only pass it on; it installs its search SPI
 * implementation ({@code org.crmkit.search.spi}) through {@link CrmPlugin#install}, which only the builder calls.
 * Without one, search runs through the storage (case-insensitive substring matching, no typo tolerance).
 */
public interface CrmSearch extends CrmPlugin, AutoCloseable {
    /** Short name for messages ("lucene", ...). */
    String name();

    @Override
    void close();
}
