package org.crmkit.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLNonTransientConnectionException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.error.ConflictException;
import org.crmkit.error.StorageUnavailableException;
import org.crmkit.query.Filters;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.Principal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The connection breaks during the COMMIT, once after the database committed and once before: the caller gets a
 * {@link StorageUnavailableException} whose {@code outcomeUnknown()} is true both times (the storage cannot tell
 * which), and the advice of docs/storage.md works: an update retried with the same expected version fails with a
 * {@link ConflictException} when the first attempt landed.
 */
class CommitOutcomeTest {
    /** What the next COMMIT does: succeed, commit then lose the connection, or lose it without committing. */
    enum Fault {
        NONE, AFTER_COMMIT, BEFORE_COMMIT
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aConnectionLostDuringTheCommitLeavesTheOutcomeUnknown(TestDatabase db) {
        AtomicReference<Fault> fault = new AtomicReference<>(Fault.NONE);
        try (TestStore store = TestStore.create(db);
                Crm crm = Crm.builder().storage(JdbcStorage.builder().dataSource(failingCommits(store.url, fault))
                        .tablePrefix(store.prefix).build()).build()) {
            crm.schema().addObjectType(ObjectType.custom("item", "Item", Field.text("name"), Field.text("title")));
            RecordSet items = crm.as(Principal.SYSTEM).records("item");

            fault.set(Fault.AFTER_COMMIT);
            assertUnknown(catchThrowable(() -> items.create(Map.of("name", "landed"))));
            fault.set(Fault.BEFORE_COMMIT);
            assertUnknown(catchThrowable(() -> items.create(Map.of("name", "lost"))));
            fault.set(Fault.NONE);
            assertThat(items.count(Filters.where("name").eq("landed"))).isEqualTo(1);
            assertThat(items.count(Filters.where("name").eq("lost"))).isZero();

            Record r = items.create(Map.of("name", "updated"));
            fault.set(Fault.AFTER_COMMIT);
            assertUnknown(catchThrowable(() -> items.update(r.id(), r.version(), Map.of("title", "CTO"))));
            fault.set(Fault.NONE);
            assertThat(catchThrowable(() -> items.update(r.id(), r.version(), Map.of("title", "CTO"))))
                    .as("the retry with the same expected version").isInstanceOf(ConflictException.class);
            Record now = items.get(r.id());
            assertThat(now.version()).isEqualTo(r.version() + 1);
            assertThat(now.getString("title")).isEqualTo("CTO");
            assertThat(crm.changeLog().read(0, 1_000).stream().filter(e -> e.recordId().equals(r.id())))
                    .as("change-log entries of the updated record").hasSize(2);
        }
    }

    private static void assertUnknown(Throwable t) {
        assertThat(t).isInstanceOfSatisfying(StorageUnavailableException.class, u -> {
            assertThat(u.outcomeUnknown()).isTrue();
            assertThat(u.getMessage()).contains("may or may not have landed").doesNotContain("commit lost");
        });
    }

    /** Plain driver connections whose {@code commit()} does what {@code fault} says, once. */
    private static DataSource failingCommits(String url, AtomicReference<Fault> fault) {
        return (DataSource) Proxy.newProxyInstance(CommitOutcomeTest.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (ds, m, a) -> {
                    if (!m.getName().equals("getConnection")) {
                        throw new UnsupportedOperationException(m.getName());
                    }
                    Connection real = DriverManager.getConnection(url);
                    return Proxy.newProxyInstance(CommitOutcomeTest.class.getClassLoader(),
                            new Class<?>[] {Connection.class}, (c, method, args) -> {
                                Fault now = method.getName().equals("commit") ? fault.getAndSet(Fault.NONE)
                                        : Fault.NONE;
                                if (now == Fault.AFTER_COMMIT) {
                                    real.commit();
                                }
                                if (now != Fault.NONE) {
                                    real.close();
                                    throw new SQLNonTransientConnectionException("commit lost", "08006");
                                }
                                try {
                                    return method.invoke(real, args);
                                } catch (InvocationTargetException e) {
                                    throw e.getCause();
                                }
                            });
                });
    }
}
