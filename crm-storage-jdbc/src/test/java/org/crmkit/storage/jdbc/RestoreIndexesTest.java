package org.crmkit.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.crmkit.Crm;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.security.Principal;
import org.crmkit.storage.spi.BackupSupport;
import org.crmkit.storage.spi.RestoreTarget;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A restore ends with the same indexes a storage made by schema changes has: on PostgreSQL, which loads the rows
 * before it builds the secondary indexes ({@code DatabaseStrategy.buildsIndexesAfterLoad}), and on the others. A
 * restore given up between the schema and the end still leaves the change log its index.
 */
class RestoreIndexesTest {
    @TempDir
    Path dir;

    private static ObjectType gadget() {
        return ObjectType.custom("gadget", "Gadget", Field.text("name").required(true),
                Field.text("code").unique(true), Field.integer("serial").indexed(true),
                Field.reference("maker", "company").indexed(true), Field.address("site").indexed(true),
                Field.relation("parts", "contact"));
    }

    /** The indexes of the record tables and the change log, by table: unique or not, and their columns. */
    private static Map<String, List<String>> indexes(TestStore store) throws Exception {
        Map<String, List<String>> out = new TreeMap<>();
        for (String table : List.of("crm_contact", "crm_company", "crm_deal", "crm_x_gadget", "crmkit_change_log")) {
            out.put(table, store.indexes(store.prefix + table).values().stream()
                    .map(i -> (i.unique() ? "unique " : "") + i.columns()).sorted().toList());
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aRestoreEndsWithTheIndexesTheSchemaMakes(TestDatabase db) throws Exception {
        Path archive = dir.resolve(db + ".backup");
        Map<String, List<String>> made;
        try (TestStore source = TestStore.create(db); Crm crm = Crm.builder().storage(source.open()).build()) {
            crm.schema().addObjectType(gadget());
            Record acme = crm.as(Principal.SYSTEM).records("company").create(Map.of("name", "Acme"));
            for (int i = 0; i < 20; i++) {
                crm.as(Principal.SYSTEM).records("gadget").create(Map.of("name", "G" + i, "code", "C" + i,
                        "serial", i, "maker", acme.id()));
            }
            crm.admin().backup(archive);
            made = indexes(source);
        }
        assertThat(made.get("crm_x_gadget")).hasSizeGreaterThan(5);
        try (TestStore target = TestStore.create(db); Crm crm = Crm.builder().storage(target.open()).build()) {
            crm.admin().restore(archive);
            assertThat(indexes(target)).isEqualTo(made);
            assertThat(crm.as(Principal.SYSTEM).records("gadget").count(org.crmkit.query.Filters.where("code")
                    .eq("C7"))).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aRestoreWipedAfterItsSchemaLeavesTheChangeLogItsIndex(TestDatabase db) throws Exception {
        try (TestStore store = TestStore.create(db); Crm crm = Crm.builder().storage(store.open()).build()) {
            crm.schema().addObjectType(gadget());
            List<String> before = indexes(store).get("crmkit_change_log");
            BackupSupport backups = org.crmkit.plugin.spi.Installation.storageOf(store.open())
                    .extension(BackupSupport.class).orElseThrow();
            List<SchemaChangeEntry> history = crm.schema().history();
            try (RestoreTarget target = backups.openRestoreTarget()) {
                target.wipe(Set.of());
                target.writeSchema(history, crm.schema().snapshot());
                target.wipe(Set.of());
            }
            assertThat(indexes(store).get("crmkit_change_log")).isEqualTo(before).isNotEmpty();
        }
    }
}
