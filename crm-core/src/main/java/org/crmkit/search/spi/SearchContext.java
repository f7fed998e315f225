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
}
