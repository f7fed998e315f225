package org.crmkit.search.lucene.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.plugin.spi.Installation;
import org.crmkit.security.Principal;
import org.crmkit.storage.memory.InMemoryStorage;
import org.crmkit.storage.spi.Storage;
import org.crmkit.testkit.SettableClock;
import org.junit.jupiter.api.Test;

/** An index position whose change-log entry retention pruned is still this database's position. */
class LogPositionTest {
    @Test
    void aPositionPrunedByRetentionIsNoSignOfAnotherDatabase() {
        SettableClock clock = SettableClock.at(Instant.parse("2025-01-01T00:00:00Z"));
        InMemoryStorage handle = InMemoryStorage.create();
        try (Crm crm = Crm.builder().storage(handle).clock(clock).build()) {
            CrmSession s = crm.as(Principal.SYSTEM);
            s.records("contact").create(Map.of("last_name", "Old"));
            ChangeLogEntry old = crm.changeLog().read(0, 1).get(0);
            clock.advance(Duration.ofDays(40));
            s.records("contact").create(Map.of("last_name", "New"));
            s.records("contact").create(Map.of("last_name", "Newest"));
            Storage storage = Installation.storageOf(handle);
            String identity = storage.identity().toString();
            assertThat(LogPosition.mismatch(storage, identity, old.sequence(), LogPosition.fingerprint(old)))
                    .isEmpty();

            s.privacy().retain("contact", Duration.ofDays(30));
            assertThat(s.privacy().prune().total()).isEqualTo(1);

            assertThat(crm.changeLog().read(0, 10)).extracting(ChangeLogEntry::sequence).doesNotContain(
                    old.sequence());
            assertThat(LogPosition.mismatch(storage, identity, old.sequence(), LogPosition.fingerprint(old)))
                    .as("pruned, not replaced").isEmpty();
            ChangeLogEntry second = crm.changeLog().read(old.sequence(), 1).get(0);
            assertThat(LogPosition.mismatch(storage, identity, second.sequence(), LogPosition.fingerprint(old)))
                    .as("another change at that position").isPresent();
        }
    }
}
