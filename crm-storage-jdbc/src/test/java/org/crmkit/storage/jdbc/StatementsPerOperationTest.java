package org.crmkit.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.query.Filters;
import org.crmkit.query.Query;
import org.crmkit.record.Record;
import org.crmkit.security.Permission;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.crmkit.security.StoredUser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * How many statements the engine sends for one operation of a user with stored roles: the access model's revisions
 * and the committed schema version are read once per operation, in one statement, and the transaction does not read
 * them again. Each figure below fails when a read comes back (the revisions read twice, as before 2026-12-07, or the
 * schema version read again on the transaction's connection).
 */
class StatementsPerOperationTest {
    /** The SQL each operation sent from the calling thread (background work of the engine is not counted). */
    private final List<String> sent = Collections.synchronizedList(new ArrayList<>());
    private volatile Thread counted;

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void anOperationReadsWhatOtherNodesChangedInOneStatement(TestDatabase db) {
        try (TestStore store = TestStore.create(db);
                Crm crm = Crm.builder().storage(JdbcStorage.builder().dataSource(counting(store.url))
                        .tablePrefix(store.prefix).build()).build()) {
            crm.admin().access().saveRole(Role.builder("rep").grant("contact", RecordScope.OWN, Permission.CREATE,
                    Permission.READ, Permission.UPDATE).build());
            crm.admin().access().saveUser(new StoredUser("rita", "rep", List.of("north")));
            RecordSet contacts = crm.asUser("rita").records("contact");
            Record warm = contacts.create(Map.of("last_name", "Warm"));
            contacts.get(warm.id());
            Query byName = Query.where(Filters.where("last_name").eq("Lovelace"));
            contacts.query(byName); // the first query of a user reads the records shared with it (then cached)

            Expected expected = Expected.of(db);
            Record created = counted(() -> contacts.create(Map.of("last_name", "Lovelace")), expected.create, "create");
            Record read = counted(() -> contacts.get(created.id()), 2, "get");
            counted(() -> contacts.update(read.id(), read.version(), Map.of("title", "Countess")), expected.update,
                    "update");
            counted(() -> contacts.query(byName), 2, "query");
        }
    }

    /**
     * A create's and an update's statements: the read of what other nodes changed, the write, and its change-log
     * entry with its sequence. PostgreSQL writes an update and its entry in one statement and takes the sequence
     * in the entry's INSERT; H2 and MariaDB take it from the lock row (H2 locks it first: its writers take turns),
     * in an UPDATE and a SELECT, as MariaDB cannot return from an UPDATE.
     */
    private record Expected(int create, int update) {
        static Expected of(TestDatabase db) {
            return switch (db) {
                case H2 -> new Expected(6, 6);
                case POSTGRES -> new Expected(3, 2);
                case MARIADB -> new Expected(5, 5);
            };
        }
    }

    private <T> T counted(Supplier<T> operation, int expected, String what) {
        sent.clear();
        counted = Thread.currentThread();
        T result;
        try {
            result = operation.get();
        } finally {
            counted = null;
        }
        assertThat(List.copyOf(sent)).as("the statements of a %s", what).hasSize(expected);
        assertThat(sent.get(0)).as("the first statement of a %s reads the schema version and the revisions", what)
                .containsIgnoringCase("union all");
        return result;
    }

    /** A data source of {@code url}, counting every statement executed on the counted thread. */
    private DataSource counting(String url) {
        return proxy(DataSource.class, new Object(), (target, method, args) -> switch (method.getName()) {
            case "getConnection" -> proxy(Connection.class, DriverManager.getConnection(url), this::onConnection);
            case "isWrapperFor" -> false;
            case "hashCode" -> System.identityHashCode(target);
            case "equals" -> target == args[0];
            case "toString" -> "counting " + url;
            default -> throw new UnsupportedOperationException(method.getName());
        });
    }

    private Object onConnection(Object target, java.lang.reflect.Method method, Object[] args) throws Exception {
        Object out = method.invoke(target, args);
        if (out instanceof java.sql.PreparedStatement p) {
            String sql = (String) args[0];
            return proxy(java.sql.PreparedStatement.class, p, (t, m, a) -> {
                if (m.getName().startsWith("execute")) {
                    note(sql);
                }
                return m.invoke(t, a);
            });
        }
        if (out instanceof Statement s) {
            return proxy(Statement.class, s, (t, m, a) -> {
                if (m.getName().startsWith("execute")) {
                    note(a != null && a.length > 0 ? String.valueOf(a[0]) : m.getName());
                }
                return m.invoke(t, a);
            });
        }
        return out;
    }

    private void note(String sql) {
        // a host's DataSource gets MariaDB's session variable set when a connection is taken (the pool CRMKit opens
        // sets it once per session): not a statement of the operation
        if (Thread.currentThread() == counted && !sql.startsWith("set ")) {
            sent.add(sql);
        }
    }

    private interface Handler {
        Object handle(Object target, java.lang.reflect.Method method, Object[] args) throws Exception;
    }

    private static <T> T proxy(Class<T> type, Object target, Handler handler) {
        InvocationHandler h = (p, method, args) -> {
            try {
                return handler.handle(target, method, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h));
    }
}
