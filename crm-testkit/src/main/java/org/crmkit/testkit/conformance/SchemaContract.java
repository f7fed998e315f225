package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.crmkit.query.Filters.where;

import java.util.List;
import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.SchemaException;
import org.crmkit.record.Record;
import org.crmkit.schema.DataPolicy;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.PicklistOption;
import org.crmkit.schema.SchemaChange;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.support.StorageJson;
import org.junit.jupiter.api.Test;

/** Run-time schema changes: custom types and fields, relabels, picklists, deprecation, deletion, history. */
public abstract class SchemaContract extends ConformanceContract {

    @Test
    void customObjectTypeCanBeAddedAndWritten() {
        long before = crm().schema().version();
        ObjectType added = crm().schema().addObjectType(ObjectType.custom("project", "Project",
                Field.text("title").required(true), Field.integer("budget")));
        assertThat(added.custom()).isTrue();
        assertThat(crm().schema().version()).isEqualTo(before + 1);
        assertThat(crm().schema().objectType("project").findField("budget")).isPresent();
        Record p = records("project").create(Map.of("title", "Apollo", "budget", 1200));
        assertThat(records("project").get(p.id()).getLong("budget")).isEqualTo(1200L);
        assertThat(records("project").count(where("title").eq("Apollo"))).isEqualTo(1);
    }

    @Test
    void addedFieldIsWritableAndEmptyOnExistingRecords() {
        Record old = records("contact").create(Map.of("last_name", "Hopper"));
        crm().schema().addField("contact", Field.text("nickname").label("Nickname"));
        Record fresh = records("contact").create(Map.of("last_name", "Lovelace", "nickname", "Ada"));
        assertThat(records("contact").get(fresh.id()).getString("nickname")).isEqualTo("Ada");
        assertThat(records("contact").get(old.id()).has("nickname")).isFalse();
        Record updated = records("contact").update(old, Map.of("nickname", "Amazing Grace"));
        assertThat(records("contact").get(old.id()).getString("nickname")).isEqualTo("Amazing Grace");
        assertThat(updated.version()).isEqualTo(2);
        assertThat(records("contact").count(where("nickname").eq("Ada"))).isEqualTo(1);
    }

    @Test
    void requiredFieldWithoutDefaultIsRefusedWhenRecordsExist() {
        defineWidget();
        records(WIDGET).create(Map.of("name", "w"));
        long version = crm().schema().version();
        assertThatThrownBy(() -> crm().schema().addField(WIDGET, Field.text("sku").required(true)))
                .isInstanceOfSatisfying(SchemaException.class,
                        e -> assertThat(e.problem()).isEqualTo(SchemaException.Problem.HAS_DATA));
        assertThat(crm().schema().version()).isEqualTo(version);
        crm().schema().addField(WIDGET, Field.text("sku").required(true).defaultValue("none"));
        assertThat(records(WIDGET).count(where("sku").eq("none"))).isEqualTo(1);
    }

    @Test
    void relabelChangesOnlyTheLabel() {
        defineWidget();
        Record w = records(WIDGET).create(Map.of("name", "w", "qty", 3));
        crm().schema().relabelField(WIDGET, "qty", "Quantity on hand");
        Field qty = crm().schema().objectType(WIDGET).findField("qty").orElseThrow();
        assertThat(qty.label()).isEqualTo("Quantity on hand");
        assertThat(qty.type()).isEqualTo(org.crmkit.schema.FieldType.INTEGER);
        assertThat(records(WIDGET).get(w.id()).getLong("qty")).isEqualTo(3L);
        assertThat(records(WIDGET).get(w.id()).version()).isEqualTo(1);
    }

