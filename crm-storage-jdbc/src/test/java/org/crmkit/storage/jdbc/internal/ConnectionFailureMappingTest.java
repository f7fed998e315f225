package org.crmkit.storage.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.UUID;
import org.crmkit.error.ConflictException;
import org.crmkit.error.StorageException;
import org.crmkit.error.StorageUnavailableException;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/**
 * What each database reports when it goes away becomes a {@link StorageUnavailableException} (retryable), with the
 * outcome unknown only for a failure of the COMMIT itself; other failures keep their types. Messages stay redacted.
 */
class ConnectionFailureMappingTest {
    private static final String SECRET = "insert into crm_item values ('SECRET')";
    private static final SqlErrors.Target TARGET = new SqlErrors.Target("item", UUID.randomUUID(), 3);

    private static SqlErrors errors(Dialect dialect) {
        return new SqlErrors(dialect.strategy(), new Naming(""), t -> false);
    }

    /** As jOOQ hands it over: the driver's exception inside a DataAccessException whose message is the SQL. */
    private static RuntimeException jooq(SQLException e) {
        return new DataAccessException(SECRET, e);
    }

    private static StorageUnavailableException unavailable(Dialect dialect, SQLException e) {
        RuntimeException mapped = errors(dialect).map(jooq(e), null, TARGET, "updating item");
        assertThat(mapped).isInstanceOf(StorageUnavailableException.class);
        assertThat(mapped.getMessage()).contains("updating item failed on " + dialect.shortName())
                .contains("retry").doesNotContain("SECRET");
        assertThat(((StorageUnavailableException) mapped).outcomeUnknown()).isFalse();
        StorageException direct = errors(dialect).storage("getting a connection", e);
        assertThat(direct).isInstanceOf(StorageUnavailableException.class);
        return (StorageUnavailableException) mapped;
    }

    private static void notUnavailable(Dialect dialect, SQLException e) {
        RuntimeException mapped = errors(dialect).map(jooq(e), null, null, "querying item");
        assertThat(mapped).isInstanceOf(StorageException.class).isNotInstanceOf(StorageUnavailableException.class);
        assertThat(errors(dialect).storage("querying item", e)).isNotInstanceOf(StorageUnavailableException.class);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void jdbcConnectionFailuresAreRetryableOnEveryDatabase(Dialect dialect) {
        // HikariCP when no connection became free in time (no SQL state unless a connection attempt failed)
        unavailable(dialect, new SQLTransientConnectionException("crmkit - Connection is not available, request "
                + "timed out after 30000ms (total=0, active=0, idle=0, waiting=0)"));
        unavailable(dialect, new SQLNonTransientConnectionException(SECRET, "08000", 0));
        unavailable(dialect, new SQLException(SECRET, "08S01", 0));
        unavailable(dialect, new SQLException(SECRET, "08003"));
        notUnavailable(dialect, new SQLException(SECRET, "42000", 0));
        notUnavailable(dialect, new SQLException(SECRET, null, 0));
    }

    @Test
    void postgresStatesOfAServerGoingAwayOrStartingUp() {
        unavailable(Dialect.POSTGRES, new PSQLException(SECRET, PSQLState.CONNECTION_FAILURE)); // 08006
        unavailable(Dialect.POSTGRES, new PSQLException(SECRET, PSQLState.CONNECTION_UNABLE_TO_CONNECT)); // 08001
        unavailable(Dialect.POSTGRES, new SQLException(SECRET, "57P01")); // admin shutdown, pg_terminate_backend
        unavailable(Dialect.POSTGRES, new SQLException(SECRET, "57P02")); // crash shutdown
        unavailable(Dialect.POSTGRES, new SQLException(SECRET, "57P03")); // cannot connect now (starting up)
        notUnavailable(Dialect.POSTGRES, new SQLException(SECRET, "57014")); // query canceled: not transient
        assertThat(errors(Dialect.POSTGRES).map(jooq(new SQLException(SECRET, "40001")), null, TARGET, "updating"))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void mariaDbCodesOfAServerGoingAwayOrKillingTheSession() {
        unavailable(Dialect.MARIADB, new SQLException(SECRET, "70100", 1927)); // connection killed
        unavailable(Dialect.MARIADB, new SQLException(SECRET, "HY000", 1053)); // server shutdown in progress
        unavailable(Dialect.MARIADB, new SQLException(SECRET, "HY000", 2006)); // server has gone away
        unavailable(Dialect.MARIADB, new SQLException(SECRET, "HY000", 2013)); // lost connection during query
        unavailable(Dialect.MARIADB, new SQLException(SECRET, "HY000", 2002)); // cannot connect
        notUnavailable(Dialect.MARIADB, new SQLException(SECRET, "HY000", 1064)); // syntax error
        notUnavailable(Dialect.MARIADB, new SQLException(SECRET, "70100", 1317)); // KILL QUERY: the session lives
        assertThat(errors(Dialect.MARIADB).map(jooq(new SQLException(SECRET, "40001", 1213)), null, TARGET,
                "updating")).isInstanceOf(ConflictException.class);
    }

    @Test
    void theOtherDatabasesDoNotReadPostgresOrMariaDbCodes() {
        notUnavailable(Dialect.H2, new SQLException(SECRET, "57P01"));
        notUnavailable(Dialect.H2, new SQLException(SECRET, "HY000", 2013));
        notUnavailable(Dialect.MARIADB, new SQLException(SECRET, "57P01"));
        notUnavailable(Dialect.POSTGRES, new SQLException(SECRET, "HY000", 2013));
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aConnectionLostDuringTheCommitLeavesTheOutcomeUnknown(Dialect dialect) {
        RuntimeException mapped = errors(dialect).commitFailed(new SQLNonTransientConnectionException(SECRET,
                "08006", 0), TARGET);
        assertThat(mapped).isInstanceOf(StorageUnavailableException.class);
        assertThat(((StorageUnavailableException) mapped).outcomeUnknown()).isTrue();
        assertThat(mapped.getMessage()).contains("committing failed on " + dialect.shortName())
                .contains("may or may not have landed").doesNotContain("SECRET");
        assertThat(mapped.getCause()).hasMessageNotContaining("SECRET");
        // a commit refused for another reason is what it is, with a known outcome: nothing landed
        assertThat(errors(dialect).commitFailed(new SQLException(SECRET, "40001", 40001), TARGET))
                .isInstanceOf(ConflictException.class);
    }
}
