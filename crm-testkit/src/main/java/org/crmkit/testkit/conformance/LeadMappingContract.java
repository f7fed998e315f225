package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.CrmStorage;
import org.crmkit.error.SchemaException;
import org.crmkit.error.SchemaException.Problem;
import org.crmkit.lead.Conversion;
import org.crmkit.lead.ConversionResult;
import org.crmkit.plugin.spi.Installation;
import org.crmkit.record.Record;
import org.crmkit.schema.DataPolicy;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.LeadMapping;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.Schema;
import org.crmkit.schema.SchemaChange;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.spi.Storage;
import org.crmkit.storage.spi.StorageTransaction;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The lead mapping: custom fields copied by name, explicit entries, checks when it is set, persistence with the
 * schema; and the conversion fields reaching a schema stored before they existed.
 */
public abstract class LeadMappingContract extends ConformanceContract {

    @Test
    void customFieldsOfTheSameNameAndExplicitEntriesAreCopied() {
        Schema schema = crm().schema();
        schema.addField("lead", Field.text("territory"));
        schema.addField("contact", Field.text("territory"));
        schema.addField("lead", Field.integer("budget"));
        schema.addField("deal", Field.decimal("budget_estimate"));
        schema.addField("lead", Field.picklist("tier", "a", "b"));
        schema.addField("company", Field.picklist("tier", "a")); // lacks "b": not compatible by name
        LeadMapping mapping = schema.setLeadMapping(LeadMapping.defaults().toBuilder()
                .map("deal", "budget_estimate", "budget").skip("contact", "description").build());
        assertThat(schema.leadMapping()).isEqualTo(mapping);
        Record lead = records("lead").create(Map.of("last_name", "L", "territory", "north", "budget", 5000,
                "tier", "b", "company_name", "Tiered", "description", "not for the contact"));
        ConversionResult r = system().leads().convert(lead.id(), Conversion.builder()
                .createDeal("sales", "prospecting", "D").build());
        Record contact = records("contact").get(r.contactId());
        assertThat(contact.getString("territory")).isEqualTo("north");
        assertThat(contact.get("description")).isNull();
        assertThat(records("deal").get(r.deal().orElseThrow()).getDecimal("budget_estimate"))
                .isEqualByComparingTo(new BigDecimal(5000));
        assertThat(records("company").get(r.company().orElseThrow()).get("tier")).isNull();
        assertThat(schema.history()).extracting(SchemaChangeEntry::change).last()
                .isEqualTo(new SchemaChange.SetLeadMapping(mapping));
    }

    @Test
    void aMappingIsCheckedWhenItIsSet() {
        Schema schema = crm().schema();
        schema.addField("lead", Field.date("met_on"));
        schema.addField("contact", Field.formula("shout", FieldType.TEXT, "last_name + '!'"));
        long version = schema.version();
        refused(LeadMapping.builder().map("contact", "nickname", "first_name"), Problem.UNKNOWN_FIELD, "contact",
                "nickname");
        refused(LeadMapping.builder().map("contact", "first_name", "nickname"), Problem.UNKNOWN_FIELD, "lead",
                "nickname");
        refused(LeadMapping.builder().map("contact", "first_name", "met_on"), Problem.INVALID_DEFINITION,
                "contact", "first_name");
        refused(LeadMapping.builder().map("contact", "shout", "last_name"), Problem.INVALID_DEFINITION, "contact",
                "shout");
        refused(LeadMapping.builder().map("task", "subject", "last_name"), Problem.UNKNOWN_OBJECT_TYPE, "task",
                null);
        assertThatThrownBy(() -> schema.setLeadMapping(new LeadMapping(true, List.of(
                new LeadMapping.Entry("contact", "title", "title"), new LeadMapping.Entry("contact", "title", null)))))
                .isInstanceOfSatisfying(SchemaException.class, e -> assertThat(e.problem()).isEqualTo(
                        Problem.DUPLICATE));
        assertThat(schema.version()).as("nothing changed").isEqualTo(version);
        assertThat(schema.leadMapping()).isEqualTo(LeadMapping.defaults());
    }

    private void refused(LeadMapping.Builder mapping, Problem problem, String type, @Nullable String field) {
        assertThatThrownBy(() -> crm().schema().setLeadMapping(mapping.build()))
                .isInstanceOfSatisfying(SchemaException.class, e -> {
                    assertThat(e.problem()).isEqualTo(problem);
                    assertThat(e.objectType()).isEqualTo(type);
                    assertThat(e.field().orElse(null)).isEqualTo(field);
                });
    }

