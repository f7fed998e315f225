package org.crmkit.storage.memory.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.record.Record;
import org.junit.jupiter.api.Test;

class RowTableTest {
    private static final Instant AT = Instant.parse("2026-12-07T10:15:30Z");

    private final RowTable table = new RowTable("contact", new RowCodec(new Names()));

    private static Record contact(UUID id, long version, String name) {
        return new Record(id, "contact", version, "u-1", null, AT, "u-1", AT, "u-1", null,
                Map.of("last_name", name));
    }

    @Test
    void readsBackWhatItKeepsAndFreezesByIdApartFromLaterWrites() {
        UUID a = new UUID(5, 1);
        UUID b = new UUID(-3, 2);
        UUID c = new UUID(7, 3);
        table.put(a, contact(a, 1, "Ada"));
        table.put(b, contact(b, 1, "Bea"));
        table.put(c, contact(c, 1, "Cy"));
        table.put(a, contact(a, 2, "Ida"));
        assertThat(table.get(a)).isEqualTo(contact(a, 2, "Ida"));
        assertThat(table.get(new UUID(0, 0))).isNull();
        assertThat(table.containsKey(b)).isTrue();
        assertThat(table.values()).containsExactlyInAnyOrder(contact(a, 2, "Ida"), contact(b, 1, "Bea"),
                contact(c, 1, "Cy"));
        List<Record> frozen = table.frozen();
        table.remove(b);
        table.put(c, contact(c, 2, "Cyd"));
        assertThat(frozen).containsExactly(contact(b, 1, "Bea"), contact(a, 2, "Ida"), contact(c, 1, "Cy"));
        assertThat(((RowTable.Frozen) frozen).ids()).containsExactly(b, a, c);
        assertThat(table.size()).isEqualTo(2);
        assertThat(table.row(c)).isNotNull();
    }

    @Test
    void refusesARecordOfAnotherTypeOrId() {
        UUID a = new UUID(1, 1);
        Record deal = new Record(a, "deal", 1, "u-1", null, AT, "u-1", AT, "u-1", null, Map.of());
        assertThatThrownBy(() -> table.put(a, deal)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> table.put(new UUID(2, 2), contact(a, 1, "Ada")))
                .isInstanceOf(IllegalStateException.class);
    }
}
