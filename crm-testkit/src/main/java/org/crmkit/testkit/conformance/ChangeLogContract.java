package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crmkit.CrmSession;
import org.crmkit.error.NotFoundException;
import org.crmkit.error.ValidationException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.event.Operation;
import org.crmkit.record.Record;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The change log: complete, ordered, paged; listeners after commit only; timelines filtered by access. */
public abstract class ChangeLogContract extends ConformanceContract {

    @BeforeEach
    void widget() {
        defineWidget();
    }

    @Test
    void everyCommittedWriteAppearsOnceInOrderWithOldAndNewValues() {
        long start = crm().changeLog().lastSequence();
        CrmSession u = crm().as(Principal.user("u-1", Role.ADMIN));
        Record w = u.records(WIDGET).create(Map.of("name", "w", "qty", 1));
        Record w2 = u.records(WIDGET).update(w, values("qty", 2, "notes", "n"));
        u.records(WIDGET).update(w2, Map.of("qty", 2)); // no change, no entry
        Record w3 = u.records(WIDGET).delete(w.id(), 2);
        Record w4 = u.records(WIDGET).restore(w.id(), 3);
        u.records(WIDGET).purge(w.id());
        assertThatThrownBy(() -> u.records(WIDGET).create(Map.of("qty", 1))).isInstanceOf(ValidationException.class);

        List<ChangeLogEntry> log = logAfter(start);
        assertThat(log).extracting(ChangeLogEntry::operation).containsExactly(Operation.CREATE, Operation.UPDATE,
                Operation.DELETE, Operation.RESTORE, Operation.PURGE);
        assertThat(log).extracting(ChangeLogEntry::version).containsExactly(1L, 2L, 3L, 4L, 4L);
        assertThat(log).allSatisfy(e -> {
            assertThat(e.recordId()).isEqualTo(w.id());
            assertThat(e.objectType()).isEqualTo(WIDGET);
            assertThat(e.principalId()).isEqualTo("u-1");
        });
        for (int i = 0; i < log.size(); i++) {
            assertThat(log.get(i).sequence()).isEqualTo(start + 1 + i);
        }
        assertThat(crm().changeLog().lastSequence()).isEqualTo(start + 5);
        assertThat(log.get(0).change("name")).contains(new FieldChange("name", null, "w"));
        assertThat(log.get(0).change("qty")).contains(new FieldChange("qty", null, 1L));
        assertThat(log.get(0).change("owner")).contains(new FieldChange("owner", null, "u-1"));
        assertThat(log.get(1).changes()).containsExactlyInAnyOrder(new FieldChange("notes", null, "n"),
                new FieldChange("qty", 1L, 2L));
        assertThat(log.get(2).version()).isEqualTo(w3.version());
        assertThat(log.get(3).version()).isEqualTo(w4.version());
        assertThat(log.get(4).change("qty")).contains(new FieldChange("qty", 2L, null));
        assertThat(log).extracting(ChangeLogEntry::transactionId).doesNotHaveDuplicates();
    }

    @Test
    void readPagesThroughTheLog() {
        for (int i = 0; i < 10; i++) {
            records(WIDGET).create(Map.of("name", "w" + i));
        }
        List<ChangeLogEntry> everything = crm().changeLog().read(0, 100_000);
        assertThat(everything).isNotEmpty();
        for (int i = 1; i < everything.size(); i++) {
            assertThat(everything.get(i).sequence()).isGreaterThan(everything.get(i - 1).sequence());
        }
        assertThat(everything.get(everything.size() - 1).sequence()).isEqualTo(crm().changeLog().lastSequence());
        for (int limit = 1; limit <= 4; limit++) {
            List<ChangeLogEntry> paged = new ArrayList<>();
            long after = 0;
            while (true) {
                List<ChangeLogEntry> batch = crm().changeLog().read(after, limit);
                assertThat(batch.size()).isLessThanOrEqualTo(limit);
                if (batch.isEmpty()) {
                    break;
                }
                paged.addAll(batch);
                after = batch.get(batch.size() - 1).sequence();
            }
            assertThat(paged).isEqualTo(everything);
        }
        long middle = everything.get(3).sequence();
        assertThat(crm().changeLog().read(middle, 2)).containsExactly(everything.get(4), everything.get(5));
        assertThat(crm().changeLog().read(crm().changeLog().lastSequence(), 10)).isEmpty();
        assertThat(crm().changeLog().read(middle, Integer.MAX_VALUE))
                .isEqualTo(everything.subList(4, everything.size()));
        assertThat(crm().changeLog().read(Long.MAX_VALUE, 10)).isEmpty();
    }

