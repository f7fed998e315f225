package org.crmkit.search.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.CrmStorage;
import org.crmkit.RecordSet;
import org.crmkit.search.SearchQuery;
import org.crmkit.security.Principal;
import org.crmkit.storage.jdbc.JdbcStorage;
import org.crmkit.storage.jdbc.TestDatabase;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An index kept while its database went back in time or was replaced: it must notice (storage identity, change-log
 * position and the fingerprint of the entry there) and rebuild, never serve hits of records the database no longer
 * holds nor miss new ones.
 */
class LuceneRestoreTest {
    @TempDir
    Path dir;

    private Path index() {
        return dir.resolve("index");
    }

    private Path db() {
        return dir.resolve("crm");
    }

    private Path dbFile() {
        return dir.resolve("crm.mv.db");
    }

    private Path backup() {
        return dir.resolve("backup.mv.db");
    }

    private static Crm crm(CrmStorage storage, Path index) {
        return Crm.builder().storage(storage).search(LuceneSearch.at(index)).build();
    }

    private static long total(Crm crm, String text) {
        assertThat(crm.admin().searchIndex().awaitUpToDate(Duration.ofSeconds(60))).as("index caught up").isTrue();
        return crm.as(Principal.SYSTEM).search(SearchQuery.of(text)).total();
    }

    private static void contacts(Crm crm, String lastName, int n) {
        RecordSet contacts = crm.as(Principal.SYSTEM).records("contact");
        for (int i = 0; i < n; i++) {
            contacts.create(Map.of("first_name", "N" + i, "last_name", lastName));
        }
    }

    /** Writes {@code Keeper} records, copies the closed database file, then writes {@code Ghost} records. */
    private void keeperBackupThenGhosts() throws IOException {
        try (Crm crm = crm(JdbcStorage.h2File(db()), index())) {
            contacts(crm, "Keeper", 5);
            assertThat(total(crm, "keeper")).isEqualTo(5);
        }
        Files.copy(dbFile(), backup());
        try (Crm crm = crm(JdbcStorage.h2File(db()), index())) {
            contacts(crm, "Ghost", 6);
            assertThat(total(crm, "ghost")).isEqualTo(6);
        }
    }

    @Test
    void anOlderCopyOfTheDatabasePutBackIsDetectedAndTheIndexRebuilt() throws IOException {
        keeperBackupThenGhosts();
        Files.copy(backup(), dbFile(), StandardCopyOption.REPLACE_EXISTING);
        try (Crm crm = crm(JdbcStorage.h2File(db()), index())) {
            contacts(crm, "Newcomer", 3);
            assertThat(total(crm, "ghost")).as("records the restored database never had").isZero();
            assertThat(total(crm, "newcomer")).as("records written after the restore").isEqualTo(3);
            assertThat(total(crm, "keeper")).isEqualTo(5);
        }
    }

    @Test
    void aRestoredDatabaseThatWentOnPastTheIndexPositionWithOtherChangesIsDetected() throws IOException {
        keeperBackupThenGhosts();
        Files.copy(backup(), dbFile(), StandardCopyOption.REPLACE_EXISTING);
        try (Crm without = Crm.builder().storage(JdbcStorage.h2File(db())).build()) {
            contacts(without, "Other", 9);
        }
        try (Crm crm = crm(JdbcStorage.h2File(db()), index())) {
            assertThat(total(crm, "ghost")).as("records the restored database never had").isZero();
            assertThat(total(crm, "other")).as("records written after the restore").isEqualTo(9);
            assertThat(total(crm, "keeper")).isEqualTo(5);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRES"})
    void anIndexOfAnotherDatabaseIsRebuilt(TestDatabase database) {
        try (Crm crm = crm(database.newStorage(), index())) {
            contacts(crm, "Elsewhere", 4);
            assertThat(total(crm, "elsewhere")).isEqualTo(4);
        }
        try (Crm crm = crm(database.newStorage(), index())) {
            contacts(crm, "Local", 2);
            assertThat(total(crm, "elsewhere")).as("records of the other database").isZero();
            assertThat(total(crm, "local")).isEqualTo(2);
        }
    }

    @Test
    void anotherDatabaseAheadOfTheIndexIsDetectedToo() {
        try (Crm crm = crm(TestDatabase.H2.newStorage(), index())) {
            contacts(crm, "Elsewhere", 3);
            assertThat(total(crm, "elsewhere")).isEqualTo(3);
        }
        JdbcStorage other = TestDatabase.H2.newStorage();
        try (Crm without = Crm.builder().storage(other).build()) {
            contacts(without, "Local", 7);
        }
        try (Crm crm = crm(TestDatabase.H2.reopen(other), index())) {
            assertThat(total(crm, "elsewhere")).as("records of the other database").isZero();
            assertThat(total(crm, "local")).isEqualTo(7);
        }
    }

    @Test
    void eachInMemoryStorageIsAnotherDatabase() {
        try (Crm crm = crm(InMemoryStorage.create(), index())) {
            contacts(crm, "Elsewhere", 3);
            assertThat(total(crm, "elsewhere")).isEqualTo(3);
        }
        try (Crm crm = crm(InMemoryStorage.create(), index())) {
            contacts(crm, "Local", 5);
            assertThat(total(crm, "elsewhere")).isZero();
            assertThat(total(crm, "local")).isEqualTo(5);
        }
    }
}
