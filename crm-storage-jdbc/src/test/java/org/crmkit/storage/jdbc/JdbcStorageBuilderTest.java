package org.crmkit.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.crmkit.Crm;
import org.crmkit.error.ConfigurationException;
import org.crmkit.error.StorageException;
import org.crmkit.event.Operation;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.security.Principal;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link JdbcStorage.Builder}: settings checked all at once, clear connection errors, who owns the pool, migrations. */
class JdbcStorageBuilderTest {

    @Test
    void everyBadSettingIsReportedAtOnce() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:never");
        assertThatThrownBy(() -> JdbcStorage.builder().url("jdbc:h2:mem:never").dataSource(ds)
                .tablePrefix("Bad-Prefix").maxPoolSize(0).build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.problems()).hasSize(3);
                    assertThat(e.problems()).anyMatch(p -> p.contains("url") && p.contains("dataSource"));
                    assertThat(e.problems()).anyMatch(p -> p.contains("tablePrefix"));
                    assertThat(e.problems()).anyMatch(p -> p.contains("maxPoolSize"));
                    assertThat(e.getMessage()).contains("tablePrefix", "maxPoolSize");
                });
        assertThatThrownBy(() -> JdbcStorage.builder().url("postgresql://db/crm").tablePrefix("x".repeat(21))
                .maxPoolSize(1_001).migrations(null).build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.problems()).hasSize(4);
                    assertThat(e.problems()).anyMatch(p -> p.contains("jdbc:"));
                    assertThat(e.problems()).anyMatch(p -> p.contains("migrations"));
                });
        for (java.time.Duration bad : new java.time.Duration[] {null, java.time.Duration.ofMillis(249),
                java.time.Duration.ofHours(2), java.time.Duration.ofSeconds(-1)}) {
            assertThatThrownBy(() -> JdbcStorage.builder().url("jdbc:h2:mem:x").connectionTimeout(bad).build())
                    .as("%s", bad).isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                            .singleElement().asString().startsWith("connectionTimeout must be 250 ms to 1 hour"));
        }
        assertThatThrownBy(() -> JdbcStorage.builder().build()).isInstanceOfSatisfying(ConfigurationException.class,
                e -> assertThat(e.problems()).singleElement().asString().contains("url", "dataSource"));
        for (String bad : new String[] {"1abc", "_x", "erp-", "ERP_", "erp_;drop", "é", " erp"}) {
            assertThatThrownBy(() -> JdbcStorage.builder().url("jdbc:h2:mem:x").tablePrefix(bad).build())
                    .as(bad).isInstanceOf(ConfigurationException.class);
        }
        assertThatThrownBy(() -> JdbcStorage.builder().url("jdbc:h2:mem:x").tablePrefix(null).build())
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> JdbcStorage.h2Memory("a;INIT=RUNSCRIPT FROM 'x'"))
                .isInstanceOf(ConfigurationException.class);
    }

    @Test
    void anUnreachableDatabaseIsAStorageExceptionAndLeaksNoPool() throws Exception {
        Set<Thread> before = poolThreads();
        long t0 = System.nanoTime();
        // port 1 on the loopback refuses at once; the password must not appear in the message
        assertThatThrownBy(() -> JdbcStorage.builder()
                .url("jdbc:postgresql://127.0.0.1:1/crm?user=crm&password=hunter2&connectTimeout=5").build())
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.getMessage()).contains("cannot connect", "127.0.0.1:1").doesNotContain("hunter2");
                    assertThat(e.getMessage()).containsIgnoringCase("refused");
                });
        assertThatThrownBy(() -> JdbcStorage.builder().url("jdbc:mariadb://127.0.0.1:1/crm?user=root"
                + "&password=hunter2&connectTimeout=5000").build())
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.getMessage())
                        .contains("cannot connect").doesNotContain("hunter2"));
        // H2 takes its password in the URL as ";PASSWORD=", in any case
        assertThatThrownBy(() -> JdbcStorage.builder().url("jdbc:h2:tcp://127.0.0.1:1/crm;USER=sa;PASSWORD=hunter2")
                .build())
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.getMessage())
                        .contains("cannot connect").doesNotContain("hunter2"));
        // a URL no driver understands: MissingDriverTest
        assertThat(System.nanoTime() - t0).as("failing fast").isLessThan(30_000_000_000L);
        assertNoNewPoolThreads(before);
    }

    /**
     * A database that answers but where the migrations fail (the host already has a table of the name CRMKit's
     * migration creates): a typed error naming the migration, and the pool is closed again.
     */
    @Test
    void aFailedMigrationIsAStorageExceptionAndClosesThePool(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("clash").toAbsolutePath();
        try (Connection c = java.sql.DriverManager.getConnection(url)) {
            c.createStatement().execute("create table \"crmkit_lock\" (\"host_column\" int)");
        }
        Set<Thread> before = poolThreads();
        assertThatThrownBy(() -> JdbcStorage.builder().url(url).build())
                .isInstanceOf(StorageException.class).hasMessageContaining("migrating");
        assertNoNewPoolThreads(before);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void theHostsDataSourceIsNeverClosed(TestDatabase db) throws Exception {
        try (TestStore store = TestStore.create(db)) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(store.url);
            config.setMaximumPoolSize(4);
            config.setPoolName("host-pool");
            try (HikariDataSource host = new HikariDataSource(config)) {
                UUID id;
                JdbcStorage storage = store.prefix.isEmpty() ? JdbcStorage.of(host)
                        : JdbcStorage.builder().dataSource(host).tablePrefix(store.prefix).build();
                try (Crm crm = Crm.builder().storage(storage).build()) {
                    id = crm.as(Principal.SYSTEM).records("contact").create(Map.of("last_name", "Host")).id();
                }
                assertThat(host.isClosed()).isFalse();
                try (Connection c = host.getConnection();
                        ResultSet rs = c.getMetaData().getTables(null, null, "%",
                                null)) {
                    assertThat(rs.next()).isTrue();
                }
                // the host's pool serves a new storage on the same data
                JdbcStorage again = store.prefix.isEmpty() ? JdbcStorage.of(host)
                        : JdbcStorage.builder().dataSource(host).tablePrefix(store.prefix).build();
                try (Crm crm = Crm.builder().storage(again).build()) {
                    assertThat(crm.as(Principal.SYSTEM).records("contact").get(id).getString("last_name"))
                            .isEqualTo("Host");
                }
                assertThat(host.isClosed()).isFalse();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void validateRefusesAnUnmigratedDatabaseAndAcceptsAMigratedOne(TestDatabase db) throws Exception {
        try (TestStore store = TestStore.create(db)) {
            Set<Thread> before = poolThreads();
            assertThatThrownBy(() -> store.open(b -> b.migrations(MigrationMode.VALIDATE)))
                    .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.getMessage())
                            .contains("not migrated", "VALIDATE"));
            assertNoNewPoolThreads(before);
            // nothing was created by the refused start
            assertThat(store.tables(store.prefix + "crm")).isEmpty();

            try (Crm crm = Crm.builder().storage(store.open()).build()) { // APPLY, the default
                crm.as(Principal.SYSTEM).records("contact").create(Map.of("last_name", "Migrated"));
            }
            try (Crm crm = Crm.builder().storage(store.open(b -> b.migrations(MigrationMode.VALIDATE))).build()) {
                assertThat(crm.as(Principal.SYSTEM).records("contact").count(org.crmkit.query.Filters.all()))
                        .isEqualTo(1);
            }
        }
    }

    @Test
    void anH2FileKeepsEverythingAcrossCloseAndReopen(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("crm");
        UUID id;
        long lastSequence;
        long version;
        try (Crm crm = Crm.builder().storage(JdbcStorage.h2File(path)).build()) {
            crm.schema().addField("contact", Field.integer("shoe_size"));
            var contacts = crm.as(Principal.SYSTEM).records("contact");
            Record r = contacts.create(Map.of("last_name", "Durable", "shoe_size", 44));
            id = contacts.update(r, Map.of("first_name", "Dora")).id();
            lastSequence = crm.changeLog().lastSequence();
            version = crm.schema().version();
        }
        assertThat(Files.exists(dir.resolve("crm.mv.db"))).isTrue();
        try (Crm crm = Crm.builder().storage(JdbcStorage.h2File(path)).build()) {
            Record r = crm.as(Principal.SYSTEM).records("contact").get(id);
            assertThat(r.getString("last_name")).isEqualTo("Durable");
            assertThat(r.getString("first_name")).isEqualTo("Dora");
            assertThat(r.getLong("shoe_size")).isEqualTo(44L);
            assertThat(r.version()).isEqualTo(2);
            assertThat(crm.schema().version()).isEqualTo(version);
            assertThat(crm.changeLog().lastSequence()).isEqualTo(lastSequence);
            assertThat(crm.as(Principal.SYSTEM).records("contact").timeline(id))
                    .extracting(e -> e.operation()).containsExactly(Operation.CREATE, Operation.UPDATE);
            // and it keeps working: sequences go on from where they were
            crm.as(Principal.SYSTEM).records("contact").create(Map.of("last_name", "Next"));
            assertThat(crm.changeLog().lastSequence()).isEqualTo(lastSequence + 1);
        }
    }

    /** The file name is not a place for H2 URL settings (INIT=... runs SQL): refused, as h2Memory refuses names. */
    @Test
    void anH2FilePathCannotCarryUrlSettings(@TempDir Path dir) throws Exception {
        Path evil = dir.resolve("crm;INIT=CREATE TABLE \"pwned\"(\"id\" INT)");
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> JdbcStorage.h2File(evil).close());
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("crm")
                .toAbsolutePath() + ";IFEXISTS=TRUE")) {
            try (ResultSet rs = c.getMetaData().getTables(null, null, "pwned", null)) {
                assertThat(rs.next()).as("the INIT setting smuggled in the path ran").isFalse();
            }
        } catch (java.sql.SQLException e) {
            // no database was created at all: fine
        }
        assertThat(t).as("h2File with ';' in the path").isInstanceOf(ConfigurationException.class);
    }

    /** An H2 file database writes each commit before it returns, unless the URL says otherwise. */
    @Test
    void anH2FileDatabaseWritesCommitsAtOnce(@TempDir Path dir) throws Exception {
        try (JdbcStorage storage = JdbcStorage.h2File(dir.resolve("durable"))) {
            assertThat(writeDelay("jdbc:h2:file:" + dir.resolve("durable").toAbsolutePath())).isEqualTo("0");
        }
        String own = "jdbc:h2:file:" + dir.resolve("own").toAbsolutePath() + ";WRITE_DELAY=200";
        try (JdbcStorage storage = JdbcStorage.builder().url(own).build()) {
            assertThat(writeDelay(own)).isEqualTo("200");
        }
        assertThat(JdbcStorage.connectUrl("jdbc:h2:mem:x")).isEqualTo("jdbc:h2:mem:x;QUERY_CACHE_SIZE=64");
        assertThat(JdbcStorage.connectUrl("jdbc:postgresql://h/db")).isEqualTo("jdbc:postgresql://h/db");
        assertThat(JdbcStorage.connectUrl("jdbc:h2:./data/crm"))
                .isEqualTo("jdbc:h2:./data/crm;WRITE_DELAY=0;QUERY_CACHE_SIZE=64");
        assertThat(JdbcStorage.connectUrl("jdbc:h2:tcp://h/crm")).isEqualTo("jdbc:h2:tcp://h/crm");
    }

    /**
     * An embedded H2 database keeps 64 parsed statements per session (H2's default is 8; a write with roll-ups
     * prepares more than that and H2 parsed them again), unless the URL says otherwise.
     */
    @Test
    void anEmbeddedH2DatabaseKeepsMoreParsedStatements(@TempDir Path dir) throws Exception {
        try (JdbcStorage storage = JdbcStorage.h2File(dir.resolve("cached"))) {
            assertThat(setting("jdbc:h2:file:" + dir.resolve("cached").toAbsolutePath(), "QUERY_CACHE_SIZE"))
                    .isEqualTo("64");
        }
        String own = "jdbc:h2:file:" + dir.resolve("own").toAbsolutePath() + ";query_cache_size=5";
        try (JdbcStorage storage = JdbcStorage.builder().url(own).build()) {
            assertThat(setting(own, "QUERY_CACHE_SIZE")).isEqualTo("5");
        }
    }

    /** The WRITE_DELAY setting of an open H2 database, read through a second connection of this JVM. */
    private static String writeDelay(String url) throws Exception {
        return setting(url, "WRITE_DELAY");
    }

    /** A setting of an open H2 database, read through a second connection of this JVM. */
    private static String setting(String url, String name) throws Exception {
        try (Connection c = java.sql.DriverManager.getConnection(url);
                java.sql.PreparedStatement select = c.prepareStatement(
                        "select setting_value from information_schema.settings where setting_name = ?")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).as(name).isTrue();
                return rs.getString(1);
            }
        }
    }

    @Test
    void anH2MemoryDatabaseLivesWhileTheStorageIsOpen() {
        String name = "mem" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Crm crm = Crm.builder().storage(JdbcStorage.h2Memory(name)).build()) {
            crm.as(Principal.SYSTEM).records("contact").create(Map.of("last_name", "InMemory"));
            assertThat(crm.changeLog().lastSequence()).isEqualTo(1);
        }
    }

    // ---- pool threads -------------------------------------------------------------------------------------

    /** HikariCP's threads of the pools CRMKit builds (pool name "crmkit"). */
    private static Set<Thread> poolThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("crmkit")).collect(Collectors.toSet());
    }

    private static void assertNoNewPoolThreads(Set<Thread> before) throws InterruptedException {
        Set<Thread> leaked = Set.of();
        for (int i = 0; i < 50; i++) {
            leaked = poolThreads().stream().filter(t -> !before.contains(t)).collect(Collectors.toSet());
            if (leaked.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        assertThat(leaked).as("pool threads left running").isEmpty();
    }
}
