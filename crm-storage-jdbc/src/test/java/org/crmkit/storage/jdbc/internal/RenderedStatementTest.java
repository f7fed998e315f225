package org.crmkit.storage.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.Test;

/** A rendered statement refuses samples whose binds jOOQ orders or types otherwise, and a wrong number of values. */
class RenderedStatementTest {
    private final DSLContext dsl = DSL.using(SQLDialect.POSTGRES);
    private final Field<UUID> id = DSL.field(DSL.name("id"), SQLDataType.UUID);
    private final Field<String> worker = DSL.field(DSL.name("worker"), SQLDataType.VARCHAR(100));

    private org.jooq.Query delete(UUID i, String w) {
        return dsl.deleteFrom(DSL.table(DSL.name("job"))).where(id.eq(i)).and(worker.eq(w));
    }

    @Test
    void bindsInAnotherOrderOrOfAnotherTypeAreRefused() {
        UUID i = new UUID(1, 2);
        new RenderedStatement(dsl, delete(i, "w"), List.of(i, "w"));
        assertThatThrownBy(() -> new RenderedStatement(dsl, delete(i, "w"), List.of("w", i)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("jOOQ binds");
        assertThatThrownBy(() -> new RenderedStatement(dsl, dsl.selectFrom(DSL.table(DSL.name("job"))).limit(7),
                List.of(7))).isInstanceOf(IllegalStateException.class).hasMessageContaining("7 (Long)");
    }

    @Test
    void aWrongNumberOfValuesIsRefusedBeforeAnythingRuns() {
        UUID i = new UUID(1, 2);
        RenderedStatement s = new RenderedStatement(dsl, delete(i, "w"), List.of(i, "w"));
        assertThatThrownBy(() -> s.update(null, i)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 values expected");
    }

    @Test
    void aBulkInsertHoldsOnePlaceholderPerColumnAndNoValue() {
        DSLContext h2 = DSL.using(SQLDialect.H2);
        RenderedStatement s = RenderedStatement.insert(h2, DSL.table(DSL.name("job")), List.of(id, worker));
        assertThat(s.sql()).isEqualTo("insert into \"job\" (\"id\", \"worker\") values (?, ?)");
        List<Object[]> narrow = List.<Object[]>of(new Object[] {new UUID(1, 2)});
        assertThatThrownBy(() -> s.batch(null, narrow))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 values expected, not 1");
        assertThatThrownBy(() -> RenderedStatement.insert(h2, DSL.table(DSL.name("job")), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** The sanctioned place for SQL text takes none: no constructor or method of it has a text parameter. */
    @Test
    void noSqlTextCanBeHandedIn() {
        for (var c : RenderedStatement.class.getDeclaredConstructors()) {
            assertThat(c.getParameterTypes()).as(c.toString()).doesNotContain(String.class, CharSequence.class);
        }
        for (var m : RenderedStatement.class.getDeclaredMethods()) {
            assertThat(m.getParameterTypes()).as(m.toString()).doesNotContain(String.class, CharSequence.class);
        }
    }
}
