package org.crmkit.search.spi;

import java.time.Clock;
import org.crmkit.event.ChangeLog;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.spi.Storage;

/** What a {@link SearchBackend} gets from the engine it is plugged into. */
public interface SearchContext {
    /** The storage, for reading the change log and the records to index. */
    Storage storage();

    /** The current schema (it changes at run time; ask again rather than keeping it). */
    SchemaSnapshot schema();

    /** The change log, to be told of each commit of this node ({@link ChangeLog#subscribe}). */
    ChangeLog changeLog();

    /** The engine's clock (recency ranking). */
    Clock clock();

    /**
     * The exact-value search token of a value of an encrypted, searchable field
     * ({@link org.crmkit.search.support.SearchFields#exactOnly}): a deterministic ciphertext of
     * {@link org.crmkit.search.support.SearchFields#exactForm} of the value, bound to type and field, so the index
     * holds no plaintext and a search for the same value makes the same token. Empty when the engine has no keys.
     */
    default java.util.Optional<String> exactToken(String objectType, String field, String value) {
        java.util.Objects.requireNonNull(objectType, "objectType");
        java.util.Objects.requireNonNull(field, "field");
        java.util.Objects.requireNonNull(value, "value");
        return java.util.Optional.empty();
    }
}
