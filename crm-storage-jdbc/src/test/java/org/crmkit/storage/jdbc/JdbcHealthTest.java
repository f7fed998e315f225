package org.crmkit.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.health.Health;
import org.crmkit.health.HealthStatus;
import org.crmkit.observe.PoolStats;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.junit.jupiter.api.Test;

/**
 * The connection pool's state through {@code crm.admin().connectionPool()}, and a health check that reports an
 * unreachable database as DOWN instead of throwing.
 */
class JdbcHealthTest {
    @Test
    void aPoolTheStorageOwnsReportsHikariCpsNumbers() {
        try (Crm crm = Crm.builder().storage(TestDatabase.H2.newStorage(JdbcStorage.builder().maxPoolSize(4)))
                .build()) {
            crm.as(Principal.user("u-1", Role.ADMIN)).records("company").create(Map.of("name", "Acme"));
            PoolStats pool = crm.admin().connectionPool().orElseThrow();
            assertThat(pool.name()).isEqualTo("crmkit");
            assertThat(pool.maximum()).isEqualTo(4);
            assertThat(pool.acquired()).isPositive();
            assertThat(pool.acquireNanos()).isPositive();
            assertThat(pool.total()).isBetween(1, 4);
            assertThat(pool.timeouts()).isZero();
        }
    }

    @Test
    void aPoolTheHostOwnsIsNotReported() {
        org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
        ds.setURL("jdbc:h2:mem:host-pool-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        try (Crm crm = Crm.builder().storage(JdbcStorage.of(ds)).build()) {
            assertThat(crm.admin().connectionPool()).isEmpty();
            assertThat(crm.admin().health().status()).isEqualTo(HealthStatus.UP);
        }
    }

    @Test
    void aDroppedDatabaseIsReportedDownWithoutThrowing() throws Exception {
        TestDatabase.POSTGRES.requireAvailable();
        String name = "crmkit_health_" + ProcessHandle.current().pid();
        String base = TestDatabase.POSTGRES.url();
        String url = base.replaceFirst("^(jdbc:postgresql://[^/?]+/)[^?]*", "$1" + name);
        execute(base, "drop database if exists " + name + " with (force)");
        execute(base, "create database " + name);
        // a health probe's bound: the pool gives up on a connection after 2 s (HikariCP's default is 30 s)
        try (Crm crm = Crm.builder().storage(JdbcStorage.builder().url(url).maxPoolSize(2)
                .connectionTimeout(java.time.Duration.ofSeconds(2)).build()).build()) {
            Health up = crm.admin().health();
            assertThat(up.status()).isEqualTo(HealthStatus.UP);
            assertThat(up.components().get("storage").details()).containsEntry("name", "postgresql");

            execute(base, "drop database " + name + " with (force)");
            long before = System.nanoTime();
            Health down = crm.admin().health(); // waits for the pool's connection timeout, then reports
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - before)).as("bounded by connectionTimeout")
                    .isLessThan(java.time.Duration.ofSeconds(25));
            assertThat(down.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(down.components().get("storage").status()).isEqualTo(HealthStatus.DOWN);
            assertThat(down.components().get("storage").details().get("error")).asString().matches("[A-Z_.a-z]+");
            assertThat(down.components().get("search").status()).isEqualTo(HealthStatus.DEGRADED);
        } finally {
            execute(base, "drop database if exists " + name + " with (force)");
        }
    }

    private static void execute(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
