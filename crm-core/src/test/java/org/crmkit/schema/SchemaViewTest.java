package org.crmkit.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.record.Record;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link CrmSession#schema()}: the schema as one caller may see it, decided as record operations decide. */
class SchemaViewTest {
    private Crm crm;
    private Role probe;

    @BeforeEach
    void setUp() {
        crm = Crm.builder().storage(InMemoryStorage.create()).build();
        crm.schema().addObjectType(ObjectType.custom("offer", "Offer",
                Field.text("name").required(true).label("Offer name"),
                Field.integer("qty").defaultValue(1L),
                Field.integer("margin").label("Secret margin"),
                Field.picklist("tier", "gold", "silver"),
                Field.picklist("secret_tier", "platinum_secret", "iron_secret").label("Secret tier"),
                Field.reference("company", "company"),
                Field.integer("reviewed_qty"),
                Field.formula("doubled_qty", FieldType.INTEGER, "qty * 2"),
                Field.formula("margin_band", FieldType.INTEGER, "margin / 10"),
                Field.formula("has_margin", FieldType.BOOLEAN, "margin > 0").visibleRegardlessOfInputs(true)));
        crm.schema().addObjectType(ObjectType.custom("vault", "Vault", Field.text("name")));
        probe = Role.builder("probe")
                .grant("offer", RecordScope.ALL, Permission.CREATE, Permission.READ, Permission.UPDATE)
                .grant("company", RecordScope.OWN, Permission.READ)
                .field("offer", "margin", FieldAccess.HIDDEN)
                .field("offer", "secret_tier", FieldAccess.HIDDEN)
                .field("offer", "reviewed_qty", FieldAccess.READ_ONLY)
                .build();
    }

    @AfterEach
    void tearDown() {
        crm.close();
    }

    private CrmSession rep() {
        return crm.as(Principal.user("rep", probe));
    }

    private static List<String> names(TypeView t) {
        return t.fields().stream().map(FieldView::name).toList();
    }

    @Test
    void aFieldHiddenByTheRoleIsAbsentWithItsLabelAndOptions() {
        TypeView offer = rep().schema().findType("offer").orElseThrow();

        assertThat(names(offer)).doesNotContain("margin", "secret_tier")
                .contains("name", "qty", "tier", "company", "reviewed_qty");
        assertThat(offer.findField("margin")).isEmpty();
        assertThat(offer.toString()).doesNotContain("margin\"", "Secret", "platinum_secret", "iron_secret");
        assertThat(offer.fields()).noneMatch(f -> f.options().stream()
                .anyMatch(o -> o.value().endsWith("_secret")));
    }

    @Test
    void eachFieldCarriesItsDefinitionAndTheCallersAccess() {
        TypeView offer = rep().schema().findType("offer").orElseThrow();

        FieldView name = offer.findField("name").orElseThrow();
        assertThat(name.label()).isEqualTo("Offer name");
        assertThat(name.required()).isTrue();
        assertThat(name.type()).isEqualTo(FieldType.TEXT);
        assertThat(name.maxLength()).isEqualTo(Field.DEFAULT_TEXT_LENGTH);
        assertThat(name.access()).isEqualTo(FieldAccess.EDITABLE);
        assertThat(name.writable()).isTrue();
        assertThat(offer.findField("qty").orElseThrow().defaultValue()).isEqualTo(1L);
        assertThat(offer.findField("reviewed_qty").orElseThrow().access()).isEqualTo(FieldAccess.READ_ONLY);
        assertThat(offer.findField("tier").orElseThrow().options()).extracting(PicklistOption::value)
                .containsExactly("gold", "silver");
        assertThat(offer.findField("company").orElseThrow().target()).isEqualTo("company");
        FieldView doubled = offer.findField("doubled_qty").orElseThrow();
        assertThat(doubled.access()).as("formulas are never writable").isEqualTo(FieldAccess.READ_ONLY);
        assertThat(doubled.computed()).isTrue();
        assertThat(doubled.type()).isEqualTo(FieldType.FORMULA);
        assertThat(doubled.valueType()).isEqualTo(FieldType.INTEGER);
        assertThat(offer.permissions()).containsExactlyInAnyOrder(Permission.CREATE, Permission.READ,
                Permission.UPDATE);
        assertThat(offer.may(Permission.DELETE)).isFalse();
    }