    @Test
    void picklistOptionInUseCannotBeRemovedButCanBeDeactivated() {
        defineWidget();
        Record red = records(WIDGET).create(Map.of("name", "r", "color", "red"));
        long version = crm().schema().version();
        assertThatThrownBy(() -> crm().schema().setPicklistOptions(WIDGET, "color",
                List.of(PicklistOption.of("green"), PicklistOption.of("blue"))))
                .isInstanceOfSatisfying(SchemaException.class,
                        e -> assertThat(e.problem()).isEqualTo(SchemaException.Problem.HAS_DATA));
        assertThat(crm().schema().version()).isEqualTo(version);

        // removing an option nobody holds works; deactivating one in use works
        crm().schema().setPicklistOptions(WIDGET, "color",
                List.of(PicklistOption.of("red").deactivated(), PicklistOption.of("green")));
        assertThat(crm().schema().objectType(WIDGET).findField("color").orElseThrow().options())
                .extracting(PicklistOption::value).containsExactly("red", "green");
        assertThatThrownBy(() -> records(WIDGET).create(Map.of("name", "r2", "color", "red")))
                .matches(error("color", FieldErrorCode.UNKNOWN_OPTION));
        assertThatThrownBy(() -> records(WIDGET).create(Map.of("name", "b", "color", "blue")))
                .matches(error("color", FieldErrorCode.UNKNOWN_OPTION));
        // the record holding the inactive option keeps it and stays writable
        Record kept = records(WIDGET).update(red, Map.of("qty", 1));
        assertThat(kept.getString("color")).isEqualTo("red");
        assertThat(records(WIDGET).count(where("color").eq("red"))).isEqualTo(1);
    }

    @Test
    void multiPicklistOptionsFollowTheSameRules() {
        defineWidget();
        Record w = records(WIDGET).create(Map.of("name", "w", "tags", List.of("a", "b")));
        assertThatThrownBy(() -> crm().schema().setPicklistOptions(WIDGET, "tags",
                List.of(PicklistOption.of("b"), PicklistOption.of("c"))))
                .isInstanceOfSatisfying(SchemaException.class,
                        e -> assertThat(e.problem()).isEqualTo(SchemaException.Problem.HAS_DATA));
        crm().schema().setPicklistOptions(WIDGET, "tags",
                List.of(PicklistOption.of("a").deactivated(), PicklistOption.of("b"), PicklistOption.of("c")));
        assertThatThrownBy(() -> records(WIDGET).create(Map.of("name", "x", "tags", List.of("a"))))
                .matches(error("tags", FieldErrorCode.UNKNOWN_OPTION));
        Record kept = records(WIDGET).update(w, Map.of("tags", List.of("a", "c")));
        assertThat(kept.<String>getList("tags")).containsExactly("a", "c");
        Record dropped = records(WIDGET).update(kept, Map.of("tags", List.of("c")));
        assertThat(dropped.<String>getList("tags")).containsExactly("c");
        assertThatThrownBy(() -> records(WIDGET).update(dropped, Map.of("tags", List.of("a", "c"))))
                .matches(error("tags", FieldErrorCode.UNKNOWN_OPTION));
    }

    @Test
    void deprecatedFieldKeepsItsValuesButRefusesNewOnes() {
        defineWidget();
        Record w = records(WIDGET).create(Map.of("name", "w", "notes", "old note"));
        crm().schema().deprecateField(WIDGET, "notes");
        assertThat(crm().schema().objectType(WIDGET).findField("notes").orElseThrow().deprecated()).isTrue();
        assertThat(records(WIDGET).get(w.id()).getString("notes")).isEqualTo("old note");
        assertThatThrownBy(() -> records(WIDGET).update(w, Map.of("notes", "new note")))
                .matches(error("notes", FieldErrorCode.DEPRECATED));
        assertThatThrownBy(() -> records(WIDGET).create(Map.of("name", "x", "notes", "n")))
                .matches(error("notes", FieldErrorCode.DEPRECATED));
        assertThat(records(WIDGET).get(w.id()).version()).isEqualTo(1);
        assertThat(records(WIDGET).count(where("notes").isNotNull())).isEqualTo(1);
    }

