package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.CrmSession;
import org.crmkit.error.FieldError;
import org.crmkit.error.ValidationException;
import org.crmkit.event.ChangeFeedPage;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.event.Operation;
import org.crmkit.record.ImportOptions;
import org.crmkit.record.Record;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.crmkit.storage.spi.StorageFeature;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The session change feed ({@code CrmSession.changes}): the change log filtered by the caller's access (types,
 * record scope judged on the record now, fields), updates with nothing visible left out, paged by sequence with a
 * cursor that moves past what was left out.
 */
public abstract class FeedContract extends ConformanceContract {
    /** Widgets in own scope, price hidden; nothing else (no company). */
    private static final Role REP_WITHOUT_PRICES = Role.builder("rep_without_prices")
            .grant(WIDGET, RecordScope.OWN, Permission.CREATE, Permission.READ, Permission.UPDATE, Permission.DELETE)
            .field(WIDGET, "price", FieldAccess.HIDDEN).build();

    private CrmSession ann;
    private CrmSession bob;

    @BeforeEach
    void users() {
        defineWidget();
        ann = crm().as(Principal.user("ann", REP_WITHOUT_PRICES));
        bob = crm().as(Principal.user("bob", Role.SALES_REP));
    }

    /** Every entry after {@code after} through pages of {@code limit}, checking each page on the way. */
    private static List<ChangeLogEntry> follow(CrmSession s, long after, int limit) {
        List<ChangeLogEntry> out = new ArrayList<>();
        long cursor = after;
        for (int calls = 0; calls < 1_000; calls++) {
            ChangeFeedPage page = s.changes(cursor, limit);
            assertThat(page.entries().size()).isLessThanOrEqualTo(limit);
            assertThat(page.nextAfter()).isGreaterThanOrEqualTo(cursor);
            page.entries().forEach(e -> assertThat(e.sequence()).isGreaterThan(after)
                    .isLessThanOrEqualTo(page.nextAfter()));
            out.addAll(page.entries());
            if (!page.more()) {
                return out;
            }
            assertThat(page.nextAfter()).as("a page with more to come moves on").isGreaterThan(cursor);
            cursor = page.nextAfter();
        }
        throw new AssertionError("the feed did not end");
    }

    @Test
    void theFeedHoldsOnlyReadableTypesRecordsInScopeAndVisibleFields() {
        long start = crm().changeLog().lastSequence();
        records("company").create(Map.of("name", "Acme")); // a type ann cannot read
        Record mine = records(WIDGET).create(values("name", "mine", "price", 10, "owner", "ann"));
        Record theirs = bob.records(WIDGET).create(Map.of("name", "theirs")); // out of ann's scope
        Record mine2 = records(WIDGET).update(mine, Map.of("price", 11)); // hidden only: left out
        records(WIDGET).update(mine2, Map.of("price", 12, "qty", 3)); // qty shown, price not
        bob.records(WIDGET).update(theirs, Map.of("qty", 1));

        ChangeFeedPage page = ann.changes(start, 100);

        assertThat(page.entries()).extracting(ChangeLogEntry::recordId).containsOnly(mine.id());
        assertThat(page.entries()).extracting(ChangeLogEntry::operation).containsExactly(Operation.CREATE,
                Operation.UPDATE);
        assertThat(page.entries()).allSatisfy(e -> assertThat(e.change("price")).isEmpty());
        assertThat(page.entries().get(0).change("name")).contains(new FieldChange("name", null, "mine"));
        assertThat(page.entries().get(1).changes()).containsExactly(new FieldChange("qty", null, 3L));
        assertThat(page.nextAfter()).isEqualTo(crm().changeLog().lastSequence());
        assertThat(page.more()).isFalse();
        // the same entries, sequences included, as the log holds them: only narrowed
        List<ChangeLogEntry> raw = crm().changeLog().read(start, 100);
        assertThat(page.entries()).allSatisfy(e -> assertThat(raw).anySatisfy(r -> {
            assertThat(r.sequence()).isEqualTo(e.sequence());
            assertThat(r.changes()).containsAll(e.changes());
        }));
        // the system principal sees what the raw log holds
        assertThat(system().changes(start, 100).entries()).isEqualTo(raw);
        assertThat(bob.changes(start, 100).entries()).extracting(ChangeLogEntry::recordId).containsOnly(theirs.id())
                .hasSize(2);
    }

    @Test
    void scopeIsJudgedOnTheRecordNow() {
        long start = crm().changeLog().lastSequence();
        Record w = records(WIDGET).create(values("name", "moving", "owner", "ann"));
        Record w2 = records(WIDGET).update(w, Map.of("qty", 1));
        records(WIDGET).update(w2, Map.of("owner", "bob"));

        assertThat(follow(ann, start, 10)).as("a record out of ann's scope now: nothing, not even her time").isEmpty();
        List<ChangeLogEntry> bobs = follow(bob, start, 10);
        assertThat(bobs).extracting(ChangeLogEntry::operation).containsExactly(Operation.CREATE, Operation.UPDATE,
                Operation.UPDATE);
        assertThat(bobs.get(2).changes()).containsExactly(new FieldChange("owner", "ann", "bob"));
    }