    @Test
    void aFormulaReadingAHiddenFieldIsAbsentAsRecordReadsDecide() {
        TypeView offer = rep().schema().findType("offer").orElseThrow();
        assertThat(names(offer)).doesNotContain("margin_band").contains("doubled_qty", "has_margin");

        // the record read by the same caller shows exactly the fields of the view
        Record stored = crm.as(Principal.SYSTEM).records("offer").create(Map.of("name", "A", "qty", 2,
                "margin", 30, "tier", "gold", "secret_tier", "iron_secret", "reviewed_qty", 1));
        Record seen = rep().records("offer").get(stored.id());
        assertThat(names(offer)).containsAll(seen.values().keySet());
        assertThat(seen.values()).containsKeys("doubled_qty", "has_margin").doesNotContainKeys("margin_band",
                "margin", "secret_tier");
    }

    @Test
    void writableMeansAWriteIsAccepted() {
        TypeView offer = rep().schema().findType("offer").orElseThrow();
        Record r = rep().records("offer").create(Map.of("name", "A"));
        for (FieldView f : offer.fields()) {
            if (f.writable()) {
                continue;
            }
            assertThatThrownBy(() -> rep().records("offer").update(r, Map.of(f.name(), 1))).as(f.name())
                    .isInstanceOf(org.crmkit.error.ValidationException.class);
        }
    }

    @Test
    void aTypeTheRoleCannotReadIsAbsent() {
        SchemaView view = rep().schema();
        assertThat(view.types()).extracting(TypeView::name).containsExactly("company", "offer");
        assertThat(view.findType("vault")).isEmpty();
        assertThat(view.findType("deal")).isEmpty();
    }

    @Test
    void theSystemPrincipalSeesEveryTypeAndFieldEditable() {
        SchemaView view = crm.as(Principal.SYSTEM).schema();
        assertThat(view.types()).extracting(TypeView::name)
                .containsExactlyElementsOf(crm.schema().objectTypes().stream().map(ObjectType::name).toList());
        TypeView offer = view.findType("offer").orElseThrow();
        assertThat(names(offer)).contains("margin", "secret_tier", "margin_band");
        assertThat(offer.findField("margin").orElseThrow().writable()).isTrue();
        assertThat(offer.permissions()).containsExactlyInAnyOrder(Permission.values());
    }

    @Test
    void aSchemaChangeShowsAtTheNextCall() {
        CrmSession rep = rep();
        SchemaView before = rep.schema();
        crm.schema().addField("offer", Field.text("nickname").label("Nickname"));
        crm.schema().relabelField("offer", "qty", "Quantity");
        crm.schema().deprecateField("offer", "tier");

        SchemaView after = rep.schema();
        assertThat(after.version()).isGreaterThan(before.version());
        TypeView offer = after.findType("offer").orElseThrow();
        assertThat(offer.findField("nickname").orElseThrow().label()).isEqualTo("Nickname");
        assertThat(offer.findField("qty").orElseThrow().label()).isEqualTo("Quantity");
        assertThat(offer.findField("tier").orElseThrow().writable()).as("deprecated").isFalse();
        assertThat(before.findType("offer").orElseThrow().findField("nickname")).as("a view is a snapshot")
                .isEmpty();
    }

    @Test
    void aStoredUsersRoleChangeShowsAtTheNextCall() {
        crm.as(Principal.SYSTEM).access().saveRole(probe);
        crm.as(Principal.SYSTEM).access().saveUser(new org.crmkit.security.StoredUser("u-9", "probe", List.of()));
        CrmSession user = crm.asUser("u-9");
        assertThat(user.schema().findType("offer").orElseThrow().findField("margin")).isEmpty();

        crm.as(Principal.SYSTEM).access().saveRole(Role.builder("probe")
                .grant("offer", RecordScope.ALL, Permission.READ).build());
        TypeView offer = user.schema().findType("offer").orElseThrow();
        assertThat(offer.findField("margin")).isPresent();
        assertThat(offer.permissions()).containsExactly(Permission.READ);
        assertThat(offer.findField("name").orElseThrow().writable()).isFalse();
    }

    @Test
    void viewsAreImmutable() {
        SchemaView view = rep().schema();
        assertThatThrownBy(() -> view.types().clear()).isInstanceOf(UnsupportedOperationException.class);
        TypeView offer = view.findType("offer").orElseThrow();
        assertThatThrownBy(() -> offer.fields().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> offer.permissions().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new FieldView("x", FieldType.TEXT, FieldType.TEXT, "X", FieldAccess.HIDDEN, false,
                false, 0, 0, null, null, List.of(), null, false, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
