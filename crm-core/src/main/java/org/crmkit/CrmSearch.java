package org.crmkit;

/**
 * A search engine handed to {@link CrmBuilder#search(CrmSearch)}, such as {@code LuceneSearch.at(path)} from
 * {@code crm-search-lucene}. Engines implement the search SPI ({@code org.crmkit.search.spi}); applications only
 * pass them on. Without one, search runs through the storage (case-insensitive substring matching, no typo
 * tolerance).
 */
public interface CrmSearch extends AutoCloseable {
    /** Short name for messages ("lucene", ...). */
    String name();

    @Override
    void close();
}
