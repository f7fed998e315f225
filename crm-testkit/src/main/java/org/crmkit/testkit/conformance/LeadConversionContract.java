package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.CrmSession;
import org.crmkit.error.AccessDeniedException;
import org.crmkit.error.ErrorCode;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.LeadConvertedException;
import org.crmkit.error.NotFoundException;
import org.crmkit.error.ValidationException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.Operation;
import org.crmkit.lead.Conversion;
import org.crmkit.lead.ConversionResult;
import org.crmkit.query.Filters;
import org.crmkit.record.Record;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lead conversion ({@code session.leads().convert}): what the lead becomes, linking and matching existing records,
 * the one change-log transaction, refusals that write nothing, and access control on every record read or written.
 */
public abstract class LeadConversionContract extends ConformanceContract {
    private CrmSession ann;
    private CrmSession bob;

    @BeforeEach
    void users() {
        ann = crm().as(Principal.user("ann", Role.SALES_REP));
        bob = crm().as(Principal.user("bob", Role.SALES_REP));
    }

    private Record lead(CrmSession s, @Nullable Object... more) {
        Map<String, @Nullable Object> v = new java.util.HashMap<>(Map.of("first_name", "Ada", "last_name", "Lovelace",
                "email", "Ada@Example.com", "phone", "+44 20 7946 0958", "company_name", "Analytical Engines Ltd",
                "title", "Countess", "description", "met at the fair", "status", "qualified"));
        for (int i = 0; i < more.length; i += 2) {
            v.put((String) java.util.Objects.requireNonNull(more[i]), more[i + 1]);
        }
        return s.records("lead").create(v);
    }

    @Test
    void aLeadBecomesContactCompanyAndDealInOneTransaction() {
        Record lead = lead(ann);
        Record call = ann.records("activity").create(Map.of("kind", "call", "subject", "intro", "lead", lead.id()));
        Record task = ann.records("task").create(Map.of("subject", "send deck", "lead", lead.id()));
        long before = crm().changeLog().lastSequence();

        ConversionResult r = ann.leads().convert(lead.id(), Conversion.builder()
                .createDeal("sales", "qualification", "Engines for Ada",
                        Map.of("amount", org.crmkit.record.Money.of("1200.00", "EUR")))
                .build());

        assertThat(r.leadId()).isEqualTo(lead.id());
        assertThat(r.contactCreated()).isTrue();
        assertThat(r.companyCreated()).isTrue();
        Record contact = ann.records("contact").get(r.contactId());
        assertThat(contact.getString("first_name")).isEqualTo("Ada");
        assertThat(contact.getString("last_name")).isEqualTo("Lovelace");
        assertThat(contact.getString("email")).isEqualTo("Ada@example.com");
        assertThat(contact.getString("phone")).isEqualTo("+442079460958");
        assertThat(contact.getString("title")).isEqualTo("Countess");
        assertThat(contact.getString("description")).isEqualTo("met at the fair");
        assertThat(contact.getReference("company")).isEqualTo(r.companyId());
        assertThat(contact.owner()).isEqualTo("ann");
        Record company = ann.records("company").get(r.company().orElseThrow());
        assertThat(company.getString("name")).isEqualTo("Analytical Engines Ltd");
        Record deal = ann.records("deal").get(r.deal().orElseThrow());
        assertThat(deal.getString("name")).isEqualTo("Engines for Ada");
        assertThat(deal.getString("pipeline")).isEqualTo("sales");
        assertThat(deal.getString("stage")).isEqualTo("qualification");
        assertThat(deal.getReference("company")).isEqualTo(company.id());
        assertThat(deal.getReference("contact")).isEqualTo(contact.id());
        assertThat(deal.getMoney("amount")).isNotNull();

        Record converted = ann.records("lead").get(lead.id());
        assertThat(converted.getString("status")).isEqualTo("converted");
        assertThat(converted.getInstant("converted_at")).isNotNull().isBeforeOrEqualTo(Instant.now());
        assertThat(converted.getReference("converted_contact")).isEqualTo(contact.id());
        assertThat(converted.getReference("converted_company")).isEqualTo(company.id());
        assertThat(converted.getReference("converted_deal")).isEqualTo(deal.id());

        Record callAfter = ann.records("activity").get(call.id());
        assertThat(callAfter.getReference("contact")).isEqualTo(contact.id());
        assertThat(callAfter.getReference("company")).isEqualTo(company.id());
        assertThat(callAfter.getReference("deal")).isEqualTo(deal.id());
        assertThat(callAfter.getReference("lead")).isEqualTo(lead.id());
        assertThat(ann.records("task").get(task.id()).getReference("contact")).isEqualTo(contact.id());
        assertThat(r.activityIds()).containsExactly(call.id());
        assertThat(r.taskIds()).containsExactly(task.id());

        List<ChangeLogEntry> log = logAfter(before);
        assertThat(log).extracting(ChangeLogEntry::transactionId).containsOnly(log.get(0).transactionId());
        assertThat(log).extracting(ChangeLogEntry::recordId).contains(lead.id(), contact.id(), company.id(),
                deal.id(), call.id(), task.id());
        List<ChangeLogEntry> timeline = ann.records("lead").timeline(lead.id());
        ChangeLogEntry last = timeline.get(timeline.size() - 1);
        assertThat(last.operation()).isEqualTo(Operation.UPDATE);
        assertThat(last.change("status").orElseThrow().newValue()).isEqualTo("converted");
        assertThat(last.change("converted_contact").orElseThrow().newValue()).isEqualTo(contact.id());
        assertThat(ann.records("contact").timeline(contact.id())).extracting(ChangeLogEntry::transactionId)
                .contains(last.transactionId());
    }

