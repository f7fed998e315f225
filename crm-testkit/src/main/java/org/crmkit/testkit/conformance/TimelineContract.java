package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.CrmSession;
import org.crmkit.RecordSet;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.NotFoundException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.TimelinePage;
import org.crmkit.event.TimelineQuery;
import org.crmkit.record.Record;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The roll-up timeline ({@code RecordSet.timeline(id, TimelineQuery)}): an activity or task relates to several
 * records at once; a company's timeline includes, when asked, the changes of its contacts and deals and of the
 * activities and tasks of all of them, in commit order, paged by a signed cursor, within the caller's access.
 */
public abstract class TimelineContract extends ConformanceContract {
    /** Everything in own scope, deal amounts hidden; tasks not readable at all; the activity's deal link hidden. */
    private static final Role REP = Role.builder("timeline_rep")
            .grant("company", RecordScope.ALL, Permission.READ)
            .grant("contact", RecordScope.OWN, Permission.READ, Permission.UPDATE)
            .grant("deal", RecordScope.OWN, Permission.READ, Permission.UPDATE)
            .grant("activity", RecordScope.OWN, Permission.READ)
            .field("deal", "amount", FieldAccess.HIDDEN).field("activity", "deal", FieldAccess.HIDDEN).build();

    private Record acme;
    private Record ada;
    private Record bob;
    private Record deal;
    private Record call;
    private Record task;
    private Record dealNote;
    private Record otherCompany;

    @BeforeEach
    void fixture() {
        acme = records("company").create(Map.of("name", "Acme"));
        otherCompany = records("company").create(Map.of("name", "Other"));
        ada = records("contact").create(values("last_name", "Lovelace", "company", acme.id(), "owner", "ann"));
        bob = records("contact").create(values("last_name", "Babbage", "company", acme.id(), "owner", "bob"));
        deal = records("deal").create(values("name", "Big", "company", acme.id(), "amount", Map.of("amount", 100,
                "currency", "EUR"), "owner", "ann"));
        // one activity related to a contact, their company and a deal at once
        call = records("activity").create(values("kind", "call", "subject", "Intro", "contact", ada.id(),
                "company", acme.id(), "deal", deal.id(), "owner", "ann"));
        task = records("task").create(values("subject", "Follow up", "contact", ada.id(), "owner", "ann"));
        dealNote = records("activity").create(values("kind", "note", "subject", "Deal only", "deal", deal.id(),
                "owner", "ann"));
        records("contact").update(ada, Map.of("title", "Countess"));
        records("deal").update(deal, Map.of("amount", Map.of("amount", 200, "currency", "EUR")));
        records("contact").create(values("last_name", "Elsewhere", "company", otherCompany.id(), "owner", "ann"));
    }

    private static List<ChangeLogEntry> follow(RecordSet set, UUID id, TimelineQuery first) {
        List<ChangeLogEntry> out = new ArrayList<>();
        TimelineQuery q = first;
        for (int i = 0; i < 1_000; i++) {
            TimelinePage page = set.timeline(id, q);
            assertThat(page.entries().size()).isLessThanOrEqualTo(q.limit());
            out.addAll(page.entries());
            if (page.nextQuery().isEmpty()) {
                return out;
            }
            q = page.nextQuery().get();
        }
        throw new AssertionError("the timeline did not end");
    }

