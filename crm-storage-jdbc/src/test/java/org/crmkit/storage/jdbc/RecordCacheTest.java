package org.crmkit.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.error.ConflictException;
import org.crmkit.error.NotFoundException;
import org.crmkit.record.Record;
import org.crmkit.schema.DataPolicy;
import org.crmkit.schema.Field;
import org.crmkit.security.Principal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The engine's cache of committed records spares an update its read, and is never wrong with two nodes on one
 * database: a remembered state is used only at the version the caller names, and the database decides whether
 * that version is still current.
 */
class RecordCacheTest {

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void twoNodesNeverWriteFromAStaleRememberedState(TestDatabase db) {
        try (TestStore store = TestStore.create(db);
                Crm nodeA = Crm.builder().storage(store.open()).build();
                Crm nodeB = Crm.builder().storage(store.open()).build()) {
            RecordSet a = nodeA.as(Principal.SYSTEM).records("contact");
            RecordSet b = nodeB.as(Principal.SYSTEM).records("contact");
            Record v1 = a.create(Map.of("last_name", "Lovelace", "title", "Countess"));
            assertThat(a.get(v1.id()).version()).isEqualTo(1); // node A remembers version 1

            // node B moves the record on; node A's stale update conflicts, its fresh one keeps B's change
            Record v2 = b.update(v1.id(), 1, Map.of("title", "Analyst"));
            assertThatThrownBy(() -> a.update(v1.id(), 1, Map.of("first_name", "Ada")))
                    .isInstanceOf(ConflictException.class);
            Record v3 = a.update(v1.id(), v2.version(), Map.of("first_name", "Ada"));
            assertThat(v3.values()).containsEntry("title", "Analyst").containsEntry("first_name", "Ada");
            assertThat(b.get(v1.id()).values()).containsEntry("title", "Analyst").containsEntry("first_name", "Ada");

            // node B deletes it; node A's update at the version it remembers conflicts, and nothing is written
            b.delete(v1.id(), v3.version());
            assertThatThrownBy(() -> a.update(v1.id(), v3.version(), Map.of("title", "Ghost")))
                    .isInstanceOf(ConflictException.class);
            assertThatThrownBy(() -> b.get(v1.id())).isInstanceOf(NotFoundException.class);
            assertThat(nodeB.changeLog().read(0, 100)).noneMatch(e -> e.change("title").map(c -> "Ghost"
                    .equals(c.newValue())).orElse(false));

            // node B purges it; node A's remembered version cannot bring it back
            nodeB.as(Principal.SYSTEM).records("contact").purge(v1.id());
            assertThatThrownBy(() -> a.update(v1.id(), v3.version() + 1, Map.of("title", "Zombie")))
                    .isInstanceOf(NotFoundException.class);
        }
    }

    /** A schema change can drop stored values without a new version: the cache is cleared, not trusted. */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aSchemaChangeClearsTheCache(TestDatabase db) {
        try (TestStore store = TestStore.create(db); Crm crm = Crm.builder().storage(store.open()).build()) {
            crm.schema().addField("contact", Field.text("nickname"));
            RecordSet contacts = crm.as(Principal.SYSTEM).records("contact");
            Record r = contacts.create(Map.of("last_name", "Hopper", "nickname", "Amazing Grace"));
            crm.schema().deleteField("contact", "nickname", DataPolicy.DISCARD_DATA);
            crm.schema().addField("contact", Field.text("nickname"));
            Record updated = contacts.update(r.id(), r.version(), Map.of("title", "Rear admiral"));
            assertThat(updated.has("nickname")).isFalse();
            assertThat(contacts.get(r.id()).has("nickname")).isFalse();
        }
    }
}
