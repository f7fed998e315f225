package org.crmkit.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.crmkit.Crm;

import org.crmkit.RecordSet;
import org.crmkit.query.Filters;
import org.crmkit.record.Record;
import org.crmkit.schema.DataPolicy;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.Schema;
import org.crmkit.security.Principal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Schema changes on PostgreSQL and MariaDB do not make writers wait (issue 19, item 5). A long transaction outside
 * CRMKit keeps a row of the table locked, so every change has to wait for it: a DDL statement that waited for its
 * lock the way plain DDL does would queue every later writer of the table behind it until that transaction ends
 * (PostgreSQL's lock queue, MariaDB's metadata lock). While the change is held up, 20 writes through the API must
 * still finish, and the change must finish once the transaction ends, with the new field usable (and its index
 * built, valid). The test measures no time: it fails by writes that never finish (the waits are a minute).
 */
class OnlineSchemaChangeTest {
    private static final int WRITES = 20;

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRES", "MARIADB"})
    void writersKeepWritingWhileAFieldIsAddedOrDeleted(TestDatabase db) throws Exception {
        JdbcStorage storage = db.newStorage();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Crm crm = Crm.builder().storage(storage).build()) {
            Schema schema = crm.schema();
            schema.addObjectType(ObjectType.custom("maker", "Maker", Field.text("name").required(true)));
            schema.addObjectType(ObjectType.custom("gadget", "Gadget", Field.text("name").required(true),
                    Field.text("legacy")));
            RecordSet gadgets = crm.as(Principal.SYSTEM).records("gadget");
            List<Record> made = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                made.add(gadgets.create(Map.of("name", "g" + i, "legacy", "l" + i)));
            }
            String table = storage.tablePrefix() + "crm_x_gadget";

            whileHeldUp(db, table, made.get(0), pool, gadgets, made,
                    s -> s.addField("gadget", Field.integer("points").indexed(true)), schema);
            whileHeldUp(db, table, made.get(0), pool, gadgets, made,
                    s -> s.addField("gadget", Field.text("code").unique(true)), schema);
            whileHeldUp(db, table, made.get(0), pool, gadgets, made,
                    s -> s.addField("gadget", Field.reference("maker", "maker")), schema);
            whileHeldUp(db, table, made.get(0), pool, gadgets, made,
                    s -> s.deleteField("gadget", "legacy", DataPolicy.DISCARD_DATA), schema);

            Record maker = crm.as(Principal.SYSTEM).records("maker").create(Map.of("name", "m"));
            Record g = gadgets.create(Map.of("name", "new", "points", 7, "code", "c-1", "maker", maker.id()));
            assertThat(gadgets.count(Filters.where("points").eq(7))).isEqualTo(1);
            assertThat(gadgets.count(Filters.where("code").eq("c-1"))).isEqualTo(1);
            assertThat(gadgets.get(g.id()).has("legacy")).isFalse();
            assertThat(invalidIndexes(db, storage.tablePrefix())).as("indexes a concurrent build left invalid")
                    .isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Holds a row of {@code table} locked in a transaction of its own while {@code change} runs; checks that the
     * change waits for it, that writes go through meanwhile, and that the change finishes after it.
     */
    private static void whileHeldUp(TestDatabase db, String table, Record locked, ExecutorService pool,
            RecordSet gadgets, List<Record> made, Consumer<Schema> change, Schema schema) throws Exception {
        long version = schema.version();
        try (Connection holder = DriverManager.getConnection(db.url())) {
            holder.setAutoCommit(false);
            try (PreparedStatement s = holder.prepareStatement("update " + quote(db, table) + " set "
                    + quote(db, "name") + " = " + quote(db, "name") + " where " + quote(db, "id") + " = ?")) {
                s.setObject(1, db == TestDatabase.POSTGRES ? locked.id() : locked.id().toString());
                assertThat(s.executeUpdate()).isEqualTo(1);
            }
            Future<?> changing = pool.submit(() -> change.accept(schema));
            awaitDdlOn(db, table, changing);

            Future<?> writing = pool.submit(() -> {
                for (int i = 0; i < WRITES; i++) {
                    Record r = made.get(1 + i);
                    Record current = gadgets.get(r.id());
                    gadgets.update(current, Map.of("name", current.getString("name") + "+"));
                    gadgets.create(Map.of("name", "during-" + version + "-" + i));
                }
            });
            writing.get(60, TimeUnit.SECONDS); // writers waiting behind the DDL would never get here
            assertThat(changing).as("the change waits for the transaction holding the row").isNotDone();
            holder.commit();
            changing.get(120, TimeUnit.SECONDS);
        }
        assertThat(schema.version()).isEqualTo(version + 1);
        assertThat(gadgets.count(Filters.where("name").startsWith("during-" + version + "-"))).isEqualTo(WRITES);
    }

    /** Waits until a DDL statement naming {@code table} is seen on the server (running or just run). */
    private static void awaitDdlOn(TestDatabase db, String table, Future<?> changing) throws Exception {
        String sql = db == TestDatabase.POSTGRES
                ? "select count(*) from pg_stat_activity where pid <> pg_backend_pid() and query ilike ?"
                        + " and (query ilike 'alter table%' or query ilike 'drop index%' or query ilike 'create%')"
                : "select count(*) from information_schema.processlist where info like ?"
                        + " and (info like 'alter table%' or info like 'drop index%' or info like 'create%')";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Connection c = DriverManager.getConnection(db.url());
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, "%" + table + "%");
            while (System.nanoTime() < deadline) {
                if (changing.isDone()) {
                    changing.get(); // it failed: say why
                    throw new AssertionError("the change finished while a transaction held a row of " + table);
                }
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(2);
            }
        }
        throw new AssertionError("no DDL on " + table + " seen within a minute");
    }

    private static long invalidIndexes(TestDatabase db, String prefix) throws Exception {
        if (db != TestDatabase.POSTGRES) {
            return 0;
        }
        // this test's tables only: another test's CREATE INDEX CONCURRENTLY in the same database (the module's
        // tests run in two JVMs) is invalid while it runs
        try (Connection c = DriverManager.getConnection(db.url());
                PreparedStatement select = c.prepareStatement("select count(*) from pg_index i join pg_class t"
                        + " on t.oid = i.indrelid where not i.indisvalid and starts_with(t.relname, ?)")) {
            select.setString(1, prefix);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String quote(TestDatabase db, String name) {
        return db == TestDatabase.POSTGRES ? "\"" + name + "\"" : "`" + name + "`";
    }
}
