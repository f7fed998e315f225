package org.crmkit.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.error.ConfigurationException;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.security.Principal;
import org.crmkit.storage.jdbc.spi.HostConnection;
import org.crmkit.storage.spi.HostTransaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A {@code JdbcStorage} joining the host application's own transactions ({@link JdbcHostTransactions}), on every
 * database: the host's row and CRMKit's record, change-log entry and listeners' news commit together or not at all;
 * a CRMKit operation that fails inside undoes only its own writes; nothing CRMKit remembers (its record cache) or
 * tells (its listeners) runs ahead of the host's commit; schema changes and a connection without a transaction are
 * refused with a clear error.
 */
class HostTransactionTest {
    private final ExecutorService other = Executors.newSingleThreadExecutor();
    private final List<ChangeLogEntry> heard = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stopThreads() {
        other.shutdownNow();
    }

    /** A storage joining {@code host} and a {@code Crm} on it whose change listener fills {@link #heard}. */
    private Crm crm(TestStore store, JdbcHostTransactions host) {
        Crm crm = Crm.builder().storage(store.open(b -> b.joinHostTransactions(host))).build();
        crm.changeLog().subscribe(heard::addAll);
        return crm;
    }

    /** The host's own table, beside CRMKit's. */
    private static String orders(TestStore store) throws SQLException {
        String table = store.prefix + "erp_order";
        try (Connection c = store.connect(); Statement s = c.createStatement()) {
            s.execute("create table " + table + " (id varchar(40) primary key)");
        }
        return table;
    }

