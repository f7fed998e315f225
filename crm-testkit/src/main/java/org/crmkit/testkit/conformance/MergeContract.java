package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.error.AccessDeniedException;
import org.crmkit.error.ConflictException;
import org.crmkit.error.ErrorCode;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.NotFoundException;
import org.crmkit.error.RecordMergedException;
import org.crmkit.error.ValidationException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.event.Operation;
import org.crmkit.merge.FieldChoices;
import org.crmkit.merge.MergeResult;
import org.crmkit.query.Filters;
import org.crmkit.query.Query;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.crmkit.storage.spi.StorageFeature;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code RecordSet.merge}: values chosen per field, every reference and relation of every type re-pointed to the
 * survivor, the others soft-deleted and linked ({@link RecordMergedException} on {@code get}, across a reopen), one
 * change-log transaction shown on every timeline, validation and access control, nothing half-done when a
 * concurrent edit gets in the way. A property test runs random merges over random references and checks that no
 * reference to a merged-away record is ever left.
 *
 * <p>Past 450 lines and kept whole on purpose: every test here shares one fixture (the REP role, the records merged,
 * their references of every kind), and a storage adds the merge suite by one subclass.
 */
public abstract class MergeContract extends ConformanceContract {
    /** Contacts in own scope, description hidden, title read-only; may update and delete. */
    private static final Role REP = Role.builder("merge_rep")
            .grant("contact", RecordScope.OWN, Permission.CREATE, Permission.READ, Permission.UPDATE,
                    Permission.DELETE)
            .field("contact", "description", FieldAccess.HIDDEN).field("contact", "title", FieldAccess.READ_ONLY)
            .build();
    /** Contacts: may update, not delete. */
    private static final Role EDITOR = Role.builder("merge_editor")
            .grant("contact", RecordScope.ALL, Permission.READ, Permission.UPDATE).build();

    private Record acme;
    private Record ada;
    private Record dup;

    @BeforeEach
    void fixture() {
        assumeSupported(StorageFeature.MERGE_LINKS);
        acme = records("company").create(Map.of("name", "Acme"));
        ada = records("contact").create(values("first_name", "Ada", "last_name", "Lovelace", "company", acme.id(),
                "owner", "ann"));
        dup = records("contact").create(values("first_name", "A.", "last_name", "Lovelace", "email",
                "ada@example.com", "phone", "+442079460958", "title", "Countess", "owner", "ann"));
    }

    @Test
    void theSurvivorKeepsItsValuesTakesMissingOnesAndFollowsTheChoices() {
        Record third = records("contact").create(values("last_name", "King", "mobile", "+442079460959", "email",
                "ada.king@example.com", "owner", "ann"));
        MergeResult result = records("contact").merge(ada.id(), List.of(dup.id(), third.id()),
                FieldChoices.defaults().take("last_name", third.id()).value("description", "merged"));

        Record s = result.survivor();
        assertThat(s.id()).isEqualTo(ada.id());
        assertThat(s.version()).isEqualTo(ada.version() + 1);
        assertThat(s.getString("first_name")).isEqualTo("Ada"); // the survivor's
        assertThat(s.getString("last_name")).isEqualTo("King"); // chosen
        assertThat(s.getString("email")).isEqualTo("ada@example.com"); // the first non-empty, in the order given
        assertThat(s.getString("mobile")).isEqualTo("+442079460959");
        assertThat(s.getString("title")).isEqualTo("Countess");
        assertThat(s.getString("description")).isEqualTo("merged");
        assertThat(s.getReference("company")).isEqualTo(acme.id());
        assertThat(result.merged()).containsExactly(dup.id(), third.id());
        assertThat(records("contact").get(ada.id())).isEqualTo(s);
        assertThat(records("contact").find(dup.id())).isEmpty();
        assertThat(records("contact").query(Query.where(Filters.all()).deleted(Query.Deleted.ONLY)).items())
                .extracting(Record::id).containsExactlyInAnyOrder(dup.id(), third.id());
    }

