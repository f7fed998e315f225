package org.crmkit.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.record.ImportResult;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * V4 keys the import ledger by principal, object type and import id. Rows written under V1's global key take the
 * principal and type of the change-log entry that created their record; a row without one is kept but never consulted.
 */
class ImportLedgerMigrationTest {

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void ledgerRowsOfTheOldLayoutBelongToWhoCreatedTheirRecords(TestDatabase db) throws Exception {
        try (TestStore store = TestStore.create(db)) {
            String folder = switch (db) {
                case H2 -> "h2";
                case POSTGRES -> "postgresql";
                case MARIADB -> "mariadb";
            };
            Flyway.configure(ImportLedgerMigrationTest.class.getClassLoader())
                    .dataSource(store.url, null, null)
                    .locations("classpath:org/crmkit/storage/jdbc/migration/" + folder)
                    .table(store.prefix + "crmkit_flyway_history")
                    .placeholders(Map.of("prefix", store.prefix))
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .target(db == TestDatabase.MARIADB ? "2" : "3") // the last version before V4
                    .load()
                    .migrate();
            UUID annsRecord = UUID.randomUUID();
            UUID orphan = UUID.randomUUID();
            String q = db == TestDatabase.H2 ? "\"" : "";
            try (Connection c = store.connect()) {
                try (PreparedStatement log = c.prepareStatement("insert into " + q + store.prefix
                        + "crmkit_change_log" + q + " (" + String.join(", ", quoted(q, "seq", "tx_id", "occurred_at",
                                "principal_id", "object_type", "record_id", "operation", "version", "changes_json"))
                        + ") values (1, ?, ?, 'ann', 'widget', ?, 'CREATE', 1, '[]')")) {
                    log.setObject(1, uuid(db, UUID.randomUUID()));
                    log.setObject(2, LocalDateTime.of(2024, 6, 1, 12, 0));
                    log.setObject(3, uuid(db, annsRecord));
                    log.executeUpdate();
                }
                try (PreparedStatement counter = c.prepareStatement("update " + q + store.prefix + "crmkit_lock" + q
                        + " set " + q + "counter" + q + " = 1 where " + q + "name" + q + " = 'change_log'")) {
                    counter.executeUpdate();
                }
                try (PreparedStatement ledger = c.prepareStatement("insert into " + q + store.prefix
                        + "crmkit_import" + q + " (" + String.join(", ", quoted(q, "import_id", "row_no", "record_id"))
                        + ") values ('crm-2024-06.csv', ?, ?)")) {
                    ledger.setLong(1, 1);
                    ledger.setObject(2, uuid(db, annsRecord));
                    ledger.executeUpdate();
                    ledger.setLong(1, 2);
                    ledger.setObject(2, uuid(db, orphan));
                    ledger.executeUpdate();
                }
            }

            try (Crm crm = Crm.builder().storage(store.open()).build()) {
                crm.schema().addObjectType(ObjectType.custom("widget", "Widget", Field.text("name").required(true)));
                CrmSession ann = crm.as(Principal.user("ann", Role.SALES_REP));
                ImportResult annsRun = ann.records("widget").importRecords("crm-2024-06.csv", rows(3));
                assertThat(annsRun.skippedIds()).isEqualTo(Map.of(1L, annsRecord));
                assertThat(annsRun.createdIds().keySet()).containsExactly(2L, 3L);

                ImportResult bobsRun = crm.as(Principal.user("bob", Role.SALES_REP)).records("widget")
                        .importRecords("crm-2024-06.csv", rows(3));
                assertThat(bobsRun.skippedIds()).isEmpty();
                assertThat(bobsRun.createdIds().keySet()).containsExactly(1L, 2L, 3L);
            }
        }
    }

    private static List<String> quoted(String q, String... names) {
        return java.util.Arrays.stream(names).map(n -> q + n + q).toList();
    }

    private static Object uuid(TestDatabase db, UUID id) {
        return db == TestDatabase.MARIADB ? id.toString() : id;
    }

    private static List<Map<String, Object>> rows(int n) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(Map.of("name", "w" + i));
        }
        return out;
    }
}
