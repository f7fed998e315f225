package org.crmkit.internal.export;

import java.io.Closeable;
import java.io.IOException;
import org.crmkit.record.Record;

/** Where a record export writes: a header, then one record at a time, flushed after each page. */
public interface RecordSink extends Closeable {
    /** Writes what comes before the records (the CSV header line; nothing for JSON Lines). */
    void header() throws IOException;

    /** Writes one record. */
    void record(Record r) throws IOException;

    /** Flushes what was written to the caller's target. */
    void flush() throws IOException;

    /** Ends the export; the caller's target is flushed, never closed. */
    @Override
    void close() throws IOException;
}
