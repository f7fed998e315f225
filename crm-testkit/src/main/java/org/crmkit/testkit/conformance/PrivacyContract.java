package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.crmkit.CrmBuilder;
import org.crmkit.CrmSession;
import org.crmkit.error.AccessDeniedException;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.SchemaException;
import org.crmkit.error.UnsupportedFeatureException;
import org.crmkit.error.ValidationException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.event.Operation;
import org.crmkit.privacy.Erasure;
import org.crmkit.privacy.Privacy;
import org.crmkit.privacy.Pruning;
import org.crmkit.privacy.RecordField;
import org.crmkit.privacy.Subject;
import org.crmkit.privacy.SubjectData;
import org.crmkit.record.Record;
import org.crmkit.security.AdminPermission;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.crmkit.storage.spi.DocumentStore;
import org.crmkit.storage.spi.PrivacyStore;
import org.crmkit.storage.spi.StorageTransaction;
import org.crmkit.testkit.SettableClock;
import org.crmkit.workflow.spi.JobQueue;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * GDPR operations ({@code session.privacy()}): finding and exporting everything held about a person (records named
 * by id, email or phone across types, their activities and tasks, their change-log entries, other entries that
 * mention their values), whatever the caller's field access; erasing it (records purged, organisation fields
 * emptied, references cleared, change-log values and job payloads redacted, the erasure recorded without the
 * person); change-log retention per type without moving the log's last sequence; refusal without the permission.
 */
public abstract class PrivacyContract extends ConformanceContract {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    /** As typed; stored with the domain in lower case. */
    private static final String EMAIL = "Ada.Lovelace@Example.COM";
    private static final String STORED_EMAIL = "Ada.Lovelace@example.com";
    private static final String OLD_EMAIL = "ada@old-engines.example.org";
    private static final String PHONE = "+44 20 7946 0958";
    private static final String E164 = "+442079460958";
    private static final String MOBILE = "+44 7911 123456";

    private final SettableClock clock = SettableClock.at(T0);

    @Override
    protected CrmBuilder configure(CrmBuilder builder) {
        return builder.clock(clock).defaultPhoneRegion("GB");
    }

    /** The person's records and the records around them. */
    private record People(Record contact, Record lead, Record call, Record task, Record deal, Record company,
            Record other, Record unrelated) {}

    private People people() {
        Record company = records("company").create(values("name", "Analytical Engines", "phone", PHONE));
        Record contact = records("contact").create(values("first_name", "Ada", "last_name", "Lovelace", "email",
                OLD_EMAIL, "phone", PHONE, "mobile", MOBILE, "company", company.id()));
        contact = records("contact").update(contact.id(), contact.version(), values("email", EMAIL));
        Record lead = records("lead").create(values("last_name", "Lovelace", "email",
                STORED_EMAIL.toLowerCase(Locale.ROOT)));
        Record call = records("activity").create(values("kind", "call", "subject", "Call about the engine",
                "body", "Ada asked about the difference engine", "contact", contact.id(), "company", company.id()));
        Record task = records("task").create(values("subject", "Send the plans", "lead", lead.id()));
        Record deal = records("deal").create(values("name", "Engine No. 2", "contact", contact.id(), "company",
                company.id()));
        Record other = records("contact").create(values("last_name", "Babbage", "description",
                "assistant: " + STORED_EMAIL));
        other = records("contact").update(other.id(), other.version(), values("description", "assistant: left"));
        Record unrelated = records("activity").create(values("kind", "note", "subject", "Board meeting", "company",
                company.id()));
        return new People(contact, lead, call, task, deal, company, other, unrelated);
    }

    private Privacy privacy() {
        return system().privacy();
    }

    private boolean privacyKept() {
        return storageUnderTest().extension(PrivacyStore.class).isPresent()
                && storageUnderTest().extension(DocumentStore.class).isPresent();
    }

    private void assumePrivacyKept() {
        Assumptions.assumeTrue(privacyKept(), () -> capabilities().name() + " keeps no privacy extension");
    }

