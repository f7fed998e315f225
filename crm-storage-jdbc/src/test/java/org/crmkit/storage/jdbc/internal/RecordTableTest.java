package org.crmkit.storage.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.record.Address;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.junit.jupiter.api.Test;

/** A bulk insert's row ({@code rowValues}) holds what an INSERT's row map holds, column for column. */
class RecordTableTest {
    @Test
    void rowValuesAreTheRowMapsValuesInTheSelectListsOrder() {
        ObjectType type = ObjectType.custom("gadget", "Gadget", Field.text("name"), Field.currency("price"),
                Field.address("site"), Field.multiPicklist("tags", "a", "b"), Field.datetime("seen"),
                Field.date("due"), Field.decimal("ratio"), Field.bool("on"), Field.reference("maker", "company"));
        for (Dialect dialect : Dialect.values()) {
            RecordTable t = new RecordTable(type, new Naming(""), dialect.strategy());
            Instant now = Instant.parse("2026-12-06T10:15:30.123456Z");
            Record r = new Record(UUID.randomUUID(), "gadget", 3, "ana", "emea", now, "ana", now.plusSeconds(5), "ivo",
                    null, Map.of("name", "Widget", "price", new Money(new BigDecimal("9.50"), "EUR"), "site",
                            new Address("Main St 1", "Köln", null, "50667", "DE"), "tags", List.of("a", "b"), "seen",
                            now, "due", LocalDate.of(2027, 1, 31), "ratio", new BigDecimal("0.25"), "on", true, "maker",
                            UUID.randomUUID()));
            assertThat(t.rowValues(r)).as(dialect.name()).containsExactly(t.row(r).values().toArray());
            assertThat(t.row(r).keySet()).as(dialect.name()).containsExactlyElementsOf(t.selectList());
        }
    }
}
