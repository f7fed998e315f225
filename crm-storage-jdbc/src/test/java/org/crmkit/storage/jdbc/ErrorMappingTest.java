package org.crmkit.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.RecordSet;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.StorageException;
import org.crmkit.error.ValidationException;
import org.crmkit.query.Aggregation;
import org.crmkit.query.Filters;
import org.crmkit.query.Query;
import org.crmkit.record.Address;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.Principal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * No raw {@link SQLException} or jOOQ {@code DataAccessException} reaches a caller: every failure the database
 * reports is a typed {@link CrmException} (closed storage, lost database, unique and foreign-key races), and bad
 * values are refused by validation before any SQL runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErrorMappingTest {
    private static final String ITEM = "item";
    private final Map<TestDatabase, TestStore> stores = new EnumMap<>(TestDatabase.class);
    private final Map<TestDatabase, Crm> crms = new EnumMap<>(TestDatabase.class);

    private static ObjectType item() {
        return ObjectType.custom(ITEM, "Item",
                Field.text("name").required(true),
                Field.text("code").unique(true).maxLength(10),
                Field.longText("notes"),
                Field.decimal("price"),
                Field.address("site"),
                Field.reference("maker", "company"));
    }

    /** One storage per database for the tests that only add records (building one costs seconds). */
    private Crm crm(TestDatabase db) {
        return crms.computeIfAbsent(db, d -> {
            TestStore store = TestStore.create(d);
            stores.put(d, store);
            Crm crm = Crm.builder().storage(store.open(b -> b.maxPoolSize(6))).build();
            crm.schema().addObjectType(item());
            return crm;
        });
    }

    @AfterAll
    void closeAll() {
        crms.values().forEach(Crm::close);
        stores.values().forEach(TestStore::close);
    }

    // ---- the storage goes away ----------------------------------------------------------------------------

    /** Every call on a Crm whose storage was closed under it: CLOSED, not an SQL error. */
    @Test
    void aClosedStorageAnswersClosed() {
        try (TestStore store = TestStore.create(TestDatabase.H2)) {
            JdbcStorage storage = store.open();
            Crm crm = Crm.builder().storage(storage).build();
            crm.schema().addObjectType(item());
            CrmSession s = crm.as(Principal.SYSTEM);
            Record r = s.records(ITEM).create(Map.of("name", "a"));
            storage.close();
            for (Map.Entry<String, Runnable> call : everyCall(crm, r).entrySet()) {
                Throwable t = catchThrowable(call.getValue()::run);
                assertThat(t).as(call.getKey()).isInstanceOf(CrmException.class);
                assertThat(((CrmException) t).code()).as(call.getKey() + ": " + t).isEqualTo(ErrorCode.CLOSED);
            }
            crm.close();
        }
    }

    /** A transaction open while its storage is closed: its next call is CLOSED, and nothing of it commits. */
    @Test
    void aStorageClosedDuringATransaction() {
        try (TestStore store = TestStore.create(TestDatabase.H2)) {
            JdbcStorage storage = store.open();
            UUID id;
            try (Crm crm = Crm.builder().storage(storage).build()) {
                crm.schema().addObjectType(item());
                id = crm.as(Principal.SYSTEM).records(ITEM).create(Map.of("name", "kept")).id();
                Throwable t = catchThrowable(() -> crm.as(Principal.SYSTEM).inTransaction(s -> {
                    Record x = s.records(ITEM).create(Map.of("name", "lost"));
                    s.records(ITEM).query(Query.all()); // the insert reaches the database
                    storage.close();
                    return s.records(ITEM).update(x, Map.of("name", "never"));
                }));
                assertThat(t).isInstanceOf(CrmException.class);
                assertThat(((CrmException) t).code()).isEqualTo(ErrorCode.CLOSED);
            }
            try (Crm crm = Crm.builder().storage(store.open()).build()) {
                assertThat(crm.as(Principal.SYSTEM).records(ITEM).query(Query.all()).items())
                        .extracting(Record::id).containsExactly(id);
            }
        }
    }

    /**
     * A database error on the query path (a column dropped behind CRMKit's back): the caller gets a
     * StorageException whose message and whole cause chain hold no SQL text, no column names and no values.
     */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void databaseErrorsCarryNoSqlTextOrColumns(TestDatabase db) throws SQLException {
        try (TestStore store = TestStore.create(db)) {
            try (Crm crm = Crm.builder().storage(store.open()).build()) {
                crm.schema().addObjectType(item());
                RecordSet items = crm.as(Principal.SYSTEM).records(ITEM);
                Record r = items.create(Map.of("name", "secret value", "code", "C1", "price", new BigDecimal("7")));
                try (Connection c = store.connect(); Statement st = c.createStatement()) {
                    String q = c.getMetaData().getIdentifierQuoteString();
                    String table = null;
                    try (var rs = c.getMetaData().getTables(null, null, "%", null)) {
                        while (rs.next()) {
                            String name = rs.getString("TABLE_NAME");
                            if (name.equalsIgnoreCase(store.prefix + "crm_x_item")) {
                                table = name;
                            }
                        }
                    }
                    assertThat(table).as("the item table").isNotNull();
                    st.execute("ALTER TABLE " + q + table + q + " DROP COLUMN " + q + "price" + q);
                }
                Map<String, Runnable> calls = new java.util.LinkedHashMap<>();
                calls.put("query", () -> items.query(Filters.where("name").eq("secret value")));
                calls.put("count", () -> items.count(Filters.where("price").gt(1)));
                calls.put("aggregate", () -> items.aggregate(Aggregation.total().sum("price"), Filters.all()));
                calls.put("update", () -> items.update(r, Map.of("price", new BigDecimal("8"))));
                calls.put("create", () -> items.create(Map.of("name", "another secret", "price", BigDecimal.ONE)));
                for (Map.Entry<String, Runnable> call : calls.entrySet()) {
                    Throwable t = catchThrowable(call.getValue()::run);
                    assertThat(t).as(call.getKey()).isInstanceOf(StorageException.class);
                    for (Throwable x = t; x != null; x = x.getCause()) {
                        String message = String.valueOf(x.getMessage()).toLowerCase(java.util.Locale.ROOT);
                        assertThat(message).as(call.getKey() + ": " + x.getClass().getName())
                                .doesNotContain("select ", "insert into", "update ", "delete from", " from ", " where ",
                                        "\"",
                                        "price", "name", "code", "notes", "maker", "crm_x", "secret");
                        assertThat(x.getClass().getName()).doesNotContain("jooq");
                        assertThat(x).isNotInstanceOf(SQLException.class);
                    }
                    System.out.println("ErrorMappingTest " + db + " " + call.getKey() + ": " + t.getMessage());
                }
            }
        }
    }

    /** The host's pool goes away under a storage built on it: every call is a StorageException. */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aLostDatabaseIsAStorageException(TestDatabase db) {
        try (TestStore store = TestStore.create(db)) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(store.url);
            config.setMaximumPoolSize(3);
            config.setConnectionTimeout(2_000);
            config.setPoolName("host-lost");
            HikariDataSource host = new HikariDataSource(config);
            try (Crm crm = Crm.builder().storage(JdbcStorage.builder().dataSource(host).tablePrefix(store.prefix)
                    .build()).build()) {
                crm.schema().addObjectType(item());
                Record r = crm.as(Principal.SYSTEM).records(ITEM).create(Map.of("name", "a"));
                host.close();
                for (Map.Entry<String, Runnable> call : everyCall(crm, r).entrySet()) {
                    Throwable t = catchThrowable(call.getValue()::run);
                    assertThat(t).as(call.getKey()).isInstanceOf(StorageException.class);
                    assertThat(t.getMessage()).as(call.getKey()).contains(db == TestDatabase.POSTGRES ? "postgresql"
                            : db == TestDatabase.MARIADB ? "mariadb" : "h2");
                }
            }
        }
    }

    /**
     * PostgreSQL ends the session of a transaction in flight (an administrator, a failover): the transaction fails
     * with a StorageUnavailableException (57P01), nothing of it is kept, and the next call works on a fresh
     * connection.
     */
    @Test
    void aSessionKilledMidTransactionIsAStorageException() throws Exception {
        TestDatabase db = TestDatabase.POSTGRES;
        try (TestStore store = TestStore.create(db)) {
            String app = "crmkit_kill_" + ProcessHandle.current().pid();
            try (Crm crm = Crm.builder().storage(store.open(b -> b.url(store.url + "&ApplicationName=" + app)))
                    .build()) {
                crm.schema().addObjectType(item());
                Throwable t = catchThrowable(() -> crm.as(Principal.SYSTEM).inTransaction(s -> {
                    s.records(ITEM).create(Map.of("name", "doomed"));
                    s.records(ITEM).query(Query.all()); // the insert reaches the database
                    terminateIdleInTransaction(store, app);
                    return s.records(ITEM).create(Map.of("name", "doomed too"));
                }));
                // retryable, and known not to have landed: the session died before the commit
                assertThat(t).isInstanceOfSatisfying(org.crmkit.error.StorageUnavailableException.class,
                        u -> assertThat(u.outcomeUnknown()).isFalse());
                assertThat(crm.as(Principal.SYSTEM).records(ITEM).count(Filters.all())).isZero();
                crm.as(Principal.SYSTEM).records(ITEM).create(Map.of("name", "after"));
                assertThat(crm.as(Principal.SYSTEM).records(ITEM).count(Filters.all())).isEqualTo(1);
            }
        }
    }

    private static void terminateIdleInTransaction(TestStore store, String app) {
        try (Connection c = store.connect(); Statement st = c.createStatement()) {
            int killed = 0;
            try (var rs = st.executeQuery("select pg_terminate_backend(pid) from pg_stat_activity where "
                    + "application_name = '" + app + "' and state like 'idle in transaction%'")) {
                while (rs.next()) {
                    killed++;
                }
            }
            assertThat(killed).as("sessions terminated").isEqualTo(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Each storage-backed call of the API, by name. */
    private static Map<String, Runnable> everyCall(Crm crm, Record r) {
        CrmSession s = crm.as(Principal.SYSTEM);
        Map<String, Runnable> calls = new java.util.LinkedHashMap<>();
        calls.put("create", () -> s.records(ITEM).create(Map.of("name", "b")));
        calls.put("get", () -> s.records(ITEM).get(r.id()));
        calls.put("find", () -> s.records(ITEM).find(r.id()));
        calls.put("query", () -> s.records(ITEM).query(Filters.where("name").eq("a")));
        calls.put("count", () -> s.records(ITEM).count(Filters.all()));
        calls.put("aggregate", () -> s.records(ITEM).aggregate(Aggregation.groupBy("name").count(),
                Filters.all()));
        calls.put("update", () -> s.records(ITEM).update(r, Map.of("name", "c")));
        calls.put("delete", () -> s.records(ITEM).delete(r.id(), r.version()));
        calls.put("purge", () -> s.records(ITEM).purge(r.id()));
        calls.put("timeline", () -> s.records(ITEM).timeline(r.id()));
        calls.put("import", () -> s.records(ITEM).importRecords("imp-" + UUID.randomUUID(),
                List.of(Map.of("name", "i"))));
        calls.put("inTransaction", () -> s.inTransaction(x -> x.records(ITEM).create(Map.of("name", "t"))));
        calls.put("changeLog.read", () -> crm.changeLog().read(0, 10));
        calls.put("changeLog.lastSequence", () -> crm.changeLog().lastSequence());
        calls.put("schema.addField", () -> crm.schema().addField(ITEM, Field.text("late")));
        calls.put("schema.history", () -> crm.schema().history());
        return calls;
    }

    // ---- races the database decides ------------------------------------------------------------------------

    /**
     * Two transactions write the same unique value; the second reaches the database while the first is not yet
     * committed, so only the unique index can refuse it: a ValidationException NOT_UNIQUE naming the field.
     */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aUniqueRaceDecidedByTheIndexIsNotUnique(TestDatabase db) throws Exception {
        Crm crm = crm(db);
        RecordSet items = crm.as(Principal.SYSTEM).records(ITEM);
        String code = "U" + (System.nanoTime() % 100_000_000);
        // 1. both create
        Throwable loser = raceAtCommit(crm, s -> s.records(ITEM).create(Map.of("name", "first", "code", code)),
                () -> items.create(Map.of("name", "second", "code", code)));
        assertNotUnique(loser, "code");
        assertThat(items.count(Filters.where("code").eq(code))).isEqualTo(1);
        // 2. both update other records to one value
        String code2 = code + "x";
        Record a = items.create(Map.of("name", "a"));
        Record b = items.create(Map.of("name", "b"));
        loser = raceAtCommit(crm, s -> s.records(ITEM).update(a, Map.of("code", code2)),
                () -> items.update(b, Map.of("code", code2)));
        assertNotUnique(loser, "code");
        assertThat(items.count(Filters.where("code").eq(code2))).isEqualTo(1);
        assertThat(items.get(b.id()).has("code")).isFalse();
    }

    private static void assertNotUnique(Throwable t, String field) {
        assertThat(t).isInstanceOf(ValidationException.class);
        assertThat(((ValidationException) t).errors()).extracting(FieldError::field, FieldError::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(field, FieldErrorCode.NOT_UNIQUE));
    }

    /**
     * A reference to a record that another transaction purges meanwhile: the service saw the target, so only the
     * database can refuse it. The writer gets a typed INVALID_REFERENCE, and no dangling reference is ever stored.
     */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aReferenceToARecordPurgedMeanwhileIsInvalid(TestDatabase db) throws Exception {
        Crm crm = crm(db);
        RecordSet items = crm.as(Principal.SYSTEM).records(ITEM);
        Record maker = crm.as(Principal.SYSTEM).records("company").create(Map.of("name", "Gone Ltd"));
        Throwable loser = raceAtCommit(crm, s -> {
            s.records("company").purge(maker.id());
            return null;
        }, () -> items.create(Map.of("name", "orphan", "maker", maker.id())), false);
        System.out.println("ErrorMappingTest " + db + ": reference race lost with " + loser);
        assertThat(crm.as(Principal.SYSTEM).records("company").find(maker.id())).isEmpty();
        assertThat(items.query(Filters.where("maker").eq(maker.id())).items()).as("records referencing the purged "
                + "company").isEmpty();
        assertThat(loser).as("the write referencing the purged company").isInstanceOf(ValidationException.class);
        assertThat(((ValidationException) loser).errors()).extracting(FieldError::code)
                .containsOnly(FieldErrorCode.INVALID_REFERENCE);
        assertThat(items.count(Filters.where("name").eq("orphan"))).isZero();
    }

    /**
     * Runs {@code first} in a transaction that sends its writes and then waits; meanwhile {@code second} runs in
     * another thread (and blocks in the database on the first one's rows). Then the first commits. Returns what the
     * second threw (it must throw), after checking the first succeeded.
     */
    private static Throwable raceAtCommit(Crm crm, java.util.function.Function<CrmSession, ?> first,
            java.util.concurrent.Callable<?> second) throws Exception {
        Throwable t = raceAtCommit(crm, first, second, true);
        return t;
    }

    /** As above; when {@code secondMustLose} is false a second that succeeds gives null. */
    private static Throwable raceAtCommit(Crm crm, java.util.function.Function<CrmSession, ?> first,
            java.util.concurrent.Callable<?> second, boolean secondMustLose) throws Exception {
        CountDownLatch sent = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> one = pool.submit(() -> crm.as(Principal.SYSTEM).inTransaction(s -> {
                Object out = first.apply(s);
                s.records(ITEM).count(Filters.all()); // a query sends the buffered writes
                sent.countDown();
                await(release);
                return out;
            }));
            assertThat(sent.await(20, TimeUnit.SECONDS)).as("first transaction wrote").isTrue();
            Future<?> two = pool.submit(second);
            Thread.sleep(300); // let the second reach the database and wait there
            release.countDown();
            one.get(30, TimeUnit.SECONDS);
            Throwable t = catchThrowable(() -> two.get(30, TimeUnit.SECONDS));
            if (secondMustLose) {
                assertThat(t).as("the second write must lose").isNotNull();
            }
            return t == null ? null : t.getCause();
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- values the database could not hold are refused before SQL -----------------------------------------

    /** Too long, too precise or too large values: ValidationException, and not a single statement sent. */
    @Test
    void valuesTheColumnsCannotHoldAreRefusedBeforeSql() {
        try (TestStore store = TestStore.create(TestDatabase.H2)) {
            CountingDataSource ds = new CountingDataSource(store.url);
            try (Crm crm = Crm.builder().storage(JdbcStorage.builder().dataSource(ds).build()).build()) {
                crm.schema().addObjectType(item());
                RecordSet items = crm.as(Principal.SYSTEM).records(ITEM);
                Record ok = items.create(Map.of("name", "ok"));
                Map<String, Map<String, Object>> bad = new java.util.LinkedHashMap<>();
                bad.put("text over maxLength", Map.of("name", "x", "code", "12345678901"));
                bad.put("default text over 255", Map.of("name", "x".repeat(256)));
                bad.put("long text over the limit", Map.of("name", "x", "notes",
                        "y".repeat(Field.MAX_LONG_TEXT_LENGTH + 1)));
                bad.put("address part over 255", Map.of("name", "x", "site",
                        new Address("s".repeat(256), null, null, null, null)));
                bad.put("decimal too large for DECIMAL(18,2)", Map.of("name", "x", "price",
                        new BigDecimal("10000000000000000")));
                bad.put("decimal too precise", Map.of("name", "x", "price", new BigDecimal("1.001")));
                bad.put("owner over 255", Map.of("name", "x", "owner", "o".repeat(256)));
                bad.put("NUL character", Map.of("name", "a\u0000b"));
                bad.put("unpaired surrogate", Map.of("name", "a\uD800b"));
                long withoutText = ds.sqlWithoutText.get(); // Flyway's and the driver's, at the start
                for (Map.Entry<String, Map<String, Object>> e : bad.entrySet()) {
                    long before = ds.onItems.get();
                    assertThatThrownBy(() -> items.create(e.getValue())).as(e.getKey())
                            .isInstanceOf(ValidationException.class);
                    assertThat(ds.onItems.get() - before).as("statements on the item table for a refused create, "
                            + e.getKey()).isZero();
                    assertThatThrownBy(() -> items.update(ok.id(), ok.version(), e.getValue())).as(e.getKey())
                            .isInstanceOf(ValidationException.class);
                    assertThat(ds.onItems.get() - before).as("statements on the item table for a refused update "
                            + "(it reads the record), " + e.getKey()).isLessThanOrEqualTo(1);
                }
                assertThat(ds.sqlWithoutText.get()).as("statements created without their SQL").isEqualTo(withoutText);
                assertThat(crm.changeLog().lastSequence()).isEqualTo(1);
            }
        }
    }

    /**
     * Lengths are counted in code points (as PostgreSQL and MariaDB count characters): text at the limit with
     * characters outside the BMP is accepted by validation, so every database must store it.
     */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void textAtTheLimitInCodePointsIsStored(TestDatabase db) {
        Crm crm = crm(db);
        RecordSet items = crm.as(Principal.SYSTEM).records(ITEM);
        String emoji = "\uD83D\uDE00"; // one code point, two UTF-16 units
        String name = emoji.repeat(Field.DEFAULT_TEXT_LENGTH);
        String code = emoji.repeat(9) + db.ordinal();
        Map<String, Object> values = Map.of("name", name, "code", code, "site",
                new Address(null, "\u00E9".repeat(255), null, null, null), "price",
                new BigDecimal("9999999999999999.99"),
                "notes", emoji.repeat(1000));
        Record r = items.create(values);
        Record back = items.get(r.id());
        assertThat(back.getString("name")).isEqualTo(name);
        assertThat(back.getString("code")).isEqualTo(code);
        assertThat(back.values()).containsAllEntriesOf(values);
        assertThat(items.count(Filters.where("code").eq(code))).isEqualTo(1);
    }

    /** Connections straight from the driver that count the statements prepared or created on them. */
    static final class CountingDataSource implements DataSource {
        /** Statements whose SQL names the table of {@value #ITEM} (the engine's reads of counters are not). */
        final AtomicInteger onItems = new AtomicInteger();
        /** Statements created without SQL ({@code createStatement}), which could touch any table. */
        final AtomicInteger sqlWithoutText = new AtomicInteger();
        private final String url;

        CountingDataSource(String url) {
            this.url = url;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection real = java.sql.DriverManager.getConnection(url);
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().startsWith("prepare") || method.getName().equals("createStatement")) {
                            if (args == null || args.length == 0 || !(args[0] instanceof String sql)) {
                                sqlWithoutText.incrementAndGet();
                            } else if (sql.contains("crm_x_" + ITEM)) {
                                onItems.incrementAndGet();
                            }
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
        public java.io.PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(java.io.PrintWriter out) {}

        @Override
        public void setLoginTimeout(int seconds) {}

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public java.util.logging.Logger getParentLogger() {
            return java.util.logging.Logger.getGlobal();
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