    private static void insertOrder(Connection c, String table, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("insert into " + table + " (id) values (?)")) {
            p.setString(1, id);
            p.executeUpdate();
        }
    }

    private static List<String> committedOrders(TestStore store, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = store.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select id from " + table + " order by id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static void dropOrders(TestStore store, String table) throws SQLException {
        try (Connection c = store.connect(); Statement s = c.createStatement()) {
            s.execute("drop table " + table);
        }
    }

    /** Read committed: the host's connection on MariaDB defaults to repeatable read. */
    private static Connection hostConnection(TestStore store) throws SQLException {
        Connection c = store.connect();
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        return c;
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void theHostsCommitMakesBothDurableAndOnlyThenIsCrmKitsCommitHeard(TestDatabase db) throws Exception {
        JdbcHostTransactions host = JdbcHostTransactions.create();
        try (TestStore store = TestStore.create(db); Crm crm = crm(store, host)) {
            String orders = orders(store);
            RecordSet contacts = crm.as(Principal.SYSTEM).records("contact");
            long before = crm.changeLog().lastSequence();
            Record ada;
            try (Connection c = hostConnection(store); JdbcHostTransactions.Transaction t = host.begin(c)) {
                insertOrder(c, orders, "o-1");
                ada = contacts.create(Map.of("last_name", "Lovelace"));
                assertThat(contacts.get(ada.id()).get("last_name")).as("the host's thread sees its own write")
                        .isEqualTo("Lovelace");
                // another thread, on a connection of the pool, sees neither yet, and nobody was told
                assertThat(other.submit(() -> contacts.find(ada.id())).get(30, TimeUnit.SECONDS)).isEmpty();
                assertThat(committedOrders(store, orders)).isEmpty();
                assertThat(heard).isEmpty();
                t.commit();
            }
            assertThat(committedOrders(store, orders)).containsExactly("o-1");
            assertThat(other.submit(() -> contacts.find(ada.id())).get(30, TimeUnit.SECONDS)).isPresent();
            assertThat(crm.changeLog().read(before, 10)).extracting(ChangeLogEntry::recordId)
                    .containsExactly(ada.id());
            assertThat(heard).extracting(ChangeLogEntry::recordId).containsExactly(ada.id());
            dropOrders(store, orders);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void theHostsRollbackLeavesNoRecordNoLogEntryAndTellsNobody(TestDatabase db) throws Exception {
        JdbcHostTransactions host = JdbcHostTransactions.create();
        try (TestStore store = TestStore.create(db); Crm crm = crm(store, host)) {
            String orders = orders(store);
            RecordSet contacts = crm.as(Principal.SYSTEM).records("contact");
            Record kept = contacts.create(Map.of("last_name", "Kept"));
            heard.clear();
            long before = crm.changeLog().lastSequence();
            Record gone;
            try (Connection c = hostConnection(store); JdbcHostTransactions.Transaction t = host.begin(c)) {
                insertOrder(c, orders, "o-1");
                gone = contacts.create(Map.of("last_name", "Gone"));
                contacts.update(kept.id(), kept.version(), Map.of("title", "Rolled back"));
                t.rollback();
            }
            assertThat(contacts.find(gone.id())).isEmpty();
            assertThat(contacts.get(kept.id()).get("title")).isNull();
            assertThat(committedOrders(store, orders)).isEmpty();
            assertThat(crm.changeLog().read(before, 10)).isEmpty();
            assertThat(heard).isEmpty();
            // and the storage goes on: the next commit (of its own) is logged and heard
            Record after = contacts.create(Map.of("last_name", "After"));
            assertThat(crm.changeLog().read(before, 10)).extracting(ChangeLogEntry::recordId)
                    .containsExactly(after.id());
            assertThat(heard).extracting(ChangeLogEntry::recordId).containsExactly(after.id());
            dropOrders(store, orders);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void closingWithoutCommitRollsBack(TestDatabase db) throws Exception {
        JdbcHostTransactions host = JdbcHostTransactions.create();
        try (TestStore store = TestStore.create(db); Crm crm = crm(store, host)) {
            RecordSet contacts = crm.as(Principal.SYSTEM).records("contact");
            Record gone;
            try (Connection c = hostConnection(store); JdbcHostTransactions.Transaction t = host.begin(c)) {
                gone = contacts.create(Map.of("last_name", "Gone"));
            }
            assertThat(contacts.find(gone.id())).isEmpty();
            assertThat(heard).isEmpty();
            assertThat(host.current()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aCrmOperationThatFailsInsideUndoesOnlyItsOwnWrites(TestDatabase db) throws Exception {
        JdbcHostTransactions host = JdbcHostTransactions.create();
        try (TestStore store = TestStore.create(db); Crm crm = crm(store, host)) {
            String orders = orders(store);
            crm.schema().addField("contact", Field.text("customer_no").unique(true));
            RecordSet contacts = crm.as(Principal.SYSTEM).records("contact");
            contacts.create(Map.of("last_name", "First", "customer_no", "C-1"));
            Record kept;
            try (Connection c = hostConnection(store); JdbcHostTransactions.Transaction t = host.begin(c)) {
                insertOrder(c, orders, "o-1");
                kept = contacts.create(Map.of("last_name", "Kept"));
                // the database refuses the duplicate inside the host's transaction (PostgreSQL would abort all of
                // it without CRMKit's savepoint)
                assertThatThrownBy(() -> contacts.create(Map.of("last_name", "Twin", "customer_no", "C-1")))
                        .isInstanceOf(ValidationException.class)
                        .satisfies(e -> assertThat(((ValidationException) e).errors().get(0).code())
                                .isEqualTo(FieldErrorCode.NOT_UNIQUE));
                insertOrder(c, orders, "o-2");
                t.commit();
            }
            assertThat(committedOrders(store, orders)).containsExactly("o-1", "o-2");
            assertThat(contacts.find(kept.id())).isPresent();
            assertThat(contacts.count(org.crmkit.query.Filters.where("customer_no").eq("C-1"))).isEqualTo(1);
            dropOrders(store, orders);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void theRecordCacheNeverServesAVersionTheHostRolledBack(TestDatabase db) throws Exception {
        JdbcHostTransactions host = JdbcHostTransactions.create();
        try (TestStore store = TestStore.create(db); Crm crm = crm(store, host)) {
            RecordSet contacts = crm.as(Principal.SYSTEM).records("contact");
            Record ada = contacts.create(Map.of("last_name", "Lovelace"));
            try (Connection c = hostConnection(store); JdbcHostTransactions.Transaction t = host.begin(c)) {
                Record inside = contacts.update(ada.id(), ada.version(), Map.of("title", "Rolled back"));
                assertThat(contacts.get(ada.id())).isEqualTo(inside);
                t.rollback();
            }
            // the same version number again, with other values, written by another node (whose cache is its
            // own): a cache that had learnt the rolled-back state at CRMKit's commit point would serve it here
            try (Crm otherNode = Crm.builder().storage(store.open()).build()) {
                Record kept = otherNode.as(Principal.SYSTEM).records("contact").update(ada.id(), ada.version(),
                        Map.of("title", "Kept"));
                assertThat(kept.version()).isEqualTo(ada.version() + 1);
            }
            // an update at that version takes the stored state from the cache when it holds that version
            Record next = contacts.update(ada.id(), ada.version() + 1, Map.of("first_name", "Ada"));
            assertThat(next.get("title")).isEqualTo("Kept");
            assertThat(contacts.get(ada.id()).get("title")).isEqualTo("Kept");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void anotherThreadsCommitIsHeardAfterTheHostsWhoseSequenceIsLower(TestDatabase db) throws Exception {
        JdbcHostTransactions host = JdbcHostTransactions.create();
        try (TestStore store = TestStore.create(db); Crm crm = crm(store, host)) {
            RecordSet contacts = crm.as(Principal.SYSTEM).records("contact");
            Future<Record> later;
            Record inside;
            try (Connection c = hostConnection(store); JdbcHostTransactions.Transaction t = host.begin(c)) {
                inside = contacts.create(Map.of("last_name", "Inside"));
                // writes alone where writers take turns (H2, MariaDB: it waits for the host's commit), or beside it
                // (PostgreSQL: it commits, and its listeners wait for the host's lower sequence)
                later = other.submit(() -> contacts.create(Map.of("last_name", "Later")));
                t.commit();
            }
            Record outside = later.get(60, TimeUnit.SECONDS);
            assertThat(heard).extracting(ChangeLogEntry::recordId).containsExactly(inside.id(), outside.id());
            assertThat(heard).extracting(ChangeLogEntry::sequence).isSorted();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aSchemaChangeInsideTheHostsTransactionIsRefusedAndChangesNothing(TestDatabase db) throws Exception {
        JdbcHostTransactions host = JdbcHostTransactions.create();
        try (TestStore store = TestStore.create(db); Crm crm = crm(store, host)) {
            try (Connection c = hostConnection(store); JdbcHostTransactions.Transaction t = host.begin(c)) {
                assertThatThrownBy(() -> crm.schema().addField("contact", Field.text("nickname")))
                        .isInstanceOf(ConfigurationException.class).hasMessageContaining("host's transaction");
                t.commit();
            }
            assertThat(crm.schema().objectType("contact").findField("nickname")).isEmpty();
            crm.schema().addField("contact", Field.text("nickname")); // outside, it is made
            assertThat(crm.schema().objectType("contact").findField("nickname")).isPresent();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aHostConnectionInAutoCommitModeIsRefused(TestDatabase db) throws Exception {
        try (TestStore store = TestStore.create(db); Connection c = store.connect()) {
            HostConnection autoCommit = new HostConnection() {
                @Override
                public Connection connection() {
                    return c;
                }

                @Override
                public void afterCompletion(java.util.function.Consumer<HostTransaction.Outcome> work) {
                    throw new AssertionError("nothing joined");
                }
            };
            java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean();
            try (Crm crm = Crm.builder().storage(store.open(b -> b.joinHostTransactions(
                    () -> open.get() ? Optional.of(autoCommit) : Optional.empty()))).build()) {
                open.set(true); // after the build, which sets up the schema in transactions of its own
                assertThatThrownBy(() -> crm.as(Principal.SYSTEM).records("contact").create(Map.of("last_name", "X")))
                        .isInstanceOf(ConfigurationException.class).hasMessageContaining("auto-commit");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aHostTransactionEndsOnlyOnTheThreadThatBeganIt(TestDatabase db) throws Exception {
        JdbcHostTransactions host = JdbcHostTransactions.create();
        try (TestStore store = TestStore.create(db);
                Connection c = hostConnection(store);
                JdbcHostTransactions.Transaction t = host.begin(c)) {
            assertThat(other.submit(() -> host.current().isPresent()).get(30, TimeUnit.SECONDS)).isFalse();
            Future<?> elsewhere = other.submit(() -> {
                t.commit();
                return null;
            });
            assertThatThrownBy(() -> elsewhere.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(
                    IllegalStateException.class);
            assertThatThrownBy(() -> host.begin(c)).isInstanceOf(IllegalStateException.class);
        }
    }
}
