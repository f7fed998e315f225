package org.crmkit.internal.backup;

import java.util.List;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.schema.SchemaSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * What {@link Restorer#verify} learnt reading a whole archive: its schema and schema history (small, kept), and
 * whether it holds merge links, import-ledger rows and documents (which the target must be able to keep).
 *
 * @param schema       the schema of the snapshot, or null for an archive of an unused storage
 * @param history      the schema history, oldest first
 * @param mergeLinks   merge links in the archive
 * @param importedRows import-ledger rows in the archive
 * @param documents    document versions in the archive
 * @param wholeFrom    the first sequence of the change log's last run without gaps (1 unless entries were pruned):
 *                     a point-in-time restore undoes entries, so it reaches no point before {@code wholeFrom - 1}
 */
record Verified(@Nullable SchemaSnapshot schema, List<SchemaChangeEntry> history, long mergeLinks, long importedRows,
        long documents, long wholeFrom) {}