    private static Role dpo() {
        return Role.builder("dpo").grant(Role.ANY_TYPE, RecordScope.OWN, Permission.READ)
                .field("contact", "phone", FieldAccess.HIDDEN).field("contact", "email", FieldAccess.HIDDEN)
                .allow(AdminPermission.MANAGE_PRIVACY).build();
    }

    private static Set<UUID> ids(List<Record> records) {
        return records.stream().map(Record::id).collect(Collectors.toSet());
    }

    private static boolean holds(@Nullable Object value, String text) {
        return value != null && value.toString().toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT));
    }

    private static boolean mentions(ChangeLogEntry e, String text) {
        return e.changes().stream().anyMatch(c -> holds(c.oldValue(), text) || holds(c.newValue(), text));
    }

    // ---- finding and exporting ---------------------------------------------------------------------------

    @Test
    void findsThePersonsRecordsAcrossTypesTheirHistoryAndWhereTheirValuesAppear() {
        People p = people();
        SubjectData data = privacy().find(Subject.email(EMAIL));

        assertThat(ids(data.records())).containsExactlyInAnyOrder(p.contact().id(), p.lead().id(), p.call().id(),
                p.task().id());
        assertThat(data.cleared()).containsExactly(new RecordField("company", p.company().id(), "phone"));
        assertThat(data.references()).contains(new RecordField("deal", p.deal().id(), "contact"));
        assertThat(data.references()).noneMatch(f -> f.recordId().equals(p.unrelated().id()));
        assertThat(data.history()).extracting(ChangeLogEntry::recordId).containsOnly(p.contact().id(),
                p.lead().id(), p.call().id(), p.task().id());
        assertThat(data.history()).anyMatch(e -> e.operation() == Operation.UPDATE && e.change("email")
                .map(c -> OLD_EMAIL.equals(c.oldValue())).orElse(false));
        assertThat(data.mentions()).extracting(ChangeLogEntry::recordId).contains(p.other().id(), p.company().id())
                .doesNotContain(p.contact().id(), p.deal().id());
        assertThat(data.identifiers().emails()).containsExactly(STORED_EMAIL);
        Record contact = data.records().stream().filter(r -> r.id().equals(p.contact().id())).findFirst()
                .orElseThrow();
        assertThat(contact.values()).containsEntry("email", STORED_EMAIL).containsEntry("phone", E164);
    }

    @Test
    void aRecordIdNamesThePersonByItsEmailsAndPhonesToo() {
        People p = people();
        SubjectData data = privacy().find(Subject.record(p.contact().id()));
        assertThat(ids(data.records())).containsExactlyInAnyOrder(p.contact().id(), p.lead().id(), p.call().id(),
                p.task().id());
        assertThat(data.identifiers().phones()).contains(E164, "+447911123456");
        assertThat(data.identifiers().recordIds()).containsExactly(p.contact().id());

        SubjectData byPhone = privacy().find(Subject.phone("020 7946 0958"));
        assertThat(ids(byPhone.records())).containsExactlyInAnyOrder(p.contact().id(), p.call().id());
        // the lead holds the contact's email: found by phone, the person's other values are emptied where kept
        assertThat(byPhone.cleared()).containsExactlyInAnyOrder(new RecordField("company", p.company().id(),
                "phone"), new RecordField("lead", p.lead().id(), "email"));
    }

    @Test
    void theExportIsOneJsonDocumentOfEverythingWhateverTheCallersFieldAccess() throws IOException {
        People p = people();
        CrmSession officer = crm().as(Principal.user("dpo-1", dpo()));
        StringWriter out = new StringWriter();
        officer.privacy().export(Subject.email(EMAIL).andPhone(PHONE), out);
        JsonNode json = new ObjectMapper().readTree(out.toString());

        assertThat(json.path("format").asInt()).isEqualTo(1);
        assertThat(json.path("subject").path("emails").get(0).asText()).isEqualTo(STORED_EMAIL);
        assertThat(json.path("records")).hasSize(4);
        JsonNode contact = null;
        for (JsonNode r : json.path("records")) {
            if (r.path("id").asText().equals(p.contact().id().toString())) {
                contact = r;
            }
        }
        assertThat(contact).isNotNull();
        // fields hidden from the officer and records outside their scope are in the export all the same
        assertThat(contact.path("values").path("email").asText()).isEqualTo(STORED_EMAIL);
        assertThat(contact.path("values").path("phone").asText()).isEqualTo(E164);
        assertThat(contact.path("type").asText()).isEqualTo("contact");
        assertThat(json.path("history").size()).isGreaterThanOrEqualTo(5);
        assertThat(json.path("mentions").size()).isGreaterThanOrEqualTo(3);
        assertThat(out.toString()).contains(OLD_EMAIL);
        assertThat(json.path("references").toString()).contains(p.deal().id().toString());
        assertThat(json.path("cleared").toString()).contains(p.company().id().toString());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        officer.privacy().export(Subject.email(EMAIL), bytes);
        assertThat(new ObjectMapper().readTree(bytes.toByteArray()).path("records")).hasSize(4);
    }

    @Test
    void withoutThePermissionNothingIsReadOrChanged() {
        People p = people();
        Role everything = Role.builder("all").grant(Role.ANY_TYPE, RecordScope.ALL, Permission.values())
                .allow(AdminPermission.MANAGE_RULES, AdminPermission.MANAGE_REPORTS).build();
        Privacy rep = crm().as(Principal.user("rep", everything)).privacy();
        Subject s = Subject.email(EMAIL);
        assertThatThrownBy(() -> rep.find(s)).isInstanceOf(AccessDeniedException.class)
                .hasMessageNotContaining(STORED_EMAIL);
        assertThatThrownBy(() -> rep.export(s, new StringWriter())).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> rep.erase(s)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(rep::erasures).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> rep.retain("contact", Duration.ofDays(1))).isInstanceOf(
                AccessDeniedException.class);
        assertThatThrownBy(rep::retention).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(rep::prune).isInstanceOf(AccessDeniedException.class);
        assertThat(records("contact").find(p.contact().id())).isPresent();
    }

    @Test
    void aSubjectIsCheckedBeforeAnythingIsRead() {
        assertThatThrownBy(() -> privacy().find(new Subject(Set.of(), Set.of(), Set.of())))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(hasError(e, "subject",
                        FieldErrorCode.REQUIRED)).isTrue());
        assertThatThrownBy(() -> privacy().find(Subject.email("not an address")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .extracting(x -> x.field()).containsExactly("email"));
        assertThatThrownBy(() -> privacy().erase(Subject.phone("12")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .extracting(x -> x.field()).containsExactly("phone"));
    }

    @Test
    void privacyRunsInTransactionsOfItsOwn() {
        assertThatThrownBy(() -> system().inTransaction(s -> s.privacy().find(Subject.email(EMAIL))))
                .isInstanceOf(org.crmkit.error.CrmException.class).hasMessageContaining("outside inTransaction");
    }

    // ---- erasure -----------------------------------------------------------------------------------------

    @Test
    void erasurePurgesThePersonKeepsOthersAndLeavesNoValueInTheLog() {
        assumePrivacyKept();
        People p = people();
        long before = crm().changeLog().lastSequence();
        CrmSession officer = crm().as(Principal.user("dpo-1", dpo()));

        Erasure e = officer.privacy().erase(Subject.email(EMAIL));

        assertThat(e.recordsErased()).containsExactlyInAnyOrderEntriesOf(Map.of("contact", 1, "lead", 1,
                "activity", 1, "task", 1));
        assertThat(e.principalId()).isEqualTo("dpo-1");
        assertThat(e.valuesCleared()).isEqualTo(1);
        assertThat(e.referencesCleared()).isGreaterThanOrEqualTo(1);
        assertThat(e.changesRedacted()).isGreaterThan(0);
        for (Record r : List.of(p.contact(), p.lead(), p.call(), p.task())) {
            assertThat(records(r.type()).find(r.id())).as(r.type()).isEmpty();
        }
        Record deal = records("deal").get(p.deal().id());
        assertThat(deal.values()).doesNotContainKey("contact").containsEntry("company", p.company().id());
        Record company = records("company").get(p.company().id());
        assertThat(company.values()).doesNotContainKey("phone").containsEntry("name", "Analytical Engines");
        assertThat(records("contact").find(p.other().id())).isPresent();
        assertThat(records("activity").find(p.unrelated().id())).isPresent();

        List<ChangeLogEntry> log = logAfter(0);
        for (String value : List.of(STORED_EMAIL, OLD_EMAIL, E164, "+447911123456", "Lovelace",
                "difference engine")) {
            assertThat(log).as(value).noneMatch(x -> mentions(x, value));
        }
        // the entries of erased records stay, as an audit trail of who changed what and when, without values
        List<ChangeLogEntry> contactLog = log.stream().filter(x -> x.recordId().equals(p.contact().id())).toList();
        assertThat(contactLog).extracting(ChangeLogEntry::operation).containsExactly(Operation.CREATE,
                Operation.UPDATE, Operation.PURGE);
        assertThat(contactLog.get(1).change("email")).hasValueSatisfying(c -> {
            assertThat(c.oldValue()).isNull();
            assertThat(c.newValue()).isNull();
        });
        assertThat(contactLog.get(2).principalId()).isEqualTo("dpo-1");
        // another record's history keeps its change, with the value replaced
        assertThat(log.stream().filter(x -> x.recordId().equals(p.other().id())).flatMap(x -> x.changes().stream())
                .map(FieldChange::newValue)).contains("assistant: [erased]");
        assertThat(crm().changeLog().lastSequence()).isGreaterThan(before);

        SubjectData after = privacy().find(Subject.email(EMAIL).andPhone(PHONE));
        assertThat(after.records()).isEmpty();
        assertThat(after.history()).isEmpty();
        assertThat(after.mentions()).isEmpty();
        assertThat(after.cleared()).isEmpty();
    }

    @Test
    void anErasureIsRecordedWithoutThePerson() {
        assumePrivacyKept();
        people();
        Erasure e = privacy().erase(Subject.email(EMAIL));
        List<Erasure> all = privacy().erasures();
        assertThat(all).hasSize(1);
        Erasure kept = all.get(0);
        assertThat(kept.id()).isEqualTo(e.id());
        assertThat(kept.principalId()).isEqualTo(Principal.SYSTEM_ID);
        assertThat(kept.recordsErased()).isEqualTo(e.recordsErased());
        assertThat(kept.at()).isEqualTo(T0);
        DocumentStore docs = storageUnderTest().extension(DocumentStore.class).orElseThrow();
        for (DocumentStore.StoredDocument d : docs.history("crmkit_erasure", e.id().toString())) {
            assertThat(d.body()).doesNotContainIgnoringCase(STORED_EMAIL).doesNotContain(E164)
                    .doesNotContainIgnoringCase("lovelace");
        }
        clock.advance(Duration.ofMinutes(1));
        Erasure nothing = privacy().erase(Subject.email("nobody@example.com"));
        assertThat(nothing.records()).isZero();
        assertThat(privacy().erasures()).extracting(Erasure::id).containsExactly(e.id(), nothing.id());
    }

    @Test
    void erasureRedactsWorkflowJobs() {
        assumePrivacyKept();
        Assumptions.assumeTrue(storageUnderTest().extension(JobQueue.class).isPresent());
        people();
        JobQueue queue = storageUnderTest().extension(JobQueue.class).orElseThrow();
        UUID aboutAda = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        String payload = "{\"prior\":{\"email\":\"\\\"" + STORED_EMAIL.toLowerCase(Locale.ROOT) + "\\\"\",\"phone\":\""
                + E164 + "\"}}";
        try (StorageTransaction tx = storageUnderTest().begin()) {
            queue.enqueue(tx, List.of(new JobQueue.NewJob(aboutAda, "rules", "k-ada", null, payload, T0, T0),
                    new JobQueue.NewJob(other, "rules", "k-other", null, "{\"prior\":{\"x\":\"y\"}}", T0, T0)));
            tx.commit();
        }
        Erasure e = privacy().erase(Subject.email(EMAIL));
        assertThat(e.jobsRedacted()).isEqualTo(1);
        String now = queue.find(aboutAda).orElseThrow().payload();
        assertThat(now).doesNotContainIgnoringCase(STORED_EMAIL).doesNotContain(E164).contains("[erased]");
        assertThat(queue.find(other).orElseThrow().payload()).isEqualTo("{\"prior\":{\"x\":\"y\"}}");
    }

    @Test
    void aStorageWithoutThePrivacyExtensionRefusesErasureAndRetentionClearly() {
        Assumptions.assumeFalse(privacyKept());
        people();
        assertThat(privacy().find(Subject.email(EMAIL)).records()).hasSize(4);
        for (Runnable call : List.<Runnable>of(() -> privacy().erase(Subject.email(EMAIL)),
                () -> privacy().erasures(), () -> privacy().retain("contact", Duration.ofDays(1)),
                () -> privacy().retention(), () -> privacy().prune())) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(UnsupportedFeatureException.class,
                    x -> assertThat(x.feature()).isEqualTo("PRIVACY"));
        }
        assertThat(records("contact").count(org.crmkit.query.Filters.where("last_name").eq("Lovelace")))
                .isEqualTo(1);
    }

    // ---- retention ---------------------------------------------------------------------------------------

    @Test
    void retentionPrunesOldEntriesPerTypeAndNeverTheNewest() {
        assumePrivacyKept();
        Record old = records("contact").create(values("last_name", "Old"));
        Record oldDeal = records("deal").create(values("name", "Old deal"));
        Record last = records("contact").create(values("last_name", "Last"));
        long lastSeq = crm().changeLog().lastSequence();
        clock.advance(Duration.ofDays(40));
        privacy().retain("contact", Duration.ofDays(30));
        assertThat(privacy().retention()).containsExactly(Map.entry("contact", Duration.ofDays(30)));

        Pruning first = privacy().prune();
        assertThat(first.deleted()).containsExactly(Map.entry("contact", 1L));
        assertThat(first.principalId()).isEqualTo(Principal.SYSTEM_ID);
        // the newest entry of the log stays, though it is old: the log's last sequence never goes back
        assertThat(crm().changeLog().lastSequence()).isEqualTo(lastSeq);
        assertThat(logAfter(0)).extracting(ChangeLogEntry::recordId).containsExactly(oldDeal.id(), last.id());
        assertThat(crm().changeLog().read(0, 10)).extracting(ChangeLogEntry::sequence).containsExactly(lastSeq - 1,
                lastSeq);

        Record young = records("contact").create(values("last_name", "Young"));
        Pruning second = privacy().prune();
        assertThat(second.total()).isEqualTo(1);
        assertThat(logAfter(0)).extracting(ChangeLogEntry::recordId).containsExactly(oldDeal.id(), young.id());
        assertThat(crm().changeLog().read(lastSeq - 1, 10)).extracting(ChangeLogEntry::recordId)
                .containsExactly(young.id());
        assertThat(records("contact").get(old.id()).values()).containsEntry("last_name", "Old");
        assertThat(system().changes(0, 10).entries()).extracting(ChangeLogEntry::recordId).containsExactly(
                oldDeal.id(), young.id());

        privacy().retain("contact", null);
        assertThat(privacy().retention()).isEmpty();
        assertThat(privacy().prune().total()).isZero();
    }

    @Test
    void retentionSettingsAreCheckedAndKept() {
        assumePrivacyKept();
        assertThatThrownBy(() -> privacy().retain("no_such_type", Duration.ofDays(1)))
                .isInstanceOf(SchemaException.class);
        assertThatThrownBy(() -> privacy().retain("contact", Duration.ZERO))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(hasError(e, "maxAge",
                        FieldErrorCode.OUT_OF_RANGE)).isTrue());
        assertThatThrownBy(() -> privacy().retain("contact", Duration.ofDays(-1)))
                .isInstanceOf(ValidationException.class);
        privacy().retain("activity", Duration.ofDays(365));
        privacy().retain("task", Duration.ofDays(90));
        assertThat(privacy().retention()).isEqualTo(Map.of("activity", Duration.ofDays(365), "task",
                Duration.ofDays(90)));
        var again = reopen();
        if (again != null) {
            assertThat(again.as(Principal.SYSTEM).privacy().retention()).isEqualTo(Map.of("activity",
                    Duration.ofDays(365), "task", Duration.ofDays(90)));
        }
    }
}
