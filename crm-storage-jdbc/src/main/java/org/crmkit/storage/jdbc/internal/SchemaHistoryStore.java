package org.crmkit.storage.jdbc.internal;

import java.util.Optional;
import org.crmkit.error.StorageException;
import org.crmkit.schema.SchemaChange;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.support.StorageJson;
import org.jooq.DSLContext;
import org.jspecify.annotations.Nullable;

/**
 * The schema history table: each row holds one change ({@code change_json}); every {@value #SNAPSHOT_EVERY}th
 * version, and any change that replaying would not reproduce exactly, also holds the whole schema after it
 * ({@code snapshot_json}, null otherwise). The current schema is the newest snapshot with the later changes
 * replayed in version order ({@link SchemaSnapshot#apply}). Databases written before V6 hold a snapshot in every
 * row, which loads the same way (nothing to replay). Storing the whole schema with each change made 5,000 field
 * additions weigh 12.6 GB on H2; now history grows by the size of each change.
 */
final class SchemaHistoryStore {
    /** A full snapshot is kept with every version divisible by this, so a load replays at most this many - 1. */
    static final int SNAPSHOT_EVERY = 100;

    private final SystemTables sys;
    private final StorageJson json;

    SchemaHistoryStore(SystemTables sys, StorageJson json) {
        this.sys = sys;
        this.json = json;
    }

    /**
     * Records one applied change. {@code previous} is the schema it was applied to ({@code null} when not known,
     * as in crash repair: a snapshot is stored then).
     */
    void record(DSLContext dsl, SchemaChangeEntry entry, @Nullable SchemaSnapshot previous, SchemaSnapshot next) {
        String change = json.writeSchemaChange(entry.change());
        String whole = json.writeSnapshot(next);
        boolean snapshot = previous == null || next.version() % SNAPSHOT_EVERY == 0
                || !replays(previous, change, whole);
        dsl.insertInto(sys.schemaHistory).set(sys.schemaVersion, next.version())
                .set(sys.appliedAt, RecordTable.utc(entry.at())).set(sys.principalId, entry.principalId())
                .set(sys.changeJson, change)
                .set(sys.snapshotJson, snapshot ? whole : null).execute();
    }

    /** Whether replaying the change as it will be read back from {@code previous} gives exactly {@code whole}. */
    private boolean replays(SchemaSnapshot previous, String change, String whole) {
        try {
            return json.writeSnapshot(previous.apply(json.readSchemaChange(change))).equals(whole);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The current schema: the newest snapshot and the changes after it; empty when the history is. */
    Optional<SchemaSnapshot> loadCurrent(DSLContext dsl) {
        Long from = dsl.select(org.jooq.impl.DSL.max(sys.schemaVersion)).from(sys.schemaHistory)
                .where(sys.snapshotJson.isNotNull()).fetchOne(0, Long.class);
        SchemaSnapshot schema = from == null ? new SchemaSnapshot(0, java.util.Map.of(), java.util.Map.of())
                : json.readSnapshot(dsl.select(sys.snapshotJson).from(sys.schemaHistory)
                        .where(sys.schemaVersion.eq(from)).fetchOne(sys.snapshotJson));
        boolean any = from != null;
        for (org.jooq.Record r : dsl.select(sys.schemaVersion, sys.changeJson).from(sys.schemaHistory)
                .where(sys.schemaVersion.gt(schema.version())).orderBy(sys.schemaVersion.asc()).fetch()) {
            long version = r.get(sys.schemaVersion);
            SchemaChange change = json.readSchemaChange(r.get(sys.changeJson));
            try {
                schema = schema.apply(change);
            } catch (IllegalArgumentException e) {
                throw new StorageException("schema history version " + version + " (" + change.describe()
                        + ") does not apply to version " + schema.version() + ": " + e.getMessage(), e);
            }
            if (schema.version() != version) {
                throw new StorageException("schema history jumps from version " + (schema.version() - 1) + " to "
                        + version + " with no snapshot in between; the metadata tables were changed by hand");
            }
            any = true;
        }
        return any ? Optional.of(schema) : Optional.empty();
    }
}
