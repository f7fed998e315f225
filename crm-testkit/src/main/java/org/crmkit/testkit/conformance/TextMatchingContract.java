package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.crmkit.query.Filters.where;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.crmkit.RecordSet;
import org.crmkit.query.Filter;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How text is compared, the same on every storage (see {@link Filter}): {@code eq}, {@code in}, {@code hasAny} and
 * {@code hasAll} compare exactly (code point by code point: {@code é} is not {@code e}, {@code ß} is not
 * {@code ss}, {@code E} is not {@code e}); {@code contains} and {@code startsWith} ignore case by lower-casing both
 * sides character by character ({@code String.toLowerCase(Locale.ROOT)}), and are still accent-sensitive.
 */
public abstract class TextMatchingContract extends ConformanceContract {
    private static final String WORD = "word";
    private static final List<String> WORDS = List.of("e", "E", "é", "É", "ss", "SS", "ß", "straße", "STRASSE",
            "Ærø", "ærø");
    private Map<UUID, String> names = Map.of();

    @BeforeEach
    void fixture() {
        crm().schema().addObjectType(ObjectType.custom(WORD, "Word", Field.text("name").required(true),
                Field.multiPicklist("tags", "e", "E", "é", "ss", "ß")));
        RecordSet words = records(WORD);
        java.util.HashMap<UUID, String> byId = new java.util.HashMap<>();
        for (String w : WORDS) {
            List<String> tags = List.of("e", "E", "é", "ss", "ß").contains(w) ? List.of(w) : List.of();
            Record r = words.create(values("name", w, "tags", tags.isEmpty() ? null : tags));
            byId.put(r.id(), w);
        }
        names = byId;
    }

    private List<String> matching(Filter filter) {
        return ids(records(WORD), filter).stream().map(names::get).sorted().collect(Collectors.toList());
    }

    private static List<String> sorted(String... words) {
        return java.util.Arrays.stream(words).sorted().toList();
    }

    @Test
    void equalityIsExactOnCaseAndAccents() {
        assertThat(matching(where("name").eq("é"))).isEqualTo(sorted("é"));
        assertThat(matching(where("name").eq("e"))).isEqualTo(sorted("e"));
        assertThat(matching(where("name").eq("ß"))).isEqualTo(sorted("ß"));
        assertThat(matching(where("name").eq("ss"))).isEqualTo(sorted("ss"));
        assertThat(matching(where("name").ne("e"))).hasSize(WORDS.size() - 1);
        assertThat(matching(where("name").in("é", "SS"))).isEqualTo(sorted("é", "SS"));
        assertThat(matching(where("name").eq("straße"))).isEqualTo(sorted("straße"));
    }

    @Test
    void setMatchingIsExactOnCaseAndAccents() {
        assertThat(matching(where("tags").hasAny("é"))).isEqualTo(sorted("é"));
        assertThat(matching(where("tags").hasAny("e"))).isEqualTo(sorted("e"));
        assertThat(matching(where("tags").hasAny("ß"))).isEqualTo(sorted("ß"));
        assertThat(matching(where("tags").hasAll("ss"))).isEqualTo(sorted("ss"));
    }

    @Test
    void containsAndStartsWithIgnoreCaseButNotAccents() {
        assertThat(matching(where("name").contains("é"))).isEqualTo(sorted("é", "É"));
        assertThat(matching(where("name").contains("É"))).isEqualTo(sorted("é", "É"));
        assertThat(matching(where("name").startsWith("e"))).isEqualTo(sorted("e", "E"));
        assertThat(matching(where("name").contains("ß"))).isEqualTo(sorted("ß", "straße"));
        assertThat(matching(where("name").contains("ss"))).isEqualTo(sorted("ss", "SS", "STRASSE"));
        assertThat(matching(where("name").startsWith("STRA"))).isEqualTo(sorted("straße", "STRASSE"));
        assertThat(matching(where("name").contains("Æ"))).isEqualTo(sorted("Ærø", "ærø"));
        assertThat(matching(where("name").contains("rØ"))).isEqualTo(sorted("Ærø", "ærø"));
    }

    /**
     * Texts sort by their whole value: three values that first differ after 3,000 bytes (MariaDB compared only
     * the first 1,024 bytes of a TEXT column when sorting, its default {@code max_sort_length}).
     */
    @Test
    void textsSortByTheirWholeValue() {
        crm().schema().addObjectType(ObjectType.custom("memo", "Memo", Field.text("body").maxLength(4_000)));
        String prefix = "é".repeat(1_500);
        for (String last : List.of("b", "c", "a")) {
            records("memo").create(values("body", prefix + last));
        }
        List<String> ends = new java.util.ArrayList<>();
        for (Record r : all(records("memo"), org.crmkit.query.Query.all().orderBy(org.crmkit.query.Sort.asc("body"))
                .limit(2))) {
            String body = java.util.Objects.requireNonNull(r.getString("body"));
            ends.add(body.substring(body.length() - 1));
        }
        assertThat(ends).containsExactly("a", "b", "c");
    }
}