    @Test
    void withoutACompanyNameOrWithNoCompanyThereIsNone() {
        Record nameless = lead(ann, "company_name", null);
        ConversionResult r = ann.leads().convert(nameless.id());
        assertThat(r.company()).isEmpty();
        assertThat(r.deal()).isEmpty();
        assertThat(ann.records("contact").get(r.contactId()).getReference("company")).isNull();
        assertThat(ann.records("lead").get(nameless.id()).getReference("converted_company")).isNull();

        Record named = lead(ann);
        ConversionResult none = ann.leads().convert(named.id(), Conversion.builder().noCompany().build());
        assertThat(none.company()).isEmpty();
        assertThat(ann.records("company").count(Filters.all())).isZero();
    }

    @Test
    void existingContactAndCompanyAreLinkedAndTheContactGetsTheCompany() {
        Record company = ann.records("company").create(Map.of("name", "Existing Co"));
        Record contact = ann.records("contact").create(Map.of("last_name", "Existing"));
        Record lead = lead(ann);
        ConversionResult r = ann.leads().convert(lead.id(), Conversion.builder().linkContact(contact.id())
                .linkCompany(company.id()).build());
        assertThat(r.contactId()).isEqualTo(contact.id());
        assertThat(r.contactCreated()).isFalse();
        assertThat(r.companyId()).isEqualTo(company.id());
        assertThat(r.companyCreated()).isFalse();
        Record linked = ann.records("contact").get(contact.id());
        assertThat(linked.getReference("company")).isEqualTo(company.id());
        assertThat(linked.getString("last_name")).as("a linked contact keeps its values").isEqualTo("Existing");
        assertThat(ann.records("contact").count(Filters.all())).isEqualTo(1);
        assertThat(ann.records("company").count(Filters.all())).isEqualTo(1);
    }

    @Test
    void matchingFindsCompanyAndContactExactlyOrByTheDuplicateRulesAmongVisibleRecords() {
        Record cafe = ann.records("company").create(Map.of("name", "Café Crème GmbH"));
        Record ada = ann.records("contact").create(Map.of("last_name", "L", "email", "ada@EXAMPLE.com"));
        Record lead = lead(ann, "company_name", "CAFE creme gmbh");
        ConversionResult r = ann.leads().convert(lead.id(), Conversion.builder().matchExistingCompany()
                .matchExistingContact().build());
        assertThat(r.companyId()).isEqualTo(cafe.id());
        assertThat(r.companyCreated()).isFalse();
        assertThat(r.contactId()).isEqualTo(ada.id());
        assertThat(r.contactCreated()).isFalse();
        assertThat(ann.records("contact").get(ada.id()).getReference("company")).isEqualTo(cafe.id());

        // bob cannot see ann's company and contact: he gets new ones, and learns nothing of hers
        Record bobs = lead(bob, "company_name", "Cafe Creme GmbH");
        ConversionResult b = bob.leads().convert(bobs.id(), Conversion.builder().matchExistingCompany()
                .matchExistingContact().build());
        assertThat(b.companyCreated()).isTrue();
        assertThat(b.companyId()).isNotEqualTo(cafe.id());
        assertThat(b.contactCreated()).isTrue();
        assertThat(b.contactId()).isNotEqualTo(ada.id());

        // what the exact match misses, the duplicate rules find: a company name without its legal form, a contact
        // whose first name is a typo of the lead's, with the same last name and phone
        Record adah = ann.records("contact").create(Map.of("first_name", "Adah", "last_name", "Lovelace", "phone",
                "+442079460958"));
        Record other = lead(ann, "company_name", "Café Crème", "email", "someone@else.org");
        ConversionResult o = ann.leads().convert(other.id(), Conversion.builder().matchExistingCompany()
                .matchExistingContact().build());
        assertThat(o.companyId()).isEqualTo(cafe.id());
        assertThat(o.contactId()).isEqualTo(adah.id());

        Record noir = lead(ann, "company_name", "Café Noir", "first_name", "Grace", "last_name", "Hopper", "email",
                "grace@navy.example", "phone", null);
        ConversionResult n = ann.leads().convert(noir.id(), Conversion.builder().matchExistingCompany()
                .matchExistingContact().build());
        assertThat(n.companyCreated()).as("a name that shares a word with another is no match").isTrue();
        assertThat(n.contactCreated()).isTrue();
    }