    @Test
    @SuppressWarnings("try") // closes the subscription inside its try on purpose: later changes must not be heard
    void listenersHearOnlyAboutCommittedTransactionsAfterCommit() throws Exception {
        List<List<ChangeLogEntry>> heard = new CopyOnWriteArrayList<>();
        List<Boolean> visibleWhenHeard = new CopyOnWriteArrayList<>();
        try (AutoCloseable handle = crm().changeLog().subscribe(batch -> {
            heard.add(batch);
            for (ChangeLogEntry e : batch) {
                if (e.operation() == Operation.CREATE) {
                    visibleWhenHeard.add(records(WIDGET).find(e.recordId()).isPresent());
                }
            }
        })) {
            long start = crm().changeLog().lastSequence();
            List<Record> made = system().inTransaction(s -> {
                Record a = s.records(WIDGET).create(Map.of("name", "a"));
                Record b = s.records(WIDGET).create(Map.of("name", "b"));
                assertThat(heard).as("nothing heard before commit").isEmpty();
                return List.of(a, b);
            });
            assertThat(heard).hasSize(1);
            assertThat(heard.get(0)).extracting(ChangeLogEntry::recordId).containsExactly(made.get(0).id(),
                    made.get(1).id());
            assertThat(heard.get(0)).isEqualTo(logAfter(start));
            assertThat(heard.get(0).get(0).transactionId()).isEqualTo(heard.get(0).get(1).transactionId());
            assertThat(visibleWhenHeard).containsExactly(true, true);

            long beforeRollback = crm().changeLog().lastSequence();
            assertThatThrownBy(() -> system().inTransactionDo(s -> {
                s.records(WIDGET).create(Map.of("name", "c"));
                s.records(WIDGET).update(made.get(0), Map.of("qty", 1));
                throw new IllegalStateException("roll back");
            })).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> records(WIDGET).create(Map.of("qty", 1))).isInstanceOf(ValidationException.class);
            assertThat(heard).hasSize(1);
            assertThat(crm().changeLog().lastSequence()).isEqualTo(beforeRollback);
            assertThat(crm().changeLog().read(beforeRollback, 100)).isEmpty();
            assertThat(records(WIDGET).timeline(made.get(0).id())).hasSize(1);

            records(WIDGET).update(made.get(0), Map.of("qty", 5));
            assertThat(heard).hasSize(2);
            handle.close();
            records(WIDGET).update(records(WIDGET).get(made.get(0).id()), Map.of("qty", 6));
            assertThat(heard).hasSize(2);
        }
    }

    @Test
    void failingListenerDoesNotUndoTheCommit() {
        crm().changeLog().subscribe(batch -> {
            throw new IllegalStateException("listener bug");
        });
        Record w = records(WIDGET).create(Map.of("name", "w"));
        assertThat(records(WIDGET).get(w.id())).isEqualTo(w);
    }

    @Test
    void timelineIsTheRecordsHistoryWithoutHiddenFields() {
        Role noPrices = Role.builder("no_prices")
                .grant(WIDGET, RecordScope.ALL, Permission.READ, Permission.UPDATE)
                .field(WIDGET, "price", FieldAccess.HIDDEN).build();
        Record w = records(WIDGET).create(Map.of("name", "w", "price", 10));
        Record other = records(WIDGET).create(Map.of("name", "other"));
        Record w2 = records(WIDGET).update(w, Map.of("price", 12, "qty", 3));
        records(WIDGET).update(other, Map.of("qty", 9));
        records(WIDGET).update(w2, Map.of("name", "renamed"));

        List<ChangeLogEntry> full = records(WIDGET).timeline(w.id());
        assertThat(full).extracting(ChangeLogEntry::operation).containsExactly(Operation.CREATE, Operation.UPDATE,
                Operation.UPDATE);
        assertThat(full).extracting(ChangeLogEntry::version).containsExactly(1L, 2L, 3L);
        assertThat(full).allMatch(e -> e.recordId().equals(w.id()));
        assertThat(full.get(1).change("price")).isPresent();

        List<ChangeLogEntry> limited = crm().as(Principal.user("u-2", noPrices)).records(WIDGET).timeline(w.id());
        assertThat(limited).hasSize(3);
        assertThat(limited).allSatisfy(e -> assertThat(e.change("price")).isEmpty());
        assertThat(limited.get(1).change("qty")).contains(new FieldChange("qty", null, 3L));
        assertThat(limited.get(0).change("name")).isPresent();

        records(WIDGET).delete(w.id(), 3);
        assertThat(records(WIDGET).timeline(w.id())).hasSize(4);
        assertThatThrownBy(() -> records(WIDGET).timeline(java.util.UUID.randomUUID()))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void timelineLeavesOutChangesOnlyToFieldsHiddenFromTheCaller() {
        Role noPrices = Role.builder("no_prices")
                .grant(WIDGET, RecordScope.ALL, Permission.READ, Permission.UPDATE, Permission.DELETE)
                .field(WIDGET, "price", FieldAccess.HIDDEN).build();
        Record w = records(WIDGET).create(Map.of("name", "w", "price", 10));
        Record w2 = records(WIDGET).update(w, Map.of("price", 11)); // hidden only
        Record w3 = records(WIDGET).update(w2, Map.of("price", 12, "qty", 1)); // hidden and visible
        Record w4 = records(WIDGET).update(w3, Map.of("price", 13)); // hidden only
        records(WIDGET).delete(w4.id(), w4.version());
        records(WIDGET).restore(w4.id(), w4.version() + 1);

        assertThat(records(WIDGET).timeline(w.id())).extracting(ChangeLogEntry::operation).containsExactly(
                Operation.CREATE, Operation.UPDATE, Operation.UPDATE, Operation.UPDATE, Operation.DELETE,
                Operation.RESTORE);
        List<ChangeLogEntry> limited = crm().as(Principal.user("u-2", noPrices)).records(WIDGET).timeline(w.id());
        assertThat(limited).extracting(ChangeLogEntry::operation).containsExactly(Operation.CREATE, Operation.UPDATE,
                Operation.DELETE, Operation.RESTORE);
        assertThat(limited.get(1).changes()).containsExactly(new FieldChange("qty", null, 1L));
        assertThat(limited).allSatisfy(e -> assertThat(e.change("price")).isEmpty());
    }

    @Test
    void timelineHoldsOnlyFieldsThatExistAndTheCallerCanReadNow() {
        Role reader = Role.builder("reader").grant(WIDGET, RecordScope.ALL, Permission.READ).build();
        Record w = records(WIDGET).create(Map.of("name", "w", "notes", "secret plan"));
        Record w2 = records(WIDGET).update(w, Map.of("notes", "still secret"));
        records(WIDGET).update(w2, Map.of("notes", "final", "qty", 2));
        crm().schema().deleteField(WIDGET, "notes", org.crmkit.schema.DataPolicy.DISCARD_DATA);

        for (CrmSession s : List.of(system(), crm().as(Principal.user("u-3", reader)))) {
            List<ChangeLogEntry> timeline = s.records(WIDGET).timeline(w.id());
            assertThat(timeline).extracting(ChangeLogEntry::operation).containsExactly(Operation.CREATE,
                    Operation.UPDATE);
            assertThat(timeline).allSatisfy(e -> assertThat(e.change("notes")).isEmpty());
            assertThat(timeline.get(1).changes()).containsExactly(new FieldChange("qty", null, 2L));
        }
        // the raw log, for system code, keeps everything
        assertThat(crm().changeLog().read(0, 1000)).anySatisfy(e -> assertThat(e.change("notes")).isPresent());
    }
}
