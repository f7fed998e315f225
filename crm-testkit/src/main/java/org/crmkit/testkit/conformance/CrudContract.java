package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.query.Filters.where;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.CrmSession;
import org.crmkit.RecordSet;
import org.crmkit.error.NotFoundException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.event.Operation;
import org.crmkit.query.Filters;
import org.crmkit.query.Query;
import org.crmkit.record.Record;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.junit.jupiter.api.Test;

/** Create, read, update with expected version, soft delete, restore and purge. */
public abstract class CrudContract extends ConformanceContract {

    @Test
    void createdRecordCanBeReadBack() {
        CrmSession rep = crm().as(Principal.user("u-1", Role.SALES_REP));
        Record c = rep.records("company").create(Map.of("name", "Acme", "employees", 12, "industry", "software"));
        assertThat(c.version()).isEqualTo(1);
        assertThat(c.owner()).isEqualTo("u-1");
        assertThat(c.createdBy()).isEqualTo("u-1");
        assertThat(c.updatedBy()).isEqualTo("u-1");
        assertThat(c.createdAt()).isEqualTo(c.updatedAt());
        assertThat(c.isDeleted()).isFalse();
        Record read = rep.records("company").get(c.id());
        assertThat(read).isEqualTo(c);
        assertThat(read.getLong("employees")).isEqualTo(12L);
        assertThat(rep.records("company").find(c.id())).contains(c);
        assertThat(rep.records("company").query(Filters.all()).items()).containsExactly(c);
    }

    @Test
    void missingRecordIsNotFound() {
        UUID id = UUID.randomUUID();
        RecordSet companies = records("company");
        assertThat(companies.find(id)).isEmpty();
        assertThatThrownBy(() -> companies.get(id)).isInstanceOfSatisfying(NotFoundException.class,
                e -> assertThat(e.recordId()).isEqualTo(id));
        assertThatThrownBy(() -> companies.update(id, 1, Map.of("name", "x"))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> companies.delete(id, 1)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> companies.purge(id)).isInstanceOf(NotFoundException.class);
        // a record of another type is not found either
        Record contact = records("contact").create(Map.of("last_name", "X"));
        assertThat(companies.find(contact.id())).isEmpty();
    }

    @Test
    void updateAtExpectedVersionChangesOnlyGivenFields() {
        Record c = records("company").create(Map.of("name", "Acme", "employees", 12, "domain", "acme.test"));
        Record u = records("company").update(c.id(), 1, values("employees", 40, "domain", null));
        assertThat(u.version()).isEqualTo(2);
        assertThat(u.getLong("employees")).isEqualTo(40L);
        assertThat(u.has("domain")).isFalse();
        assertThat(u.getString("name")).isEqualTo("Acme");
        assertThat(u.createdAt()).isEqualTo(c.createdAt());
        assertThat(records("company").get(c.id())).isEqualTo(u);
        Record u3 = records("company").update(u, Map.of("name", "Acme Corp"));
        assertThat(u3.version()).isEqualTo(3);
        assertThat(records("company").get(c.id()).getString("name")).isEqualTo("Acme Corp");
    }

    @Test
    void updateThatChangesNothingKeepsTheVersion() {
        Record c = records("company").create(Map.of("name", "Acme", "employees", 12));
        long seq = crm().changeLog().lastSequence();
        Record same = records("company").update(c, values("name", "Acme", "employees", 12L, "domain", null));
        assertThat(same.version()).isEqualTo(1);
        assertThat(records("company").get(c.id())).isEqualTo(c);
        assertThat(crm().changeLog().lastSequence()).isEqualTo(seq);
        assertThat(records("company").update(c, Map.of()).version()).isEqualTo(1);
    }

    @Test
    void softDeleteHidesAndRestoreBringsBack() {
        RecordSet companies = records("company");
        Record c = companies.create(Map.of("name", "Acme"));
        Record other = companies.create(Map.of("name", "Other"));
        Record deleted = companies.delete(c.id(), 1);
        assertThat(deleted.isDeleted()).isTrue();
        assertThat(deleted.version()).isEqualTo(2);
        assertThatThrownBy(() -> companies.get(c.id())).isInstanceOf(NotFoundException.class);
        assertThat(companies.find(c.id())).isEmpty();
        assertThatThrownBy(() -> companies.update(c.id(), 2, Map.of("name", "x")))
                .isInstanceOf(NotFoundException.class);
        assertThat(ids(companies, Filters.all())).containsExactly(other.id());
        assertThat(companies.count(Filters.all())).isEqualTo(1);
        assertThat(companies.query(Query.all().deleted(Query.Deleted.ONLY)).items()).extracting(Record::id)
                .containsExactly(c.id());
        assertThat(companies.query(Query.all().deleted(Query.Deleted.INCLUDE)).items()).extracting(Record::id)
                .containsExactlyInAnyOrder(c.id(), other.id());

        assertThatThrownBy(() -> companies.restore(other.id(), 1)).isInstanceOf(NotFoundException.class);
        Record restored = companies.restore(c.id(), 2);
        assertThat(restored.isDeleted()).isFalse();
        assertThat(restored.version()).isEqualTo(3);
        assertThat(companies.get(c.id()).getString("name")).isEqualTo("Acme");
        assertThat(companies.count(Filters.all())).isEqualTo(2);
    }