    @Test
    void convertingAConvertedLeadIsRefusedAndWritesNothing() {
        Record lead = lead(ann);
        ann.leads().convert(lead.id());
        long before = crm().changeLog().lastSequence();
        assertThatThrownBy(() -> ann.leads().convert(lead.id())).isInstanceOfSatisfying(
                LeadConvertedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_CONVERTED);
                    assertThat(e.leadId()).isEqualTo(lead.id());
                    assertThat(e.getMessage()).contains(lead.id().toString()).contains("converted already");
                });
        assertThat(logAfter(before)).isEmpty();
        assertThat(ann.records("contact").count(Filters.all())).isEqualTo(1);
    }

    @Test
    void aLeadOutOfScopeOrMissingIsNotFoundAsGetSays() {
        Record bobs = lead(bob);
        long before = crm().changeLog().lastSequence();
        for (UUID id : List.of(bobs.id(), UUID.randomUUID())) {
            assertThatThrownBy(() -> ann.leads().convert(id)).isInstanceOfSatisfying(NotFoundException.class,
                    e -> assertThat(e.getMessage()).isEqualTo(new NotFoundException("lead", id).getMessage()));
        }
        records("lead").delete(bobs.id(), bobs.version());
        assertThatThrownBy(() -> bob.leads().convert(bobs.id())).isInstanceOf(NotFoundException.class);
        assertThat(logAfter(before)).hasSize(1); // only the delete
    }

    @Test
    void linkingARecordOutOfScopeIsNotFoundAndNothingIsWritten() {
        Record bobsContact = bob.records("contact").create(Map.of("last_name", "Hidden"));
        Record bobsCompany = bob.records("company").create(Map.of("name", "Hidden Co"));
        Record lead = lead(ann);
        long before = crm().changeLog().lastSequence();
        assertThatThrownBy(() -> ann.leads().convert(lead.id(), Conversion.builder().linkContact(bobsContact.id())
                .build())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> ann.leads().convert(lead.id(), Conversion.builder().linkCompany(bobsCompany.id())
                .build())).isInstanceOf(NotFoundException.class);
        assertThat(logAfter(before)).isEmpty();
        assertThat(ann.records("lead").get(lead.id()).getString("status")).isEqualTo("qualified");
    }

    @Test
    void aFieldTheCallerMayNotWriteRefusesTheWholeConversion() {
        Role noTitles = Role.builder("no_titles")
                .grant(Role.ANY_TYPE, RecordScope.OWN, Permission.CREATE, Permission.READ, Permission.UPDATE)
                .field("contact", "title", FieldAccess.READ_ONLY).build();
        CrmSession cat = crm().as(Principal.user("cat", noTitles));
        Record lead = lead(cat);
        Record call = cat.records("activity").create(Map.of("kind", "call", "subject", "x", "lead", lead.id()));
        long before = crm().changeLog().lastSequence();
        assertThatThrownBy(() -> cat.leads().convert(lead.id(), Conversion.builder()
                .createDeal("sales", "proposal", "D").build()))
                .isInstanceOfAny(ValidationException.class, AccessDeniedException.class)
                .hasMessageContaining("title");
        assertThat(logAfter(before)).as("no partial writes").isEmpty();
        assertThat(records("company").count(Filters.all())).isZero();
        assertThat(records("contact").count(Filters.all())).isZero();
        assertThat(records("deal").count(Filters.all())).isZero();
        assertThat(records("activity").get(call.id()).getReference("contact")).isNull();
    }

    @Test
    void aHiddenLeadFieldIsNotCopied() {
        Role noPhones = Role.builder("no_phones")
                .grant(Role.ANY_TYPE, RecordScope.OWN, Permission.CREATE, Permission.READ, Permission.UPDATE)
                .field("lead", "phone", FieldAccess.HIDDEN).build();
        CrmSession dan = crm().as(Principal.user("dan", noPhones));
        Record lead = records("lead").create(Map.of("last_name", "Quiet", "phone", "+44 20 7946 0958",
                "owner", "dan"));
        ConversionResult r = dan.leads().convert(lead.id());
        assertThat(records("contact").get(r.contactId()).get("phone")).isNull();
    }

    @Test
    void aBadDealStageRefusesTheWholeConversion() {
        Record lead = lead(ann);
        long before = crm().changeLog().lastSequence();
        assertThatThrownBy(() -> ann.leads().convert(lead.id(), Conversion.builder()
                .createDeal("sales", "no_such_stage", "D").build())).isInstanceOf(ValidationException.class)
                .hasMessageContaining("stage");
        assertThat(logAfter(before)).isEmpty();
        assertThat(records("contact").count(Filters.all())).isZero();
    }

    @Test
    void activitiesOutOfScopeKeepTheirLinks() {
        Record lead = lead(ann);
        Record mine = ann.records("activity").create(Map.of("kind", "note", "subject", "mine", "lead", lead.id()));
        Record theirs = records("activity").create(Map.of("kind", "note", "subject", "theirs", "lead", lead.id(),
                "owner", "bob"));
        ConversionResult r = ann.leads().convert(lead.id());
        assertThat(r.activityIds()).containsExactly(mine.id());
        assertThat(records("activity").get(theirs.id()).getReference("contact")).isNull();
        assertThat(records("activity").get(mine.id()).getReference("contact")).isEqualTo(r.contactId());
    }

    @Test
    void activitiesWhoseLeadLinkIsHiddenFromTheCallerStayAsTheyAre() {
        Role noLeadLinks = Role.builder("no_lead_links")
                .grant(Role.ANY_TYPE, RecordScope.OWN, Permission.CREATE, Permission.READ, Permission.UPDATE)
                .field("activity", "lead", FieldAccess.HIDDEN).build();
        CrmSession eve = crm().as(Principal.user("eve", noLeadLinks));
        Record lead = lead(eve);
        Record call = records("activity").create(Map.of("kind", "call", "subject", "x", "lead", lead.id(),
                "owner", "eve"));
        Record task = eve.records("task").create(Map.of("subject", "t", "lead", lead.id()));
        ConversionResult r = eve.leads().convert(lead.id());
        assertThat(r.activityIds()).isEmpty(); // eve cannot tell the call belongs to the lead
        assertThat(r.taskIds()).containsExactly(task.id());
        assertThat(records("activity").get(call.id()).getReference("contact")).isNull();
        assertThat(records("activity").get(call.id()).version()).isEqualTo(call.version());
    }

    @Test
    void ownerOfNewRecordsNeedsTransfer() {
        Record lead = lead(ann);
        long before = crm().changeLog().lastSequence();
        assertThatThrownBy(() -> ann.leads().convert(lead.id(), Conversion.builder().owner("bob").build()))
                .matches(error("owner", FieldErrorCode.READ_ONLY));
        assertThat(logAfter(before)).isEmpty();
        Record other = records("lead").create(Map.of("last_name", "Owned", "company_name", "Owned Co"));
        ConversionResult r = system().leads().convert(other.id(), Conversion.builder().owner("bob").build());
        assertThat(bob.records("contact").get(r.contactId()).owner()).isEqualTo("bob");
        assertThat(bob.records("company").get(r.company().orElseThrow()).owner()).isEqualTo("bob");
    }

    @Test
    void insideAnOuterTransactionItJoinsIt() {
        Record lead = lead(ann);
        long before = crm().changeLog().lastSequence();
        assertThatThrownBy(() -> ann.inTransactionDo(s -> {
            s.leads().convert(lead.id());
            throw new IllegalStateException("changed my mind");
        })).hasMessage("changed my mind");
        assertThat(logAfter(before)).isEmpty();
        assertThat(ann.records("lead").get(lead.id()).getString("status")).isEqualTo("qualified");
    }
}