    @Test
    void fieldWithDataIsDeletedOnlyWhenDataMayBeDiscarded() {
        defineWidget();
        Record w = records(WIDGET).create(Map.of("name", "w", "notes", "keep me"));
        long version = crm().schema().version();
        assertThatThrownBy(() -> crm().schema().deleteField(WIDGET, "notes", DataPolicy.REFUSE_IF_DATA))
                .isInstanceOfSatisfying(SchemaException.class,
                        e -> assertThat(e.problem()).isEqualTo(SchemaException.Problem.HAS_DATA));
        assertThat(crm().schema().version()).isEqualTo(version);
        assertThat(records(WIDGET).get(w.id()).getString("notes")).isEqualTo("keep me");

        crm().schema().deleteField(WIDGET, "notes", DataPolicy.DISCARD_DATA);
        assertThat(crm().schema().objectType(WIDGET).findField("notes")).isEmpty();
        assertThat(records(WIDGET).get(w.id()).has("notes")).isFalse();
        assertThatThrownBy(() -> records(WIDGET).update(records(WIDGET).get(w.id()), Map.of("notes", "x")))
                .matches(error("notes", FieldErrorCode.UNKNOWN_FIELD));
        assertThatThrownBy(() -> records(WIDGET).count(where("notes").isNull()))
                .matches(error("notes", FieldErrorCode.UNKNOWN_FIELD));
        // an empty field goes without fuss
        crm().schema().deleteField(WIDGET, "qty", DataPolicy.REFUSE_IF_DATA);
        assertThat(crm().schema().objectType(WIDGET).findField("qty")).isEmpty();
        // a field of the same name can come back, empty
        crm().schema().addField(WIDGET, Field.text("notes"));
        assertThat(records(WIDGET).get(w.id()).has("notes")).isFalse();
    }

    @Test
    void systemFieldsCannotBeDeleted() {
        long version = crm().schema().version();
        assertThatThrownBy(() -> crm().schema().deleteField("contact", "last_name", DataPolicy.DISCARD_DATA))
                .isInstanceOfSatisfying(SchemaException.class,
                        e -> assertThat(e.problem()).isEqualTo(SchemaException.Problem.SYSTEM));
        assertThatThrownBy(() -> crm().schema().deleteObjectType("contact", DataPolicy.DISCARD_DATA))
                .isInstanceOf(SchemaException.class);
        assertThat(crm().schema().objectType("contact").findField("last_name")).isPresent();
        assertThat(crm().schema().version()).isEqualTo(version);
    }

    @Test
    void everyChangeRaisesTheVersionAndIsRecordedInHistory() {
        long start = crm().schema().version();
        List<SchemaChangeEntry> initial = crm().schema().history();
        assertThat(initial).isNotEmpty();
        assertThat(initial.get(initial.size() - 1).version()).isEqualTo(start);

        defineWidget();
        crm().schema().addField(WIDGET, Field.text("sku"));
        crm().schema().relabelField(WIDGET, "sku", "SKU");
        crm().schema().deprecateField(WIDGET, "sku");
        crm().schema().deleteField(WIDGET, "sku", DataPolicy.REFUSE_IF_DATA);
        // refused changes leave no trace
        assertThatThrownBy(() -> crm().schema().addField(WIDGET, Field.text("qty")))
                .isInstanceOf(SchemaException.class);
        assertThatThrownBy(() -> crm().schema().addField(WIDGET, Field.text("Bad Name")))
                .isInstanceOf(SchemaException.class);

        assertThat(crm().schema().version()).isEqualTo(start + 5);
        List<SchemaChangeEntry> history = crm().schema().history();
        assertThat(history).hasSize(initial.size() + 5);
        for (int i = 0; i < history.size(); i++) {
            assertThat(history.get(i).version()).as("version of history entry %d", i).isEqualTo(i + 1);
        }
        List<SchemaChange> last = history.subList(initial.size(), history.size()).stream()
                .map(SchemaChangeEntry::change).toList();
        assertThat(last.get(0)).isInstanceOf(SchemaChange.AddObjectType.class);
        assertThat(last.get(1)).isInstanceOfSatisfying(SchemaChange.AddField.class,
                c -> assertThat(c.field().name()).isEqualTo("sku"));
        assertThat(last.get(2)).isInstanceOfSatisfying(SchemaChange.ChangeField.class,
                c -> assertThat(c.after().label()).isEqualTo("SKU"));
        assertThat(last.get(3)).isInstanceOfSatisfying(SchemaChange.ChangeField.class,
                c -> assertThat(c.after().deprecated()).isTrue());
        assertThat(last.get(4)).isInstanceOf(SchemaChange.DeleteField.class);
        assertThat(last).allMatch(c -> c.objectType().equals(WIDGET));
    }