    @Test
    void everyReferenceAndRelationOfEveryTypeMovesToTheSurvivorInOneTransaction() {
        crm().schema().addObjectType(ObjectType.custom("ticket", "Ticket", Field.text("name").required(true),
                Field.reference("reporter", "contact"), Field.relation("watchers", "contact")));
        Record call = records("activity").create(Map.of("kind", "call", "subject", "Intro", "contact", dup.id(),
                "company", acme.id()));
        Record task = records("task").create(Map.of("subject", "Follow up", "contact", dup.id()));
        Record deal = records("deal").create(Map.of("name", "Big", "contact", dup.id(), "contacts",
                List.of(ada.id(), dup.id())));
        Record ticket = records("ticket").create(Map.of("name", "T1", "reporter", dup.id(), "watchers",
                List.of(dup.id())));
        records("ticket").delete(ticket.id(), ticket.version()); // soft-deleted records move too
        Record boss = records("contact").create(Map.of("last_name", "Babbage"));
        long start = crm().changeLog().lastSequence();

        MergeResult result = records("contact").merge(ada.id(), List.of(dup.id()));

        assertThat(records("activity").get(call.id()).getReference("contact")).isEqualTo(ada.id());
        assertThat(records("activity").get(call.id()).getReference("company")).isEqualTo(acme.id());
        assertThat(records("task").get(task.id()).getReference("contact")).isEqualTo(ada.id());
        Record movedDeal = records("deal").get(deal.id());
        assertThat(movedDeal.getReference("contact")).isEqualTo(ada.id());
        assertThat(movedDeal.<UUID>getList("contacts")).containsExactly(ada.id()); // no duplicate left
        Record movedTicket = records("ticket").query(Query.where(Filters.where("id").eq(ticket.id()))
                .deleted(Query.Deleted.ONLY)).items().get(0);
        assertThat(movedTicket.getReference("reporter")).isEqualTo(ada.id());
        assertThat(movedTicket.<UUID>getList("watchers")).containsExactly(ada.id());
        assertThat(records("contact").get(boss.id()).version()).isEqualTo(boss.version()); // untouched

        List<ChangeLogEntry> log = logAfter(start);
        assertThat(log).extracting(ChangeLogEntry::transactionId).containsOnly(result.transactionId());
        assertThat(log).extracting(ChangeLogEntry::recordId).containsExactlyInAnyOrder(ada.id(), dup.id(),
                call.id(), task.id(), deal.id(), deal.id(), ticket.id(), ticket.id());
        ChangeLogEntry deleted = log.stream().filter(e -> e.recordId().equals(dup.id())).findFirst().orElseThrow();
        assertThat(deleted.operation()).isEqualTo(Operation.DELETE);
        assertThat(deleted.change("merged_into")).contains(new FieldChange("merged_into", null, ada.id()));
        ChangeLogEntry survivor = log.stream().filter(e -> e.recordId().equals(ada.id())).findFirst().orElseThrow();
        assertThat(survivor.operation()).isEqualTo(Operation.UPDATE);
        assertThat(survivor.change("merged_from")).contains(new FieldChange("merged_from", null,
                List.of(dup.id())));

        // every affected timeline shows the merge
        assertThat(records("contact").timeline(ada.id())).last()
                .satisfies(e -> assertThat(e.change("merged_from")).isPresent());
        assertThat(records("contact").timeline(dup.id())).last()
                .satisfies(e -> assertThat(e.change("merged_into")).isPresent());
        assertThat(records("activity").timeline(call.id())).last().satisfies(e -> assertThat(e.change("contact"))
                .contains(new FieldChange("contact", dup.id(), ada.id())));
    }

    @Test
    void readingAMergedRecordNamesWhereItWent() {
        records("contact").merge(ada.id(), List.of(dup.id()));
        RecordMergedException e = catchThrowableOfType(RecordMergedException.class,
                () -> records("contact").get(dup.id()));
        assertThat(e.survivorId()).isEqualTo(ada.id());
        assertThat(e.code()).isEqualTo(ErrorCode.RECORD_MERGED);
        assertThat(e.recordId()).isEqualTo(dup.id());
        assertThat(e).isInstanceOf(NotFoundException.class);

        // a merge of the survivor: the trail is followed to the last record
        Record last = records("contact").create(values("last_name", "Last", "owner", "ann"));
        records("contact").merge(last.id(), List.of(ada.id()));
        assertThat(catchThrowableOfType(RecordMergedException.class, () -> records("contact").get(dup.id()))
                .survivorId()).isEqualTo(last.id());

        // a caller who may not see the records learns nothing: the plain NotFound
        CrmSession bob = crm().as(Principal.user("bob", Role.SALES_REP));
        assertThatThrownBy(() -> bob.records("contact").get(dup.id()))
                .isExactlyInstanceOf(NotFoundException.class).hasMessageNotContaining(last.id().toString());
        // the owner sees it: ann owns all three
        CrmSession ann = crm().as(Principal.user("ann", Role.SALES_REP));
        assertThat(catchThrowableOfType(RecordMergedException.class, () -> ann.records("contact").get(dup.id()))
                .survivorId()).isEqualTo(last.id());

        // merging a merged record again names the survivor too
        assertThatThrownBy(() -> records("contact").merge(last.id(), List.of(dup.id())))
                .isInstanceOf(RecordMergedException.class);

        // restoring a merged record makes it live again and drops its link
        Record deleted = records("contact").query(Query.where(Filters.where("id").eq(dup.id()))
                .deleted(Query.Deleted.ONLY)).items().get(0);
        records("contact").restore(dup.id(), deleted.version());
        assertThat(records("contact").get(dup.id()).isDeleted()).isFalse();
        Record again = records("contact").get(dup.id());
        records("contact").delete(dup.id(), again.version());
        assertThatThrownBy(() -> records("contact").get(dup.id())).isExactlyInstanceOf(NotFoundException.class);
    }

