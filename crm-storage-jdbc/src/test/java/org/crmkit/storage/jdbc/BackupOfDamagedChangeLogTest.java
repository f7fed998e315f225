package org.crmkit.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.stream.Stream;
import org.crmkit.Crm;
import org.crmkit.error.BackupException;
import org.crmkit.security.Principal;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A backup copies each change-log entry's stored {@code changes_json} into the archive unparsed
 * ({@link org.crmkit.storage.spi.StorageSnapshot#changeLogAsStored}); a row damaged in the database must fail the
 * backup with a typed error naming the entry, leaving no file, rather than give an archive no restore reads.
 */
class BackupOfDamagedChangeLogTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void anEntryWhoseStoredChangesAreNotOneJsonArrayFailsTheBackupNamingIt(TestDatabase db) throws Exception {
        for (String damage : new String[] {"not json", "[{\"field\":\"last_name\"}]\n[]", "{\"a\":1}", "[1] [2]"}) {
            try (TestStore store = TestStore.create(db); Crm crm = Crm.builder().storage(store.open()).build()) {
                for (int i = 1; i <= 3; i++) {
                    crm.as(Principal.SYSTEM).records("contact").create(Map.of("last_name", "Secret" + i));
                }
                String q = db == TestDatabase.MARIADB ? "`" : "\"";
                try (Connection c = store.connect(); Statement s = c.createStatement()) {
                    s.executeUpdate("update " + q + store.prefix + "crmkit_change_log" + q + " set " + q
                            + "changes_json" + q + " = '" + damage.replace("'", "''") + "' where " + q + "seq" + q
                            + " = 2");
                    if (!c.getAutoCommit()) {
                        c.commit();
                    }
                }
                Path archive = dir.resolve(db + "-" + damage.hashCode() + ".backup");
                assertThatThrownBy(() -> crm.admin().backup(archive)).as(damage)
                        .isInstanceOfSatisfying(BackupException.class, e -> {
                            assertThat(e.problem()).isEqualTo(BackupException.Problem.CORRUPT);
                            assertThat(e.getMessage()).contains("change-log entry 2").doesNotContain("Secret");
                        });
                try (Stream<Path> left = Files.list(dir)) {
                    assertThat(left).as("files left after a failed backup").isEmpty();
                }
            }
        }
    }
}
