package org.crmkit.storage.memory.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.crmkit.query.Filters.and;
import static org.crmkit.query.Filters.or;
import static org.crmkit.query.Filters.where;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.internal.schema.StandardSchema;
import org.crmkit.query.Filter;
import org.crmkit.record.Record;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.spi.ResolvedPaths;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The indexes name exactly the committed records holding a value (none left behind when a value moves or a record
 * goes), pick the narrowest condition of an {@code and}, and stand aside where they cannot help.
 */
class FieldIndexesTest {
    private final SchemaSnapshot schema = StandardSchema.create();
    private final ObjectType contact = schema.findObjectType("contact").orElseThrow();
    private final FieldIndexes indexes = new FieldIndexes();
    private final Map<UUID, Record> table = new HashMap<>();

    @BeforeEach
    void emptyContacts() {
        indexes.rebuild("contact", contact, List.of());
    }

    private Record write(UUID id, String owner, String lastName) {
        Record before = table.get(id);
        Record after = new Record(id, "contact", before == null ? 1 : before.version() + 1, owner, null, Instant.EPOCH,
                owner, Instant.EPOCH, owner, null, Map.of("last_name", lastName));
        indexes.write("contact", before, after);
        table.put(id, after);
        return after;
    }

    private java.util.Collection<UUID> candidates(Filter filter) {
        return indexes.candidates("contact", filter, ResolvedPaths.resolve(schema, "contact", filter, List.of()));
    }

    @Test
    void aMovedValueIsFoundAtItsNewPlaceOnly() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        write(a, "ann", "Smith");
        write(b, "bob", "Smith");
        assertThat(candidates(where("last_name").eq("Smith"))).containsExactlyInAnyOrder(a, b);
        write(a, "ann", "Jones");
        assertThat(candidates(where("last_name").eq("Smith"))).containsExactly(b);
        assertThat(candidates(where("last_name").eq("Jones"))).containsExactly(a);
        indexes.write("contact", table.remove(b), null);
        assertThat(candidates(where("last_name").eq("Smith"))).isEmpty();
        assertThat(candidates(where("last_name").lt("Zed"))).containsExactly(a);
        assertThat(candidates(where("owner").eq("bob"))).isEmpty();
        assertThat(candidates(where("owner").eq("ann"))).containsExactly(a);
    }

    @Test
    void anAndReadsItsNarrowestEqualityAndOtherFiltersScan() {
        for (int i = 0; i < 20; i++) {
            write(UUID.randomUUID(), "ann", i < 15 ? "Common" : "Rare" + i);
        }
        UUID rare = write(UUID.randomUUID(), "bob", "Rare").id();
        assertThat(candidates(and(where("owner").eq("ann"), where("last_name").eq("Common")))).hasSize(15);
        assertThat(candidates(and(where("last_name").gte("A"), where("owner").eq("bob"), where("first_name")
                .eq("x")))).containsExactly(rare);
        assertThat(candidates(where("last_name").in("Rare", "Rare15", "nobody"))).hasSize(2);
        assertThat(candidates(where("last_name").between("Rare", "Rare16"))).hasSize(3);
        assertThat(candidates(where("last_name").between("Z", "A"))).isEmpty();
        assertThat(candidates(where("first_name").eq("x"))).as("not indexed").isNull();
        assertThat(candidates(where("last_name").ne("Common"))).isNull();
        assertThat(candidates(or(where("last_name").eq("Common"), where("owner").eq("bob")))).isNull();
        assertThat(candidates(where("company.name").eq("Acme"))).as("through a reference").isNull();
    }
}