    @Test
    void aFieldTheMappingNamesCannotBeDeletedOrMadeIncompatible() {
        Schema schema = crm().schema();
        schema.addField("lead", Field.picklist("tier", "a"));
        schema.addField("contact", Field.picklist("level", "a", "b"));
        schema.setLeadMapping(LeadMapping.defaults().toBuilder().map("contact", "level", "tier").build());
        assertThatThrownBy(() -> schema.deleteField("lead", "tier", DataPolicy.DISCARD_DATA))
                .isInstanceOfSatisfying(SchemaException.class, e -> assertThat(e.problem()).isEqualTo(
                        Problem.IN_USE));
        assertThatThrownBy(() -> schema.setPicklistOptions("lead", "tier", List.of(
                org.crmkit.schema.PicklistOption.of("a"), org.crmkit.schema.PicklistOption.of("z"))))
                .isInstanceOfSatisfying(SchemaException.class, e -> assertThat(e.problem()).isEqualTo(
                        Problem.IN_USE));
        schema.setLeadMapping(LeadMapping.defaults());
        schema.deleteField("lead", "tier", DataPolicy.DISCARD_DATA);
    }

    @Test
    void theMappingIsKeptWithTheSchema() {
        crm().schema().addField("lead", Field.text("region"));
        crm().schema().addField("contact", Field.text("area"));
        LeadMapping mapping = crm().schema().setLeadMapping(LeadMapping.builder().byName(false)
                .map("contact", "area", "region").build());
        SchemaSnapshot replayed = new SchemaSnapshot(0, Map.of(), Map.of());
        for (SchemaChangeEntry e : crm().schema().history()) {
            replayed = replayed.apply(e.change());
        }
        assertThat(replayed.leadMapping()).isEqualTo(mapping);
        Crm again = reopen();
        if (again != null) {
            assertThat(again.schema().leadMapping()).isEqualTo(mapping);
        }
    }

    /** A schema stored before conversion existed gets the conversion fields when a {@code Crm} opens it. */
    @Test
    void aSchemaStoredBeforeConversionGetsItsFields() {
        CrmStorage handle = newStorage();
        try (Crm first = configure(Crm.builder()).storage(handle).build()) {
            Record lead = first.as(org.crmkit.security.Principal.SYSTEM).records("lead")
                    .create(Map.of("last_name", "Old", "company_name", "Old Co"));
            Storage storage = Installation.storageOf(handle);
            SchemaSnapshot current = storage.loadSchema().orElseThrow();
            List<SchemaChange> drops = List.of(
                    drop(current, "lead", "converted_contact"), drop(current, "lead", "converted_company"),
                    drop(current, "lead", "converted_deal"), drop(current, "task", "lead"));
            try (StorageTransaction tx = storage.begin()) {
                for (SchemaChange d : drops) {
                    SchemaSnapshot next = current.apply(d);
                    tx.applySchemaChange(d, next, new SchemaChangeEntry(next.version(), java.time.Instant.now(),
                            "system", d));
                    current = next;
                }
                tx.commit();
            }
            assertThat(
                    storage.loadSchema().orElseThrow().findObjectType("lead").orElseThrow().findField("converted_deal"))
                    .isEmpty();
            try (Crm second = configure(Crm.builder()).storage(handle).build()) {
                ObjectType leadType = second.schema().objectType("lead");
                assertThat(leadType.findField("converted_contact")).map(Field::target).contains("contact");
                assertThat(leadType.findField("converted_company")).map(Field::target).contains("company");
                assertThat(leadType.findField("converted_deal")).map(f -> f.system()).contains(true);
                assertThat(second.schema().objectType("task").findField("lead")).map(Field::target)
                        .contains("lead");
                long version = second.schema().version();
                ConversionResult r = second.as(org.crmkit.security.Principal.SYSTEM).leads().convert(lead.id());
                assertThat(second.as(org.crmkit.security.Principal.SYSTEM).records("lead").get(lead.id())
                        .getReference("converted_contact")).isEqualTo(r.contactId());
                assertThat(second.schema().version()).isEqualTo(version);
            }
        }
    }

    private static SchemaChange drop(SchemaSnapshot s, String type, String field) {
        return new SchemaChange.DeleteField(type, s.findObjectType(type).orElseThrow().findField(field).orElseThrow());
    }
}
