package org.crmkit.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.crmkit.Crm;
import org.crmkit.error.CrmException;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.SchemaException;
import org.crmkit.error.StorageException;
import org.crmkit.error.ValidationException;
import org.crmkit.plugin.spi.Installation;
import org.crmkit.query.Filters;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaChange;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.security.Principal;
import org.crmkit.storage.support.StorageJson;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * H2 and MariaDB commit around DDL, so a schema change there writes a redo row ({@code crmkit_schema_pending})
 * before its DDL and its history row after; a crash in between leaves the redo row, which the next start (or the
 * next schema change) finishes. Also: two nodes changing the schema at once both end up applied.
 */
class SchemaRepairTest {
    private static final StorageJson JSON = new StorageJson();

    /** A crash after the DDL ran, and a crash before it ran: the next start finishes both; stale rows go. */
    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "MARIADB"})
    void theNextStartFinishesChangesFromTheRedoLog(TestDatabase db) throws Exception {
        try (TestStore store = TestStore.create(db)) {
            SchemaSnapshot before;
            try (Crm crm = Crm.builder().storage(store.open()).build()) {
                before = crm.schema().snapshot();
            }

            // 1. crash after the DDL: the column exists, the redo row exists, the history row does not
            SchemaChange addNickname = addField(before, "contact", Field.text("nickname"));
            SchemaSnapshot v1 = apply(before, addNickname);
            try (Connection c = store.connect()) {
                DSLContext dsl = dsl(db, c);
                dsl.alterTable(DSL.name(store.prefix + "crm_contact"))
                        .addColumn(DSL.name("nickname"), SQLDataType.VARCHAR(255)).execute();
                insertPending(dsl, store.prefix, addNickname, v1);
            }
            try (JdbcStorage reopened = store.open(); Crm crm = Crm.builder().storage(reopened).build()) {
                List<SchemaChangeEntry> history = Installation.storageOf(reopened).schemaHistory();
                assertThat(history.get(history.size() - 1).version()).isEqualTo(v1.version());
                assertThat(history.get(history.size() - 1).change()).isEqualTo(addNickname);
                assertThat(Installation.storageOf(reopened).loadSchema().orElseThrow().version())
                        .isEqualTo(v1.version());
                assertThat(crm.schema().objectType("contact").findField("nickname")).isPresent();
                assertThat(pendingVersions(db, store)).isEmpty();
                Record r = crm.as(Principal.SYSTEM).records("contact").create(Map.of("last_name", "Doe",
                        "nickname", "Jo"));
                assertThat(crm.as(Principal.SYSTEM).records("contact").get(r.id()).getString("nickname"))
                        .isEqualTo("Jo");
                assertThat(crm.as(Principal.SYSTEM).records("contact").count(Filters.where("nickname").eq("Jo")))
                        .isEqualTo(1);
            }

            // 2. crash before the DDL: only the redo row; the repair runs the DDL (column and unique index)
            SchemaChange addBadge = addField(v1, "contact", Field.text("badge").unique(true));
            SchemaSnapshot v2 = apply(v1, addBadge);
            try (Connection c = store.connect()) {
                insertPending(dsl(db, c), store.prefix, addBadge, v2);
            }
            assertThat(store.columns(store.prefix + "crm_contact")).doesNotContainKey("badge");
            try (JdbcStorage reopened = store.open(); Crm crm = Crm.builder().storage(reopened).build()) {
                assertThat(Installation.storageOf(reopened).schemaHistory()).extracting(SchemaChangeEntry::version)
                        .endsWith(v1.version(), v2.version());
                assertThat(crm.schema().version()).isEqualTo(v2.version());
                assertThat(store.columns(store.prefix + "crm_contact")).containsKey("badge");
                assertThat(store.indexes(store.prefix + "crm_contact").values())
                        .anySatisfy(i -> assertThat(i.unique() && i.columns().equals(List.of("badge"))).isTrue());
                var contacts = crm.as(Principal.SYSTEM).records("contact");
                contacts.create(Map.of("last_name", "A", "badge", "B-1"));
                assertThatThrownBy(() -> contacts.create(Map.of("last_name", "B", "badge", "B-1")))
                        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                                .anyMatch(x -> x.field().equals("badge") && x.code() == FieldErrorCode.NOT_UNIQUE));
                assertThat(pendingVersions(db, store)).isEmpty();
            }

            // 3. a redo row the history already holds (the crash hit after the metadata commit) is dropped
            try (Connection c = store.connect()) {
                insertPending(dsl(db, c), store.prefix, addBadge, v2);
            }
            try (JdbcStorage reopened = store.open()) {
                assertThat(Installation.storageOf(reopened).schemaHistory()).hasSize((int) v2.version());
                assertThat(pendingVersions(db, store)).isEmpty();
                assertThat(Installation.storageOf(reopened).loadSchema().orElseThrow()).isEqualTo(v2);
            }

            // 4. a redo row from beyond the next version cannot come from CRMKit: refuse to start, say why
            SchemaChange addGap = addField(v2, "contact", Field.text("gap"));
            SchemaSnapshot v4 = new SchemaSnapshot(v2.version() + 2, apply(v2, addGap).objectTypes(),
                    v2.pipelines());
            try (Connection c = store.connect()) {
                insertPending(dsl(db, c), store.prefix, addGap, v4);
            }
            assertThatThrownBy(store::open).isInstanceOf(StorageException.class).hasMessageContaining("by hand");
        }
    }

    /**
     * A real crash window: the commit of the metadata fails after the DDL ran (the connection is lost at
     * commit). The caller gets a typed error; the redo row and the column are left; a restart finishes the change.
     */
    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "MARIADB", "POSTGRES"})
    void aCommitLostAfterTheDdlIsFinishedOnRestart(TestDatabase db) throws Exception {
        try (TestStore store = TestStore.create(db)) {
            try (Crm crm = Crm.builder().storage(store.open()).build()) {
                assertThat(crm.schema().version()).isPositive(); // migrated, standard schema created
            }
            CrashingDataSource ds = new CrashingDataSource(store.url);
            long version;
            try (Crm crm = Crm.builder().storage(JdbcStorage.builder().dataSource(ds).tablePrefix(store.prefix)
                    .build()).build()) {
                version = crm.schema().version();
                ds.crashAtNextCommit.set(true);
                assertThatThrownBy(() -> crm.schema().addField("contact", Field.integer("shoe_size").indexed(true)))
                        .isInstanceOf(CrmException.class).isNotInstanceOf(SchemaException.class);
                assertThat(ds.crashes.get()).isEqualTo(1);
            }
            assertThat(pendingVersions(db, store)).containsExactly(version + 1);
            assertThat(store.columns(store.prefix + "crm_contact")).containsKey("shoe_size");
            try (JdbcStorage again = store.open(); Crm crm = Crm.builder().storage(again).build()) {
                assertThat(crm.schema().version()).isEqualTo(version + 1);
                assertThat(crm.schema().history().get((int) version).change())
                        .isInstanceOf(SchemaChange.AddField.class);
                assertThat(pendingVersions(db, store)).isEmpty();
                Record r = crm.as(Principal.SYSTEM).records("contact").create(Map.of("last_name", "Big",
                        "shoe_size", 47));
                assertThat(crm.as(Principal.SYSTEM).records("contact").get(r.id()).getLong("shoe_size"))
                        .isEqualTo(47L);
            }
        }
    }

    /**
     * The same crash, but the process goes on: its next schema change (or another node's) must finish the cut-off
     * change and then succeed, at worst after one retry on {@code CONCURRENT_CHANGE}. The next change adds a type,
     * which PostgreSQL runs inside its transaction: it must still finish the cut-off change first.
     */
    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "MARIADB", "POSTGRES"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aCommitLostAfterTheDdlIsFinishedByTheNextChange(TestDatabase db) throws Exception {
        try (TestStore store = TestStore.create(db)) {
            store.open().close();
            CrashingDataSource ds = new CrashingDataSource(store.url);
            try (Crm crm = Crm.builder().storage(JdbcStorage.builder().dataSource(ds).tablePrefix(store.prefix)
                    .build()).build()) {
                long version = crm.schema().version();
                ds.crashAtNextCommit.set(true);
                assertThatThrownBy(() -> crm.schema().addField("contact", Field.text("lost")))
                        .isInstanceOf(CrmException.class);
                int attempts = 0;
                while (true) {
                    attempts++;
                    try {
                        crm.schema().addObjectType(ObjectType.custom("follow_up", "Follow-up",
                                Field.text("name").required(true)));
                        break;
                    } catch (SchemaException e) {
                        assertThat(e.problem()).isEqualTo(SchemaException.Problem.CONCURRENT_CHANGE);
                        assertThat(attempts).as("attempts of the next schema change after the lost commit")
                                .isLessThan(3);
                    }
                }
                assertThat(crm.schema().version()).isEqualTo(version + 2);
                assertThat(crm.schema().objectType("contact").findField("lost")).isPresent();
                assertThat(crm.schema().findObjectType("follow_up")).isPresent();
                assertThat(pendingVersions(db, store)).isEmpty();
                crm.as(Principal.SYSTEM).records("contact").create(Map.of("last_name", "X", "lost", "l"));
                crm.as(Principal.SYSTEM).records("follow_up").create(Map.of("name", "n"));
            }
        }
    }

    /**
     * Two nodes on one database add different fields at the same moment: each either succeeds or gets
     * {@code CONCURRENT_CHANGE} and succeeds on retry; in the end both nodes' storages hold both fields, the
     * history holds each change once, and the columns exist.
     */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void twoNodesChangingTheSchemaAtOnceBothWin(TestDatabase db) throws Exception {
        try (TestStore store = TestStore.create(db)) {
            JdbcStorage storageA = store.open();
            Crm nodeA = Crm.builder().storage(storageA).build();
            JdbcStorage storageB = store.open();
            Crm nodeB = Crm.builder().storage(storageB).build();
            try {
                long start = nodeA.schema().version();
                AtomicInteger conflicts = new AtomicInteger();
                int rounds = 4;
                for (int round = 0; round < rounds; round++) {
                    race(nodeA, "alpha" + round, nodeB, "beta" + round, conflicts);
                }
                System.out.printf("SchemaRepairTest %s: %d rounds of two racing nodes, %d CONCURRENT_CHANGE retries%n",
                        db, rounds, conflicts.get());
                SchemaSnapshot a = Installation.storageOf(storageA).loadSchema().orElseThrow();
                SchemaSnapshot b = Installation.storageOf(storageB).loadSchema().orElseThrow();
                assertThat(a).isEqualTo(b);
                assertThat(a.version()).isEqualTo(start + 2L * rounds);
                List<String> added = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    added.add("alpha" + round);
                    added.add("beta" + round);
                }
                ObjectType contact = a.findObjectType("contact").orElseThrow();
                for (String f : added) {
                    assertThat(contact.findField(f)).as(f).isPresent();
                }
                List<SchemaChangeEntry> history = Installation.storageOf(storageB).schemaHistory();
                assertThat(history).extracting(SchemaChangeEntry::version).doesNotHaveDuplicates();
                assertThat(history.stream().filter(e -> e.change() instanceof SchemaChange.AddField
                        && e.change().objectType().equals("contact")) // not the standard schema's upgrades
                        .map(e -> ((SchemaChange.AddField) e.change()).field().name()).toList())
                        .containsExactlyInAnyOrderElementsOf(added);
                assertThat(store.columns(store.prefix + "crm_contact")).containsKeys(added.toArray(String[]::new));
                assertThat(pendingVersions(db, store)).isEmpty();
            } finally {
                nodeA.close();
                nodeB.close();
            }
            // a node started afterwards sees everything and can write every field
            try (Crm nodeC = Crm.builder().storage(store.open()).build()) {
                Map<String, Object> values = new java.util.HashMap<>();
                values.put("last_name", "C");
                for (int round = 0; round < 4; round++) {
                    values.put("alpha" + round, "a" + round);
                    values.put("beta" + round, "b" + round);
                }
                Record r = nodeC.as(Principal.SYSTEM).records("contact").create(values);
                assertThat(nodeC.as(Principal.SYSTEM).records("contact").get(r.id()).values())
                        .containsAllEntriesOf(values);
            }
        }
    }

    /** Both nodes add their field at once (a latch), each retrying on CONCURRENT_CHANGE. */
    private static void race(Crm nodeA, String fieldA, Crm nodeB, String fieldB, AtomicInteger conflicts)
            throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (var job : List.of(Map.entry(nodeA, fieldA), Map.entry(nodeB, fieldB))) {
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int attempt = 1;; attempt++) {
                        try {
                            job.getKey().schema().addField("contact", Field.text(job.getValue()));
                            return null;
                        } catch (SchemaException e) {
                            if (e.problem() != SchemaException.Problem.CONCURRENT_CHANGE || attempt >= 5) {
                                throw e;
                            }
                            conflicts.incrementAndGet();
                        }
                    }
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private static SchemaChange addField(SchemaSnapshot s, String type, Field field) {
        return new SchemaChange.AddField(type, field);
    }

    private static SchemaSnapshot apply(SchemaSnapshot s, SchemaChange change) {
        SchemaChange.AddField add = (SchemaChange.AddField) change;
        ObjectType t = s.findObjectType(add.objectType()).orElseThrow();
        List<Field> fields = new ArrayList<>(t.fields());
        fields.add(add.field());
        return s.with(t.withFields(fields));
    }

    private static DSLContext dsl(TestDatabase db, Connection c) {
        return DSL.using(c, switch (db) {
            case H2 -> SQLDialect.H2;
            case POSTGRES -> SQLDialect.POSTGRES;
            case MARIADB -> SQLDialect.MARIADB;
        });
    }

    /** Writes a redo row as the storage does before running a change's DDL. */
    private static void insertPending(DSLContext dsl, String prefix, SchemaChange change, SchemaSnapshot next) {
        dsl.insertInto(DSL.table(DSL.name(prefix + "crmkit_schema_pending")))
                .set(DSL.field(DSL.name("version"), SQLDataType.BIGINT), next.version())
                .set(DSL.field(DSL.name("created_at"), SQLDataType.LOCALDATETIME(6)),
                        LocalDateTime.now(ZoneOffset.UTC))
                .set(DSL.field(DSL.name("principal_id"), SQLDataType.VARCHAR), Principal.SYSTEM_ID)
                .set(DSL.field(DSL.name("change_json"), SQLDataType.CLOB), JSON.writeSchemaChange(change))
                .set(DSL.field(DSL.name("snapshot_json"), SQLDataType.CLOB), JSON.writeSnapshot(next))
                .execute();
    }

    private static List<Long> pendingVersions(TestDatabase db, TestStore store) throws SQLException {
        try (Connection c = store.connect()) {
            return dsl(db, c).select(DSL.field(DSL.name("version"), SQLDataType.BIGINT))
                    .from(DSL.table(DSL.name(store.prefix + "crmkit_schema_pending"))).orderBy(1)
                    .fetch(0, Long.class);
        }
    }

    /** Connections straight from the driver whose next {@code commit()} can be made to fail, as if cut off. */
    static final class CrashingDataSource implements DataSource {
        final AtomicBoolean crashAtNextCommit = new AtomicBoolean();
        final AtomicInteger crashes = new AtomicInteger();
        private final String url;

        CrashingDataSource(String url) {
            this.url = url;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection real = java.sql.DriverManager.getConnection(url);
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("commit") && crashAtNextCommit.compareAndSet(true, false)) {
                            crashes.incrementAndGet();
                            throw new SQLException("simulated crash: connection lost at commit", "08006");
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {}

        @Override
        public void setLoginTimeout(int seconds) {}

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