    @Test
    void purgeRemovesForGood() {
        RecordSet companies = records("company");
        Record c = companies.create(Map.of("name", "Acme"));
        Record d = companies.create(Map.of("name", "Deleted first"));
        companies.delete(d.id(), 1);
        companies.purge(c.id());
        companies.purge(d.id());
        assertThatThrownBy(() -> companies.get(c.id())).isInstanceOf(NotFoundException.class);
        assertThat(companies.query(Query.all().deleted(Query.Deleted.INCLUDE)).items()).isEmpty();
        assertThatThrownBy(() -> companies.restore(d.id(), 2)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> companies.purge(c.id())).isInstanceOf(NotFoundException.class);
        ChangeLogEntry purge = crm().changeLog().read(0, 10_000).stream()
                .filter(e -> e.recordId().equals(c.id()) && e.operation() == Operation.PURGE).findFirst().orElseThrow();
        assertThat(purge.version()).isEqualTo(1);
        assertThat(purge.change("name")).contains(new FieldChange("name", "Acme", null));
    }

    @Test
    void purgeClearsReferencesFromOtherRecordsAndLogsIt() {
        Record acme = records("company").create(Map.of("name", "Acme"));
        Record ada = records("contact").create(Map.of("last_name", "Lovelace", "company", acme.id()));
        Record bob = records("contact").create(Map.of("last_name", "Bob"));
        Record deal = records("deal").create(Map.of("name", "Big", "company", acme.id(), "contact", ada.id(),
                "contacts", List.of(ada.id(), bob.id())));
        long seq = crm().changeLog().lastSequence();

        records("company").purge(acme.id());
        Record adaAfter = records("contact").get(ada.id());
        assertThat(adaAfter.has("company")).isFalse();
        assertThat(adaAfter.version()).isEqualTo(2);
        Record dealAfter = records("deal").get(deal.id());
        assertThat(dealAfter.has("company")).isFalse();
        assertThat(dealAfter.getReference("contact")).isEqualTo(ada.id());

        records("contact").purge(ada.id());
        Record dealLater = records("deal").get(deal.id());
        assertThat(dealLater.has("contact")).isFalse();
        assertThat(dealLater.<UUID>getList("contacts")).containsExactly(bob.id());

        List<ChangeLogEntry> log = logAfter(seq);
        ChangeLogEntry clearedAda = log.stream().filter(e -> e.recordId().equals(ada.id())
                && e.operation() == Operation.UPDATE).findFirst().orElseThrow();
        assertThat(clearedAda.change("company")).contains(new FieldChange("company", acme.id(), null));
        assertThat(clearedAda.objectType()).isEqualTo("contact");
        ChangeLogEntry purgeAcme = log.stream().filter(e -> e.recordId().equals(acme.id())).findFirst().orElseThrow();
        assertThat(purgeAcme.operation()).isEqualTo(Operation.PURGE);
        assertThat(clearedAda.transactionId()).isEqualTo(purgeAcme.transactionId());
        List<ChangeLogEntry> dealLog = log.stream().filter(e -> e.recordId().equals(deal.id())).toList();
        assertThat(dealLog).isNotEmpty().allMatch(e -> e.operation() == Operation.UPDATE);
        assertThat(dealLater.version()).isEqualTo(1 + dealLog.size());
        assertThat(dealLog.get(dealLog.size() - 1).version()).isEqualTo(dealLater.version());
        assertThat(records("deal").count(where("contacts").hasAny(ada.id()))).isZero();
    }

    @Test
    void readOnlySystemPropertiesCannotBeWritten() {
        Record c = records("company").create(Map.of("name", "Acme"));
        assertThatThrownBy(() -> records("company").update(c, Map.of("version", 7)))
                .isInstanceOf(org.crmkit.error.ValidationException.class);
        assertThatThrownBy(() -> records("company").create(Map.of("name", "x", "id", UUID.randomUUID())))
                .isInstanceOf(org.crmkit.error.ValidationException.class);
        assertThat(records("company").get(c.id()).version()).isEqualTo(1);
    }
}