    @Test
    void theOwnTimelineIsTheOneOfTimelineId() {
        TimelinePage page = records("contact").timeline(ada.id(), TimelineQuery.of());
        assertThat(page.entries()).isEqualTo(records("contact").timeline(ada.id()));
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void aCompanyTimelineRollsUpItsContactsDealsAndTheirActivitiesInOrder() {
        List<ChangeLogEntry> all = follow(records("company"), acme.id(), TimelineQuery.of().withRelated().limit(2));
        assertThat(all).extracting(ChangeLogEntry::recordId).containsOnly(acme.id(), ada.id(), bob.id(), deal.id(),
                call.id(), task.id(), dealNote.id());
        assertThat(all).isSortedAccordingTo(Comparator.comparingLong(ChangeLogEntry::sequence));
        assertThat(all).extracting(ChangeLogEntry::sequence).doesNotHaveDuplicates();
        assertThat(all).hasSize(9); // 7 creates, 2 updates; the other company's contact is not there

        List<ChangeLogEntry> newest = follow(records("company"), acme.id(),
                TimelineQuery.of().withRelated().newestFirst().limit(3));
        assertThat(newest).containsExactlyElementsOf(all.reversed());
        // the activity relates to several records: it is on the timelines of each
        assertThat(follow(records("contact"), ada.id(), TimelineQuery.of().withRelated()))
                .extracting(ChangeLogEntry::recordId).contains(call.id(), task.id()).doesNotContain(dealNote.id());
        assertThat(follow(records("deal"), deal.id(), TimelineQuery.of().withRelated()))
                .extracting(ChangeLogEntry::recordId).contains(call.id(), dealNote.id());
    }

    @Test
    void theRollUpKeepsToTheCallersAccess() {
        CrmSession ann = crm().as(Principal.user("ann", REP));
        List<ChangeLogEntry> seen = follow(ann.records("company"), acme.id(), TimelineQuery.of().withRelated()
                .limit(4));
        // bob's contact is out of scope, tasks are not readable, and the deal note is left out: it is linked only
        // through activity.deal, hidden from ann (the call is there through its company and ann's contact)
        assertThat(seen).extracting(ChangeLogEntry::recordId).containsOnly(acme.id(), ada.id(), deal.id(),
                call.id());
        assertThat(seen).allSatisfy(e -> {
            assertThat(e.change("amount")).isEmpty();
            if (e.objectType().equals("activity")) {
                assertThat(e.change("deal")).isEmpty();
            }
        });
        // the update that changed only a hidden field is left out
        assertThat(seen).filteredOn(e -> e.recordId().equals(deal.id())).hasSize(1);

        CrmSession carl = crm().as(Principal.user("carl", Role.SALES_REP));
        assertThatThrownBy(() -> carl.records("contact").timeline(ada.id(), TimelineQuery.of().withRelated()))
                .isExactlyInstanceOf(NotFoundException.class);
    }

    @Test
    void aRollUpPastItsLimitCoversTheNearestAndSaysSo() {
        TimelinePage whole = records("company").timeline(acme.id(), TimelineQuery.of().withRelated().maxRelated(6));
        assertThat(whole.relatedTruncated()).isFalse();
        assertThat(whole.entries()).hasSize(9);
        assertThat(records("company").timeline(acme.id(), TimelineQuery.of()).relatedTruncated()).isFalse();

        TimelinePage cut = records("company").timeline(acme.id(), TimelineQuery.of().withRelated().maxRelated(5));
        assertThat(cut.relatedTruncated()).isTrue();
        assertThat(cut.entries()).extracting(ChangeLogEntry::recordId).contains(acme.id());
        assertThat(cut.entries()).extracting(ChangeLogEntry::sequence).doesNotHaveDuplicates();
        assertThat(cut.entries()).hasSize(8); // the farthest activity's create is left out
        assertThat(cut.entries().stream().map(ChangeLogEntry::recordId).filter(r -> !r.equals(acme.id()))
                .distinct()).hasSize(5);
        // the nearest first: every record that references the company is kept, one activity two steps away is not
        assertThat(cut.entries()).extracting(ChangeLogEntry::recordId).contains(ada.id(), bob.id(), deal.id(),
                call.id());

        // what the caller may not know does not count: ann knows three related records, so three is not cut
        CrmSession ann = crm().as(Principal.user("ann", REP));
        assertThat(ann.records("company").timeline(acme.id(), TimelineQuery.of().withRelated().maxRelated(3))
                .relatedTruncated()).isFalse();
        assertThat(ann.records("company").timeline(acme.id(), TimelineQuery.of().withRelated().maxRelated(2))
                .relatedTruncated()).isTrue();

        for (int max : new int[] {0, TimelineQuery.MAX_RELATED + 1}) {
            assertThatThrownBy(() -> records("company").timeline(acme.id(), TimelineQuery.of().withRelated()
                    .maxRelated(max))).matches(error("maxRelated", FieldErrorCode.OUT_OF_RANGE));
        }
    }

    @Test
    void aRollUpOfMoreRecordsThanOneReadHoldsEveryEntryOnce() {
        crm().as(Principal.SYSTEM).inTransactionDo(s -> {
            for (int i = 0; i < 1_203; i++) { // past a storage's few hundred ids per query, twice
                s.records("activity").create(Map.of("kind", "note", "subject", "n" + i, "company",
                        otherCompany.id()));
            }
        });
        List<ChangeLogEntry> all = follow(records("company"), otherCompany.id(), TimelineQuery.of().withRelated()
                .limit(TimelineQuery.MAX_LIMIT));
        assertThat(all).hasSize(1 + 1 + 1_203); // the company, its contact, the notes
        assertThat(all).extracting(ChangeLogEntry::sequence).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void cursorsAndPageSizesAreChecked() {
        TimelinePage first = records("company").timeline(acme.id(), TimelineQuery.of().withRelated().limit(2));
        String cursor = first.nextCursor();
        assertThat(cursor).isNotNull();
        // another record, another order, another principal: refused
        assertThatThrownBy(() -> records("company").timeline(otherCompany.id(), TimelineQuery.of().withRelated()
                .after(cursor))).matches(error("cursor", FieldErrorCode.WRONG_TYPE));
        assertThatThrownBy(() -> records("company").timeline(acme.id(), TimelineQuery.of().withRelated()
                .newestFirst().after(cursor))).matches(error("cursor", FieldErrorCode.WRONG_TYPE));
        CrmSession manager = crm().as(Principal.user("m", Role.SALES_MANAGER));
        assertThatThrownBy(() -> manager.records("company").timeline(acme.id(), TimelineQuery.of().withRelated()
                .after(cursor))).matches(error("cursor", FieldErrorCode.WRONG_TYPE));
        assertThatThrownBy(() -> records("company").timeline(acme.id(), TimelineQuery.of().withRelated()
                .maxRelated(3).after(cursor))).matches(error("cursor", FieldErrorCode.WRONG_TYPE));
        assertThatThrownBy(() -> records("company").timeline(acme.id(), TimelineQuery.of().withRelated()
                .after(cursor.substring(1)))).matches(error("cursor", FieldErrorCode.WRONG_TYPE));
        for (int limit : new int[] {0, TimelineQuery.MAX_LIMIT + 1}) {
            assertThatThrownBy(() -> records("company").timeline(acme.id(), TimelineQuery.of().limit(limit)))
                    .matches(error("limit", FieldErrorCode.OUT_OF_RANGE));
        }
    }
}
