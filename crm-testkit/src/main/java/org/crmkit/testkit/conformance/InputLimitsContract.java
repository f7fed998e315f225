package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.query.Filters.where;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.crmkit.CrmSession;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.query.Filter;
import org.crmkit.record.Record;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Input that is legal for CRMKit's API but past what a database takes is refused before it reaches the database,
 * with the same typed error on every storage: NUL in filter values, filter text past {@link Filter#MAX_TEXT},
 * principal and team ids past {@link Principal#MAX_ID_LENGTH} or with control characters. Input at the limits
 * works everywhere.
 */
public abstract class InputLimitsContract extends ConformanceContract {
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