    @Test
    void schemaAndRecordsSurviveReopening() {
        assumeThat(capabilities().durable()).as("durable storage").isTrue();
        defineWidget();
        crm().schema().addField(WIDGET, Field.text("sku").label("SKU"));
        Record w = records(WIDGET).create(Map.of("name", "w", "sku", "X-1"));
        long version = crm().schema().version();
        int history = crm().schema().history().size();
        Crm reopened = reopen();
        assumeThat(reopened).as("storage supports reopen(CrmStorage)").isNotNull();
        Crm again = java.util.Objects.requireNonNull(reopened); // assumed above
        assertThat(again.schema().version()).isEqualTo(version);
        assertThat(again.schema().history()).hasSize(history);
        assertThat(again.schema().objectType(WIDGET).findField("sku").orElseThrow().label()).isEqualTo("SKU");
        assertThat(records(WIDGET).get(w.id()).getString("sku")).isEqualTo("X-1");
        // unique indexes survive too
        records(WIDGET).create(Map.of("name", "first", "code", "c1"));
        assertThatThrownBy(() -> records(WIDGET).create(Map.of("name", "second", "code", "c1")))
                .matches(error("code", FieldErrorCode.NOT_UNIQUE));
    }

    /**
     * Storages keep the schema as changes with a snapshot now and then: replaying the history from nothing gives
     * exactly the current schema, after changes of every kind, and so does reopening the storage.
     */
    @Test
    void theSchemaIsExactlyItsHistoryReplayedAndSurvivesReopeningSo() {
        var schema = crm().schema();
        schema.addObjectType(ObjectType.custom("gadget", "Gadget", Field.text("code"),
                Field.picklist("size", "s", "m")));
        schema.addField("gadget", Field.reference("maker", "company"));
        schema.relabelField("gadget", "code", "Gadget code");
        schema.setPicklistOptions("gadget", "size", List.of(PicklistOption.of("s"), PicklistOption.of("m"),
                PicklistOption.of("l", "Large")));
        schema.deprecateField("gadget", "code");
        schema.addField("gadget", Field.integer("weight"));
        schema.deleteField("gadget", "weight", DataPolicy.DISCARD_DATA);
        schema.addRule("gadget", org.crmkit.schema.ValidationRule.of("has_size", "size != ''", "needs a size"));
        schema.removeRule("gadget", "has_size");
        schema.addRule("gadget", org.crmkit.schema.ValidationRule.of("has_code", "code != ''", "needs a code"));
        schema.savePipeline(new org.crmkit.schema.Pipeline("renewals", "Renewals", List.of(
                org.crmkit.schema.Stage.open("due", "Due", 50), org.crmkit.schema.Stage.won("renewed", "Renewed"),
                org.crmkit.schema.Stage.lost("lapsed", "Lapsed"))));
        schema.addObjectType(ObjectType.custom("widget", "Widget", Field.text("label")));
        schema.deleteObjectType("widget", DataPolicy.DISCARD_DATA);
        StorageJson json = new StorageJson();
        String current = json.writeSnapshot(schema.snapshot());
        SchemaSnapshot replayed = new SchemaSnapshot(0, Map.of(), Map.of());
        for (SchemaChangeEntry e : schema.history()) {
            replayed = replayed.apply(e.change());
        }
        assertThat(json.writeSnapshot(replayed)).as("the history replayed from nothing").isEqualTo(current);
        if (capabilities().durable()) {
            Crm reopened = reopen();
            assumeThat(reopened).as("storage supports reopen(CrmStorage)").isNotNull();
            Crm again = java.util.Objects.requireNonNull(reopened); // assumed above
            assertThat(json.writeSnapshot(again.schema().snapshot())).as("the schema after reopening")
                    .isEqualTo(current);
        }
    }
}