    @Test
    void aUniqueValueMovesToTheSurvivor() {
        defineWidget();
        Record a = records(WIDGET).create(values("name", "a"));
        Record b = records(WIDGET).create(values("name", "b", "code", "W-1"));
        Record c = records(WIDGET).create(values("name", "c", "code", "W-2"));
        assertThat(records(WIDGET).merge(a.id(), List.of(b.id(), c.id())).survivor().getString("code"))
                .isEqualTo("W-1");
        assertThatThrownBy(() -> records(WIDGET).create(values("name", "d", "code", "W-1")))
                .matches(error("code", FieldErrorCode.NOT_UNIQUE));
    }

    @Test
    void theChangeFeedShowsTheMergeNamingOnlyRecordsTheReaderMayKnow() {
        Record bobs = records("contact").create(values("last_name", "Lovelace", "email", "lovelace@example.com",
                "owner", "bob"));
        long start = crm().changeLog().lastSequence();
        records("contact").merge(ada.id(), List.of(dup.id(), bobs.id()));

        List<ChangeLogEntry> all = crm().as(Principal.SYSTEM).changes(start, 100).entries();
        assertThat(all).filteredOn(e -> e.recordId().equals(ada.id())).singleElement().satisfies(e -> assertThat(
                e.change("merged_from")).contains(new FieldChange("merged_from", null, List.of(dup.id(), bobs.id()))));
        assertThat(all).filteredOn(e -> e.recordId().equals(dup.id())).singleElement().satisfies(e -> assertThat(
                e.change("merged_into")).contains(new FieldChange("merged_into", null, ada.id())));

        // ann's scope is her own contacts: bob's merged contact is neither shown nor named
        List<ChangeLogEntry> anns = crm().as(Principal.user("ann", REP)).changes(start, 100).entries();
        assertThat(anns).extracting(ChangeLogEntry::recordId).containsOnly(ada.id(), dup.id());
        assertThat(anns).filteredOn(e -> e.recordId().equals(ada.id())).singleElement().satisfies(e -> assertThat(
                e.change("merged_from")).contains(new FieldChange("merged_from", null, List.of(dup.id()))));
    }

    @Test
    void theMergeLinkIsDurable() {
        records("contact").merge(ada.id(), List.of(dup.id()));
        Crm again = reopen();
        org.junit.jupiter.api.Assumptions.assumeTrue(again != null, "the storage cannot be reopened");
        assertThat(catchThrowableOfType(RecordMergedException.class,
                () -> again.as(Principal.SYSTEM).records("contact").get(dup.id())).survivorId())
                .isEqualTo(ada.id());
    }

    @Test
    void purgingAMergedRecordForgetsItsLink() {
        records("contact").merge(ada.id(), List.of(dup.id()));
        records("contact").purge(dup.id());
        assertThatThrownBy(() -> records("contact").get(dup.id())).isExactlyInstanceOf(NotFoundException.class);
    }

