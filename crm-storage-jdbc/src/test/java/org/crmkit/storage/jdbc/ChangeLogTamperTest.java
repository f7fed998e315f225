package org.crmkit.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.event.ChainVerification;
import org.crmkit.event.ChainVerification.Tampering;
import org.crmkit.keys.KeyProviders;
import org.crmkit.security.Principal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The tamper-evident change log against someone with write access to the database (issue 16, item 3): rows of
 * {@code crmkit_change_log} and {@code crmkit_change_seal} edited, deleted and inserted with plain SQL, and
 * {@code changeLog().verify()} naming the exact entry and what happened to it, on every SQL database.
 */
class ChangeLogTamperTest {
    /** Five contacts, entries 1 to 5, sealed; the SQL runs on a plain connection, then the log is verified. */
    private static ChainVerification afterSql(TestDatabase db, String... statements) throws SQLException {
        try (TestStore store = TestStore.create(db);
                Crm crm = Crm.builder().keys(KeyProviders.generated()).storage(store.open()).build()) {
            for (int i = 1; i <= 5; i++) {
                crm.as(Principal.SYSTEM).records("contact").create(Map.of("last_name", "C" + i));
            }
            assertThat(crm.changeLog().verify().intact()).as("before the SQL").isTrue();
            try (Connection c = store.connect(); Statement s = c.createStatement()) {
                for (String sql : statements) {
                    s.executeUpdate(sql.replace("LOG", table(db, store, "crmkit_change_log"))
                            .replace("SEAL", table(db, store, "crmkit_change_seal")).replace("`", quote(db)));
                }
                if (!c.getAutoCommit()) {
                    c.commit();
                }
            }
            return crm.changeLog().verify();
        }
    }

    private static String quote(TestDatabase db) {
        return db == TestDatabase.MARIADB ? "`" : "\"";
    }

    private static String table(TestDatabase db, TestStore store, String name) {
        return quote(db) + store.prefix + name + quote(db);
    }

    private static void assertNamed(ChainVerification v, long sequence, Tampering kind) {
        assertThat(v.intact()).isFalse();
        assertThat(v.problem()).hasValueSatisfying(p -> {
            assertThat(p.sequence()).as("sequence named").isEqualTo(sequence);
            assertThat(p.kind()).as("kind").isEqualTo(kind);
            assertThat(p.detail()).doesNotContain("C1", "C2", "C3", "C4", "C5");
        });
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aValueEditedInTheLogIsNamed(TestDatabase db) throws SQLException {
        assertNamed(afterSql(db, "update LOG set `changes_json` = replace(`changes_json`, 'C3', 'X3') where `seq` = 3"),
                3, Tampering.CHANGED);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void whoMadeAChangeEditedIsNamed(TestDatabase db) throws SQLException {
        assertNamed(afterSql(db, "update LOG set `principal_id` = 'someone-else' where `seq` = 2"), 2,
                Tampering.CHANGED);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void twoEntriesSwappedAreNamedAtTheFirst(TestDatabase db) throws SQLException {
        assertNamed(
                afterSql(db, "update LOG set `seq` = 100 where `seq` = 2", "update LOG set `seq` = 2 where `seq` = 4",
                        "update LOG set `seq` = 4 where `seq` = 100"),
                2, Tampering.CHANGED);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aSealEditedIsNamed(TestDatabase db) throws SQLException {
        assertNamed(afterSql(db, "update SEAL set `digest` = (select `digest` from (select `digest` from SEAL "
                + "where `seq` = 4) d) where `seq` = 2"), 2, Tampering.CHANGED);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void anEntryDeletedIsNamed(TestDatabase db) throws SQLException {
        assertNamed(afterSql(db, "delete from LOG where `seq` = 3"), 3, Tampering.DELETED);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void anEntryDeletedWithItsSealIsNamed(TestDatabase db) throws SQLException {
        assertNamed(afterSql(db, "delete from LOG where `seq` = 3", "delete from SEAL where `seq` = 3"), 3,
                Tampering.DELETED);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void anEntryInsertedWithoutASealIsNamed(TestDatabase db) throws SQLException {
        assertNamed(afterSql(db, "insert into LOG select 6, `tx_id`, `occurred_at`, `principal_id`, `object_type`, "
                + "`record_id`, `operation`, `version`, `changes_json` from LOG where `seq` = 5"), 6,
                Tampering.INSERTED);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void anEntryInsertedWithACopiedSealIsNamed(TestDatabase db) throws SQLException {
        assertNamed(afterSql(db, "insert into LOG select 6, `tx_id`, `occurred_at`, `principal_id`, `object_type`, "
                + "`record_id`, `operation`, `version`, `changes_json` from LOG where `seq` = 5",
                "insert into SEAL select 6, `digest`, `link`, `mark` from SEAL where `seq` = 5"), 6,
                Tampering.INSERTED);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void theNewestEntriesDeletedWithTheirSealsChangeTheHeadKeptOutside(TestDatabase db) throws SQLException {
        try (TestStore store = TestStore.create(db);
                Crm crm = Crm.builder().keys(KeyProviders.generated()).storage(store.open()).build()) {
            for (int i = 1; i <= 5; i++) {
                crm.as(Principal.SYSTEM).records("contact").create(Map.of("last_name", "C" + i));
            }
            String kept = crm.changeLog().verify().head();
            try (Connection c = store.connect(); Statement s = c.createStatement()) {
                s.executeUpdate("delete from " + table(db, store, "crmkit_change_log") + " where "
                        + quote(db) + "seq" + quote(db) + " = 5");
                s.executeUpdate("delete from " + table(db, store, "crmkit_change_seal") + " where "
                        + quote(db) + "seq" + quote(db) + " = 5");
            }
            ChainVerification v = crm.changeLog().verify();
            assertThat(v.head()).as("the head compared with one kept outside the database").isNotEqualTo(kept);
            assertThat(v.lastSequence()).isEqualTo(4);
        }
    }
}
