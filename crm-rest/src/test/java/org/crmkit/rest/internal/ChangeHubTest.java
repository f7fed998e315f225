package org.crmkit.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.Test;

/**
 * The hub reads the raw log once for every stream, and each stream's caller still gets only its own view: what the
 * engine's filter makes of that one read equals the caller's own access-filtered feed.
 */
class ChangeHubTest {
    private static final Role SUPPORT = Role.builder("support")
            .grant("contact", RecordScope.ALL, Permission.READ).field("contact", "email", FieldAccess.HIDDEN).build();

    private static CrmSession as(Crm crm, String user, Role role) {
        return crm.as(new Principal(user, List.of(role), List.of(), false));
    }

    @Test
    void oneReadFeedsCallersWhoEachSeeOnlyTheirOwnView() {
        Crm crm = Crm.builder().storage(InMemoryStorage.create()).build();
        ChangeHub hub = new ChangeHub(crm, new SseSettings(Duration.ofSeconds(15), Duration.ofSeconds(60), 100,
                Duration.ofSeconds(5), 10, Duration.ofSeconds(1)));
        CrmSession alice = as(crm, "alice", Role.SALES_REP);
        CrmSession bob = as(crm, "bob", Role.SALES_REP);
        CrmSession support = as(crm, "sam", SUPPORT);
        alice.records("contact").create(Map.of("last_name", "Alice's", "email", "alice@example.com"));
        bob.records("contact").create(Map.of("last_name", "Bob's", "email", "bob@example.com"));
        as(crm, "ada", Role.ADMIN).records("company").create(Map.of("name", "Acme"));

        ChangeHub.Raw raw = hub.read(0, 200);
        assertThat(raw.entries()).hasSize(3);
        for (CrmSession s : List.of(alice, bob, support)) {
            assertThat(s.visibleChanges(raw.entries())).as(s.principal().id())
                    .isEqualTo(s.changes(0, 1000).entries());
        }
        List<ChangeLogEntry> hers = alice.visibleChanges(raw.entries());
        assertThat(hers).hasSize(1);
        assertThat(hers.get(0).changes().toString()).contains("Alice's").doesNotContain("Bob's");
        assertThat(bob.visibleChanges(raw.entries()).toString()).contains("Bob's").doesNotContain("Alice's");
        List<ChangeLogEntry> seen = support.visibleChanges(raw.entries());
        assertThat(seen).hasSize(2);
        assertThat(seen.toString()).doesNotContain("example.com").doesNotContain("email");

        // a stream resuming after the end of the log gets nothing and leaves the shared window where it is
        assertThat(hub.read(1_000, 200)).isEqualTo(new ChangeHub.Raw(List.of(), false));

        // a second stream asking from the same place takes the entries from the shared window: the log is closed
        // with the engine, so a second read of it would fail
        crm.close();
        assertThat(hub.read(0, 200).entries()).isEqualTo(raw.entries());
        assertThat(hub.read(raw.entries().get(0).sequence(), 200).entries()).isEqualTo(raw.entries().subList(1, 3));
        hub.close();
    }
}