    @Test
    void mergedValuesAreValidatedAndNothingIsWrittenWhenTheyFail() {
        long start = crm().changeLog().lastSequence();
        assertThatThrownBy(() -> records("contact").merge(ada.id(), List.of(dup.id()),
                FieldChoices.defaults().value("last_name", null).value("email", "not an email")
                        .take("phone", UUID.randomUUID())))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(hasError(e, "last_name", FieldErrorCode.REQUIRED)).isTrue();
                    assertThat(hasError(e, "email", FieldErrorCode.INVALID_EMAIL)).isTrue();
                    assertThat(hasError(e, "phone", FieldErrorCode.INVALID_REFERENCE)).isTrue();
                });
        assertThat(logAfter(start)).isEmpty();
        assertThat(records("contact").get(dup.id()).version()).isEqualTo(dup.version());
    }

    @Test
    void hiddenAndReadOnlyFieldsCannotBeChosenAndHiddenValuesStayHidden() {
        records("contact").update(dup, Map.of("description", "secret"));
        CrmSession ann = crm().as(Principal.user("ann", REP));
        ValidationException hidden = catchThrowableOfType(ValidationException.class,
                () -> ann.records("contact").merge(ada.id(), List.of(dup.id()),
                        FieldChoices.defaults().take("description", dup.id())));
        ValidationException missing = catchThrowableOfType(ValidationException.class,
                () -> ann.records("contact").merge(ada.id(), List.of(dup.id()),
                        FieldChoices.defaults().take("no_such_field", dup.id())));
        ValidationException update = catchThrowableOfType(ValidationException.class,
                () -> ann.records("contact").update(ada.id(), ada.version(), Map.of("description", "x")));
        // the same answer as an update and as a field that does not exist (but for the name)
        assertThat(hidden.errors()).singleElement().satisfies(err -> {
            assertThat(err.code()).isEqualTo(FieldErrorCode.UNKNOWN_FIELD);
            assertThat(err).isEqualTo(update.errors().get(0));
        });
        assertThat(missing.errors().get(0).message()).isEqualTo(hidden.errors().get(0).message()
                .replace("description", "no_such_field"));
        assertThatThrownBy(() -> ann.records("contact").merge(ada.id(), List.of(dup.id()),
                FieldChoices.defaults().take("title", dup.id())))
                .matches(error("title", FieldErrorCode.READ_ONLY));

        MergeResult result = ann.records("contact").merge(ada.id(), List.of(dup.id()));
        assertThat(result.survivor().has("description")).isFalse();
        assertThat(records("contact").get(ada.id()).getString("description")).isEqualTo("secret"); // kept
        assertThat(ann.records("contact").timeline(ada.id())).allSatisfy(e -> assertThat(e.change("description"))
                .isEmpty());
    }

    @Test
    void theCallerNeedsUpdateOnTheSurvivorAndDeleteOnTheOthersInScope() {
        CrmSession editor = crm().as(Principal.user("ed", EDITOR));
        assertThatThrownBy(() -> editor.records("contact").merge(ada.id(), List.of(dup.id())))
                .isInstanceOf(AccessDeniedException.class);
        Record bobs = crm().as(Principal.user("bob", Role.SALES_REP)).records("contact")
                .create(Map.of("last_name", "Lovelace"));
        CrmSession ann = crm().as(Principal.user("ann", Role.SALES_REP));
        assertThatThrownBy(() -> ann.records("contact").merge(ada.id(), List.of(bobs.id())))
                .isExactlyInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> ann.records("contact").merge(bobs.id(), List.of(dup.id())))
                .isExactlyInstanceOf(NotFoundException.class);
        assertThat(records("contact").get(dup.id()).version()).isEqualTo(dup.version());
        assertThat(records("contact").get(bobs.id()).version()).isEqualTo(bobs.version());
    }

    @Test
    void badArgumentsAreRefusedByName() {
        assertThatThrownBy(() -> records("contact").merge(ada.id(), List.of()))
                .matches(error("others", FieldErrorCode.OUT_OF_RANGE));
        assertThatThrownBy(() -> records("contact").merge(ada.id(), List.of(ada.id())))
                .matches(error("others", FieldErrorCode.OUT_OF_RANGE));
        assertThatThrownBy(() -> records("contact").merge(ada.id(), List.of(dup.id(), dup.id())))
                .matches(error("others", FieldErrorCode.OUT_OF_RANGE));
        assertThatThrownBy(() -> records("contact").merge(ada.id(), List.of(acme.id())))
                .isExactlyInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> records("contact").merge(ada.id(), List.of(dup.id()),
                FieldChoices.defaults().take("version", dup.id())))
                .matches(error("version", FieldErrorCode.READ_ONLY));
    }

    @Test
    void aMergeInsideATransactionRollsBackWithIt() {
        assertThatThrownBy(() -> system().inTransactionDo(s -> {
            s.records("contact").merge(ada.id(), List.of(dup.id()));
            throw new IllegalStateException("changed my mind");
        })).hasMessage("changed my mind");
        assertThat(records("contact").get(dup.id()).version()).isEqualTo(dup.version());
        assertThat(records("contact").get(ada.id()).version()).isEqualTo(ada.version());
    }

    /**
     * A record written beside a merge never ends pointing at a merged-away record: the write waits for the merge
     * and is refused, the merge waits for the write and re-points it, or the merge is refused with a conflict (the
     * in-memory storage, which checks at commit). Whichever way the threads interleave, that holds; the pauses only
     * make the racy orders likely. Run once with the write's transaction open while the merge starts, once with the
     * merge's open while the write starts; for a reference (a task's contact) and a relation (a deal's contacts).
     */
    @Test
    void aWriteBesideAMergeNeverLeavesAReferenceToTheMergedAwayRecord() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (boolean relation : new boolean[] {false, true}) { // a task's contact, a deal's buying committee
                for (boolean writeFirst : new boolean[] {true, false}) {
                    raceAWriteAndAMerge(pool, relation, writeFirst);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void raceAWriteAndAMerge(ExecutorService pool, boolean relation, boolean writeFirst) throws Exception {
        String run = "relation=" + relation + " writeFirst=" + writeFirst;
        String type = relation ? "deal" : "task";
        Record keep = records("contact").create(values("last_name", "Keep", "owner", "ann"));
        Record gone = records("contact").create(values("last_name", "Gone", "owner", "ann"));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Callable<Object> write = () -> relation
                ? records("deal").create(Map.of("name", "beside", "contacts", List.of(gone.id()))).id()
                : records("task").create(Map.of("subject", "beside", "contact", gone.id())).id();
        Callable<Object> merge = () -> records("contact").merge(keep.id(), List.of(gone.id()));
        Callable<Object> first = writeFirst ? write : merge;
        Future<Object> held = pool.submit(() -> system().inTransaction(s -> {
            Object out;
            try {
                out = first.call();
                started.countDown();
                release.await();
            } catch (Exception e) {
                started.countDown();
                throw new IllegalStateException(e);
            }
            return out;
        }));
        started.await();
        Future<Object> other = pool.submit(writeFirst ? merge : write);
        Thread.sleep(300);
        release.countDown();
        List<Throwable> refused = new ArrayList<>();
        boolean written = false;
        for (Future<Object> f : List.of(held, other)) {
            try {
                f.get();
                written |= f == (writeFirst ? held : other);
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause() instanceof IllegalStateException ise && ise.getCause() != null
                        ? ise.getCause() : e.getCause();
                refused.add(cause);
            }
        }
        assertThat(refused).as(run).allSatisfy(e -> assertThat(e).satisfiesAnyOf(
                x -> assertThat(x).isInstanceOf(ConflictException.class),
                x -> assertThat(x).matches(error(relation ? "contacts" : "contact",
                        FieldErrorCode.INVALID_REFERENCE))));
        boolean merged = records("contact").find(gone.id()).isEmpty();
        Query beside = Query.where(Filters.where(relation ? "name" : "subject").eq("beside"));
        assertThat(records(type).query(beside).items()).as(run).hasSize(written ? 1 : 0);
        for (Record r : records(type).query(beside).items()) {
            if (relation) {
                assertThat(r.getList("contacts")).as(run).containsExactly(merged ? keep.id() : gone.id());
            } else {
                assertThat(r.getReference("contact")).as(run).isEqualTo(merged ? keep.id() : gone.id());
            }
            records(type).purge(r.id());
        }
    }

    /**
     * A merge racing edits of the records it touches: each run ends either merged in full or not at all (a
     * {@link ConflictException}), never half-way, and the edits that lost get a conflict too.
     */
    @Test
    void concurrentEditsMakeTheMergeFailCleanlyOrWaitForIt() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 6; round++) {
                Record s = records("contact").create(values("last_name", "S" + round));
                Record o = records("contact").create(values("last_name", "O" + round, "email", "o" + round
                        + "@example.com"));
                Record call = records("activity").create(Map.of("kind", "call", "subject", "c" + round,
                        "contact", o.id()));
                CountDownLatch go = new CountDownLatch(1);
                Future<Boolean> merge = pool.submit(() -> {
                    go.await();
                    try {
                        records("contact").merge(s.id(), List.of(o.id()));
                        return true;
                    } catch (ConflictException e) {
                        return false;
                    }
                });
                Future<Boolean> edit = pool.submit(() -> {
                    go.await();
                    try {
                        records("activity").update(call, Map.of("subject", "edited"));
                        records("contact").update(o, Map.of("title", "edited"));
                        return true;
                    } catch (ConflictException | NotFoundException e) {
                        return false;
                    }
                });
                go.countDown();
                boolean merged = merge.get(2, TimeUnit.MINUTES);
                edit.get(2, TimeUnit.MINUTES);
                Record activity = records("activity").get(call.id());
                if (merged) {
                    assertThat(activity.getReference("contact")).isEqualTo(s.id());
                    assertThat(records("contact").find(o.id())).isEmpty();
                    assertThat(records("contact").get(s.id()).getString("email")).isEqualTo("o" + round
                            + "@example.com");
                } else {
                    assertThat(activity.getReference("contact")).isEqualTo(o.id());
                    assertThat(records("contact").get(o.id()).isDeleted()).isFalse();
                    assertThat(records("contact").get(s.id()).version()).isEqualTo(s.version());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Property (QuickTheories): whatever records reference whatever contacts (activities, tasks, deals with a
     * contact and a buying committee, contacts reporting to contacts, custom relations), and whatever merges run
     * one after the other, no record of any type, live or soft-deleted, is left referencing a merged-away contact,
     * and no survivor references itself.
     */
    @Test
    void randomMergesNeverLeaveAReferenceToAMergedAwayRecord() {
        crm().schema().addField("contact", Field.reference("reports_to", "contact"));
        crm().schema().addObjectType(ObjectType.custom("ticket", "Ticket", Field.text("name").required(true),
                Field.relation("watchers", "contact")));
        Set<UUID> mergedAway = new HashSet<>();
        qt().withExamples(12).withShrinkCycles(10)
                .forAll(lists().of(integers().between(0, 1_000_000)).ofSizeBetween(4, 20),
                        lists().of(lists().of(integers().between(0, 7)).ofSizeBetween(2, 4)).ofSizeBetween(1, 4))
                .checkAssert((links, merges) -> runMerges(links, merges, mergedAway));
    }

    private void runMerges(List<Integer> links, List<List<Integer>> merges, Set<UUID> mergedAway) {
        List<UUID> contacts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Map<String, Object> v = new HashMap<>(Map.of("last_name", "P" + i));
            if (i > 0 && links.get(i % links.size()) % 3 == 0) {
                v.put("reports_to", contacts.get(links.get(i % links.size()) % i));
            }
            contacts.add(records("contact").create(v).id());
        }
        for (int i = 0; i < links.size(); i++) {
            int n = links.get(i);
            UUID a = contacts.get(n % 8);
            UUID b = contacts.get((n / 8) % 8);
            switch (n % 4) {
                case 0 -> records("activity").create(Map.of("kind", "note", "subject", "n" + i, "contact", a));
                case 1 -> records("task").create(Map.of("subject", "t" + i, "contact", a));
                case 2 -> records("deal").create(Map.of("name", "d" + i, "contact", a, "contacts", List.of(a, b)));
                default -> {
                    Record t = records("ticket").create(Map.of("name", "k" + i, "watchers", List.of(b, a)));
                    if (n % 3 == 0) {
                        records("ticket").delete(t.id(), t.version());
                    }
                }
            }
        }
        for (List<Integer> m : merges) {
            UUID survivor = contacts.get(m.get(0));
            List<UUID> others = m.subList(1, m.size()).stream().map(contacts::get).distinct()
                    .filter(id -> !id.equals(survivor) && !mergedAway.contains(id)).toList();
            if (mergedAway.contains(survivor) || others.isEmpty()) {
                continue;
            }
            records("contact").merge(survivor, others);
            mergedAway.addAll(others);
        }
        for (String type : List.of("contact", "activity", "task", "deal", "ticket")) {
            ObjectType t = crm().schema().snapshot().findObjectType(type).orElseThrow();
            for (Record r : all(records(type), Query.all().deleted(Query.Deleted.INCLUDE).limit(1000))) {
                for (Field f : t.fields()) {
                    if (!"contact".equals(f.target())) {
                        continue;
                    }
                    List<Object> held = r.get(f.name()) instanceof List<?> l ? List.copyOf(l)
                            : r.get(f.name()) == null ? List.of() : List.of(r.get(f.name()));
                    assertThat(held.stream().filter(mergedAway::contains).toList()).as("%s %s.%s", type, r.id(),
                            f.name()).isEmpty();
                    if (type.equals("contact") && !r.isDeleted()) {
                        assertThat(held).as("%s refers to itself", r.id()).doesNotContain(r.id());
                    }
                }
            }
        }
    }
}
