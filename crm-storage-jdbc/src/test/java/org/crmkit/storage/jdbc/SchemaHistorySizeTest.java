package org.crmkit.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.List;
import org.crmkit.Crm;
import org.crmkit.plugin.spi.Installation;
import org.crmkit.schema.DataPolicy;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.schema.ValidationRule;
import org.crmkit.storage.support.StorageJson;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The schema history stores each change, and the whole schema only now and then (issue 11, item 11: 5,000 field
 * additions made a 12.6 GB H2 file when every row held the whole schema); the schema loaded from it is exactly the
 * one written, after changes of other kinds, and a history in the old form (a snapshot in every row) still loads.
 */
class SchemaHistorySizeTest {
    private static final int FIELDS = 250;
    private static final StorageJson JSON = new StorageJson();

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void historyGrowsWithTheChangesNotWithTheSchemaAndReloadsExactly(TestDatabase db) throws Exception {
        try (TestStore store = TestStore.create(db)) {
            String written;
            try (Crm crm = Crm.builder().storage(store.open()).build()) {
                for (int i = 0; i < FIELDS; i++) {
                    crm.schema().addField("contact", Field.integer("n" + i));
                }
                everyKindOfChange(crm);
                written = JSON.writeSnapshot(crm.schema().snapshot());
            }
            long changes;
            long snapshots;
            long snapshotRows;
            try (Connection c = store.connect()) {
                DSLContext dsl = DSL.using(c);
                var history = DSL.table(DSL.name(store.prefix + "crmkit_schema_history"));
                var change = DSL.field(DSL.name("change_json"), SQLDataType.CLOB);
                var snapshot = DSL.field(DSL.name("snapshot_json"), SQLDataType.CLOB);
                changes = 0;
                snapshots = 0;
                snapshotRows = 0;
                for (var r : dsl.select(change, snapshot).from(history).fetch()) {
                    changes += r.get(change).length();
                    if (r.get(snapshot) != null) {
                        snapshots += r.get(snapshot).length();
                        snapshotRows++;
                    }
                }
            }
            assertThat(snapshotRows).as("rows holding the whole schema: every 100th version").isLessThanOrEqualTo(3);
            assertThat(snapshots).as("bytes of snapshots, against the final schema's %d", written.length())
                    .isLessThanOrEqualTo(3L * written.length());
            assertThat(changes).as("bytes of changes: about one field definition each")
                    .isLessThanOrEqualTo(FIELDS * 2_000L + 100_000L);
            try (JdbcStorage reopened = store.open()) {
                SchemaSnapshot loaded = Installation.storageOf(reopened).loadSchema().orElseThrow();
                assertThat(JSON.writeSnapshot(loaded)).as("the schema loaded from the history").isEqualTo(written);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aHistoryWithASnapshotInEveryRowStillLoads(TestDatabase db) throws Exception {
        try (TestStore store = TestStore.create(db)) {
            String written;
            List<SchemaChangeEntry> entries;
            try (Crm crm = Crm.builder().storage(store.open()).build()) {
                everyKindOfChange(crm);
                written = JSON.writeSnapshot(crm.schema().snapshot());
                entries = crm.schema().history();
            }
            try (Connection c = store.connect()) {
                // the form every version before V6 wrote: each row with the whole schema after it
                DSLContext dsl = DSL.using(c);
                var history = DSL.table(DSL.name(store.prefix + "crmkit_schema_history"));
                var version = DSL.field(DSL.name("version"), SQLDataType.BIGINT);
                var snapshot = DSL.field(DSL.name("snapshot_json"), SQLDataType.CLOB);
                SchemaSnapshot s = new SchemaSnapshot(0, java.util.Map.of(), java.util.Map.of());
                for (SchemaChangeEntry e : entries) {
                    s = s.apply(e.change());
                    dsl.update(history).set(snapshot, JSON.writeSnapshot(s)).where(version.eq(e.version())).execute();
                }
                assertThat(dsl.fetchCount(history, snapshot.isNull())).isZero();
            }
            try (JdbcStorage reopened = store.open()) {
                assertThat(JSON.writeSnapshot(Installation.storageOf(reopened).loadSchema().orElseThrow()))
                        .isEqualTo(written);
            }
        }
    }

    /** A few changes of other kinds than field additions (every kind is checked in SchemaContract). */
    private static void everyKindOfChange(Crm crm) {
        var schema = crm.schema();
        schema.addObjectType(ObjectType.custom("gadget", "Gadget", Field.text("code")));
        schema.relabelField("gadget", "code", "Gadget code");
        schema.addRule("gadget", ValidationRule.of("has_code", "code != ''", "a gadget needs a code"));
        schema.addField("gadget", Field.integer("weight"));
        schema.deleteField("gadget", "weight", DataPolicy.DISCARD_DATA);
        schema.addField("contact", Field.text("nickname"));
    }
}