    @Test
    void deletesRestoresAndPurgesOfRecordsInScopeAreShownToWhoHadThem() {
        long start = crm().changeLog().lastSequence();
        Record w = ann.records(WIDGET).create(Map.of("name", "short lived"));
        Record deleted = ann.records(WIDGET).delete(w.id(), w.version());
        ann.records(WIDGET).restore(w.id(), deleted.version());
        records(WIDGET).update(records(WIDGET).get(w.id()), Map.of("price", 5)); // hidden only
        ann.records(WIDGET).purge(w.id());
        Record bobs = bob.records(WIDGET).create(Map.of("name", "bob's"));
        bob.records(WIDGET).purge(bobs.id());

        List<ChangeLogEntry> feed = follow(ann, start, 10);
        assertThat(feed).extracting(ChangeLogEntry::recordId).containsOnly(w.id());
        assertThat(feed).extracting(ChangeLogEntry::operation).containsExactly(Operation.CREATE, Operation.DELETE,
                Operation.RESTORE, Operation.PURGE);
        ChangeLogEntry purge = feed.get(3);
        assertThat(purge.principalId()).isEqualTo("ann");
        assertThat(purge.change("name")).contains(new FieldChange("name", "short lived", null));
        assertThat(purge.change("price")).isEmpty();
        assertThat(follow(bob, start, 10)).extracting(ChangeLogEntry::recordId).containsOnly(bobs.id()).hasSize(2);
    }

    @Test
    void pagesAreFullUntilTheEndAndResumeAfterWhatWasLeftOut() {
        long start = crm().changeLog().lastSequence();
        List<UUID> annsRecords = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Record a = records(WIDGET).create(values("name", "a" + i, "owner", "ann"));
            annsRecords.add(a.id());
            records(WIDGET).update(a, Map.of("price", i + 1)); // hidden only
            bob.records(WIDGET).create(Map.of("name", "b" + i)); // out of scope
        }
        for (int limit = 1; limit <= 4; limit++) {
            List<ChangeFeedPage> pages = new ArrayList<>();
            long cursor = start;
            while (true) {
                ChangeFeedPage page = ann.changes(cursor, limit);
                pages.add(page);
                if (!page.more()) {
                    break;
                }
                cursor = page.nextAfter();
            }
            List<ChangeLogEntry> all = pages.stream().flatMap(p -> p.entries().stream()).toList();
            assertThat(all).extracting(ChangeLogEntry::recordId).containsExactlyElementsOf(annsRecords);
            assertThat(all).extracting(ChangeLogEntry::operation).containsOnly(Operation.CREATE);
            // no short page before the last one: what was left out does not show in page sizes
            for (ChangeFeedPage p : pages.subList(0, pages.size() - 1)) {
                assertThat(p.entries()).hasSize(limit);
                assertThat(p.nextAfter()).isEqualTo(p.entries().get(limit - 1).sequence());
            }
            ChangeFeedPage last = pages.get(pages.size() - 1);
            assertThat(last.nextAfter()).isEqualTo(crm().changeLog().lastSequence());
        }
        ChangeFeedPage caughtUp = ann.changes(crm().changeLog().lastSequence(), 10);
        assertThat(caughtUp.entries()).isEmpty();
        assertThat(caughtUp.nextAfter()).isEqualTo(crm().changeLog().lastSequence());
        assertThat(caughtUp.more()).isFalse();
    }

    @Test
    void aLongRunOfEntriesLeftOutIsCrossedInBoundedSteps() {
        assumeSupported(StorageFeature.IMPORT_LEDGER);
        long start = crm().changeLog().lastSequence();
        List<java.util.Map<String, @Nullable Object>> rows = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            rows.add(values("name", "b" + i));
        }
        assertThat(bob.records(WIDGET).importRecords("bulk", rows, ImportOptions.defaults()).created())
                .isEqualTo(2_500);
        Record mine = ann.records(WIDGET).create(Map.of("name", "mine"));

        ChangeFeedPage first = ann.changes(start, 10);
        assertThat(first.entries()).isEmpty();
        assertThat(first.more()).isTrue();
        assertThat(first.nextAfter()).isEqualTo(start + 2_000);
        ChangeFeedPage second = ann.changes(first.nextAfter(), 10);
        assertThat(second.entries()).extracting(ChangeLogEntry::recordId).containsExactly(mine.id());
        assertThat(second.more()).isFalse();
        assertThat(follow(ann, start, 1)).extracting(ChangeLogEntry::recordId).containsExactly(mine.id());
    }

    @Test
    void limitAndAfterOutOfRangeAreValidationErrors() {
        records(WIDGET).create(Map.of("name", "w"));
        for (int limit : new int[] {0, -1, 1_001, Integer.MAX_VALUE}) {
            ValidationException e = catchThrowableOfType(ValidationException.class, () -> ann.changes(0, limit));
            assertThat(e.errors()).extracting(FieldError::field).containsExactly("limit");
        }
        ValidationException both = catchThrowableOfType(ValidationException.class, () -> ann.changes(-1, 0));
        assertThat(both.errors()).extracting(FieldError::field).containsExactly("after", "limit");
        assertThat(system().changes(0, 1_000).entries()).hasSize((int) crm().changeLog().lastSequence());
        assertThat(system().changes(Long.MAX_VALUE, 1).entries()).isEmpty();
    }
}
