package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.query.Filters.where;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.crmkit.CrmSession;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.query.Filter;
import org.crmkit.error.SchemaException;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Input that is legal for CRMKit's API but past what a database takes is refused before it reaches the database,
 * with the same typed error on every storage: NUL in filter values, filter text past {@link Filter#MAX_TEXT},
 * principal and team ids past {@link Principal#MAX_ID_LENGTH} or with control characters, object types past the
 * storage's column limit ({@link #maxColumns()}). Input at the limits works everywhere.
 */
public abstract class InputLimitsContract extends ConformanceContract {
    /**
     * How many columns a record table of the storage under test holds (nine system columns, two per currency
     * field, five per address, one per other stored field), as its documentation says; 0 for no limit.
     */
    protected int maxColumns() {
        return 0;
    }

    private void addTextType(String name, int fields) {
        List<Field> list = new ArrayList<>();
        for (int i = 0; i < fields; i++) {
            list.add(Field.text("f" + i));
        }
        crm().schema().addObjectType(ObjectType.custom(name, name, list.toArray(Field[]::new)));
    }

    @Test
    void threeHundredTextFieldsAndSomeOfEachTypeFitAndATypePastTheColumnLimitIsRefused() {
        List<Field> fields = new ArrayList<>();
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            fields.add(Field.text("t" + i));
            values.put("t" + i, i % 2 == 0 ? "v" + i : "a value long enough to be kept off the row: " + i);
        }
        for (int i = 0; i < 3; i++) {
            fields.add(Field.currency("m" + i));
            fields.add(Field.address("a" + i));
            fields.add(Field.integer("n" + i));
            fields.add(Field.decimal("d" + i));
            fields.add(Field.date("day" + i));
            fields.add(Field.datetime("at" + i));
            fields.add(Field.bool("b" + i));
            fields.add(Field.email("e" + i));
            fields.add(Field.phone("p" + i));
            fields.add(Field.url("u" + i));
            fields.add(Field.longText("l" + i));
            fields.add(Field.text("x" + i).indexed(true));
            values.put("m" + i, Money.of(12, "EUR"));
            values.put("n" + i, 7L);
            values.put("e" + i, "ada" + i + "@example.com");
            values.put("x" + i, "indexed " + i);
        }
        crm().schema().addObjectType(ObjectType.custom("wide", "Wide", fields.toArray(Field[]::new)));
        Record r = records("wide").create(values);
        Record back = records("wide").get(r.id());
        for (int i = 0; i < 300; i++) {
            assertThat(back.get("t" + i)).isEqualTo(values.get("t" + i));
        }
        assertThat(ids(records("wide"), where("x2").eq("indexed 2"))).containsExactly(r.id());
        Map<String, Object> shortValues = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            shortValues.put("t" + i, "forty bytes: " + "x".repeat(27));
        }
        if (shortValuesFillTheRow()) {
            assertThatThrownBy(() -> records("wide").create(shortValues)).matches(error("id",
                    FieldErrorCode.OUT_OF_RANGE), "ValidationException OUT_OF_RANGE");
        } else {
            assertThat(records("wide").create(shortValues).get("t299")).isEqualTo(shortValues.get("t299"));
        }

        int max = maxColumns();
        if (max == 0) {
            return;
        }
        assertThatThrownBy(() -> addTextType("over", max - 8)).isInstanceOf(SchemaException.class)
                .hasMessageContaining(String.valueOf(max));
        assertThat(crm().schema().findObjectType("over")).isEmpty();
        addTextType("full", max - 9);
        assertThatThrownBy(() -> crm().schema().addField("full", Field.text("one_more")))
                .isInstanceOf(SchemaException.class).hasMessageContaining(String.valueOf(max));
        assertThatThrownBy(() -> crm().schema().addField("full", Field.currency("two_more")))
                .isInstanceOf(SchemaException.class);
        crm().schema().addField("full", Field.formula("no_column", org.crmkit.schema.FieldType.INTEGER, "1 + 1"));
        Record full = records("full").create(values("f0", "first", "f" + (max - 10), "last"));
        assertThat(records("full").get(full.id()).get("f" + (max - 10))).isEqualTo("last");

        crm().schema().deleteField("full", "f1", org.crmkit.schema.DataPolicy.DISCARD_DATA);
        if (deletedFieldsKeepColumns()) {
            assertThatThrownBy(() -> crm().schema().addField("full", Field.text("again")))
                    .isInstanceOf(SchemaException.class).hasMessageContaining("deleted fields");
        } else {
            crm().schema().addField("full", Field.text("again"));
            Record updated = records("full").update(records("full").get(full.id()), values("again", "fits"));
            assertThat(updated.get("again")).isEqualTo("fits");
        }
    }

    /**
     * Whether the storage keeps values of up to 40 bytes inside a row of about 8,000 bytes, so a record filling 300
     * fields with such values is refused (MariaDB's InnoDB).
     */
    protected boolean shortValuesFillTheRow() {
        return false;
    }

    /** Whether the columns of deleted fields still count towards {@link #maxColumns()} (PostgreSQL). */
    protected boolean deletedFieldsKeepColumns() {
        return false;
    }

    @BeforeEach
    void fixture() {
        defineWidget();
        records(WIDGET).create(values("name", "plain", "tags", List.of("a")));
    }

    private static void assertRefused(Supplier<Filter> filter, FieldErrorCode code) {
        assertThatThrownBy(filter::get).matches(error("filter", code), "ValidationException " + code + " on filter");
    }

    @Test
    void nulInFilterValuesIsRefusedWhenTheFilterIsBuilt() {
        assertRefused(() -> where("name").eq("a\0b"), FieldErrorCode.INVALID_CHARACTER);
        assertRefused(() -> where("name").in("x", "\0"), FieldErrorCode.INVALID_CHARACTER);
        assertRefused(() -> where("name").contains("\0"), FieldErrorCode.INVALID_CHARACTER);
        assertRefused(() -> where("name").startsWith("p\0"), FieldErrorCode.INVALID_CHARACTER);
        assertRefused(() -> where("tags").hasAny("a", "\0"), FieldErrorCode.INVALID_CHARACTER);
        assertRefused(() -> where("name").between("a", "\0"), FieldErrorCode.INVALID_CHARACTER);
        assertThat(ids(records(WIDGET), where("name").eq("plain"))).hasSize(1);
    }

    @Test
    void filterTextPastTheLimitIsRefusedAndTextAtTheLimitIsAnswered() {
        String big = "x".repeat(10_000);
        List<Object> tooMuch = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            tooMuch.add(big + i);
        }
        assertRefused(() -> where("name").in(tooMuch), FieldErrorCode.OUT_OF_RANGE);
        assertRefused(() -> where("name").contains("y".repeat(Filter.MAX_TEXT + 1)), FieldErrorCode.OUT_OF_RANGE);
        List<Object> half = tooMuch.subList(0, 50);
        assertRefused(() -> where("name").in(half).or(where("code").in(half)).or(where("notes").in(half)),
                FieldErrorCode.OUT_OF_RANGE);

        List<Object> atLimit = new ArrayList<>(tooMuch.subList(0, 99));
        atLimit.add("plain");
        assertThat(ids(records(WIDGET), where("name").in(atLimit))).hasSize(1);
    }

    @Test
    void principalIdsPastTheColumnOrWithControlCharactersAreRefusedAtCreation() {
        String longest = "u".repeat(Principal.MAX_ID_LENGTH);
        assertThatThrownBy(() -> Principal.user(longest + "u", Role.ADMIN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id");
        assertThatThrownBy(() -> Principal.user("a\0b", Role.ADMIN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+0000");
        assertThatThrownBy(() -> Principal.user("ann", Role.ADMIN).inTeams("t\nx"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("teams");
        assertThatThrownBy(() -> Principal.user("ann", Role.ADMIN).inTeams("t".repeat(Principal.MAX_ID_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("teams");

        String longTeam = "t".repeat(Principal.MAX_ID_LENGTH);
        String emoji = "\uD83D\uDE00".repeat(Principal.MAX_ID_LENGTH / 2);
        for (String id : List.of(longest, emoji)) {
            CrmSession user = crm().as(Principal.user(id, Role.ADMIN).inTeams(longTeam));
            Record r = user.records(WIDGET).create(values("name", "mine"));
            assertThat(r.owner()).isEqualTo(id);
            assertThat(r.team()).isEqualTo(longTeam);
            assertThat(user.records(WIDGET).get(r.id()).owner()).isEqualTo(id);
            assertThat(ids(user.records(WIDGET), where("owner").eq(id))).containsExactly(r.id());
        }
    }
}
