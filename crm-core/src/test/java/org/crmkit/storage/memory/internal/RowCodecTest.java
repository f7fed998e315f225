package org.crmkit.storage.memory.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.event.Operation;
import org.crmkit.record.Address;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class RowCodecTest {
    private static final UUID ID = UUID.fromString("0190a8e2-7c4b-7d3e-9f00-0123456789ab");
    private static final Instant AT = Instant.parse("2026-12-07T10:15:30.123456789Z");

    private final RowCodec rows = new RowCodec(new Names());
    private final EntryCodec entries = new EntryCodec(rows);

    /** A value of each Java type a field can hold, texts from all of Unicode (lone surrogates included). */
    private static Gen<Object> values() {
        Gen<String> texts = strings().allPossible().ofLengthBetween(0, 12);
        Gen<BigDecimal> decimals = longs().all().zip(integers().between(-20, 40), BigDecimal::valueOf);
        Gen<BigDecimal> bigDecimals = longs().all().zip(integers().between(0, 30),
                (l, s) -> new BigDecimal(BigInteger.valueOf(l).multiply(BigInteger.TEN.pow(25)), s));
        return Generate.oneOf(texts.map(s -> (Object) s), longs().all().map(l -> (Object) l),
                booleans().all().map(b -> (Object) b), decimals.map(d -> (Object) d), bigDecimals.map(d -> (Object) d),
                decimals.zip(Generate.pick(List.of("EUR", "USD", "JPY")), (d, c) -> (Object) new Money(d, c)),
                longs().between(LocalDate.MIN.toEpochDay(), LocalDate.MAX.toEpochDay())
                        .map(d -> (Object) LocalDate.ofEpochDay(d)),
                longs().between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond())
                        .zip(integers().between(0, 999_999_999), (s, n) -> (Object) Instant.ofEpochSecond(s, n)),
                longs().all().zip(longs().all(), (a, b) -> (Object) new UUID(a, b)),
                texts.zip(texts, booleans().all(), (a, b, blank) -> (Object) new Address(a, blank ? null : b, null,
                        b, a)),
                lists().of(texts).ofSizeBetween(0, 4).map(l -> (Object) List.copyOf(l)),
                lists().of(longs().all()).ofSizeBetween(0, 3)
                        .map(l -> (Object) l.stream().map(x -> new UUID(x, ~x)).toList()),
                integers().all().map(i -> (Object) i));
    }

    @Test
    void everyValueOfEveryTypeRoundTripsInARecord() {
        qt().withExamples(500).forAll(lists().of(values()).ofSizeBetween(0, 12), longs().between(1, 1L << 40),
                booleans().all(), strings().allPossible().ofLengthBetween(1, 8))
                .checkAssert((vals, version, deleted, owner) -> {
                    Map<String, Object> map = new HashMap<>();
                    for (int i = 0; i < vals.size(); i++) {
                        map.put("f_" + i, vals.get(i));
                    }
                    Record r = new Record(ID, "gadget", version, owner, deleted ? null : "team-" + owner, AT,
                            "u-1", AT.plusNanos(version), "u-2", deleted ? AT.minusSeconds(version) : null, map);
                    Record back = rows.decode(ID, "gadget", rows.encode(r));
                    assertThat(back).isEqualTo(r);
                    for (String f : map.keySet()) {
                        Object v = map.get(f);
                        assertThat(back.get(f)).isInstanceOf(v instanceof List ? List.class : v.getClass())
                                .isEqualTo(v);
                    }
                });
    }

    @Test
    void edgeValuesRoundTripExactly() {
        Map<String, Object> map = new HashMap<>();
        map.put("scale", new BigDecimal("1.500"));
        map.put("negative_scale", new BigDecimal("1E+5"));
        map.put("huge", new BigDecimal("-123456789012345678901234567890.123456789"));
        map.put("min_long", Long.MIN_VALUE);
        map.put("max_long", Long.MAX_VALUE);
        map.put("lone_surrogate", "a\uD800b");
        map.put("emoji", "łukasz 😀 ışık");
        map.put("latin1", "Jörg ÿ");
        map.put("empty", "");
        map.put("nanos", Instant.ofEpochSecond(-1, 1));
        map.put("instant_min", Instant.MIN);
        map.put("date_max", LocalDate.MAX);
        map.put("list_with_null", java.util.Collections.unmodifiableList(Arrays.asList("a", null)));
        map.put("empty_list", List.of());
        map.put("other", 42);
        map.put("cipher", "crmk:ea:AbCdEf-_0123");
        Record r = new Record(ID, "contact", 7, "u-1", null, AT, "u-1", AT, "u-1", null, map);
        StoredRow row = rows.encode(r);
        assertThat(row.extras).containsExactlyInAnyOrder("a\uD800b", 42);
        Record back = rows.decode(ID, "contact", row);
        assertThat(back).isEqualTo(r);
        assertThat(back.getDecimal("scale").scale()).isEqualTo(3);
        assertThat(back.getDecimal("negative_scale").scale()).isEqualTo(-5);
    }

    @Test
    void principalsAndTypesAreSharedStrings() {
        Record a = new Record(ID, "contact", 1, new String("u-1"), null, AT, new String("u-1"), AT, "u-1", null,
                Map.of());
        StoredRow row = rows.encode(a);
        assertThat(row.owner).isSameAs(row.createdBy).isSameAs(row.updatedBy);
    }

    @Test
    void aCreateEntrySharesTheBytesOfItsRowAndRoundTrips() {
        Record r = new Record(ID, "contact", 1, "u-1", null, AT, "u-1", AT, "u-1", null,
                Map.of("last_name", "Lovelace", "first_name", "Ada", "score", 3L));
        StoredRow row = rows.encode(r);
        List<FieldChange> changes = List.of(new FieldChange("first_name", null, "Ada"),
                new FieldChange("last_name", null, "Lovelace"), new FieldChange("score", null, 3L),
                new FieldChange("owner", null, "u-1"));
        ChangeLogEntry e = new ChangeLogEntry(5, AT, "u-1", "contact", ID, Operation.CREATE, 1, changes,
                UUID.randomUUID());
        StoredEntry stored = entries.encode(e, row);
        assertThat(stored.lead).isSameAs(row.data);
        assertThat(entries.decode(stored)).isEqualTo(e);
    }

    @Test
    void anEntryThatDoesNotMatchItsRowKeepsItsOwnBytes() {
        Record r = new Record(ID, "contact", 2, "u-1", null, AT, "u-1", AT, "u-1", null,
                Map.of("first_name", "Ada", "last_name", "Byron"));
        StoredRow row = rows.encode(r);
        List<List<FieldChange>> cases = List.of(
                List.of(new FieldChange("first_name", null, "Ada"), new FieldChange("last_name", null, "Lovelace")),
                List.of(new FieldChange("last_name", "Lovelace", "Byron")),
                List.of(new FieldChange("first_name", null, "Ada")),
                List.of(new FieldChange("first_name", null, "Ada"), new FieldChange("last_name", null, "Byron"),
                        new FieldChange("merged_from", null, List.of(ID)), new FieldChange("x", 1, null)),
                List.of());
        for (List<FieldChange> changes : cases) {
            ChangeLogEntry e = new ChangeLogEntry(9, AT, "u-2", "contact", ID, Operation.UPDATE, 2, changes,
                    ID);
            StoredEntry stored = entries.encode(e, row);
            assertThat(entries.decode(stored)).isEqualTo(e);
            assertThat(stored.lead).isEqualTo(changes.size() == 4 ? row.data : null);
        }
    }

    @Test
    void everyChangeOfAnyValueRoundTripsInAnEntry() {
        qt().withExamples(300).forAll(lists().of(values()).ofSizeBetween(0, 6),
                lists().of(values()).ofSizeBetween(0, 6), integers().between(0, Operation.values().length - 1),
                longs().all()).checkAssert((olds, news, op, version) -> {
                    List<FieldChange> changes = new ArrayList<>();
                    for (int i = 0; i < Math.max(olds.size(), news.size()); i++) {
                        changes.add(new FieldChange("f_" + i, i < olds.size() ? olds.get(i) : null,
                                i < news.size() ? news.get(i) : null));
                    }
                    ChangeLogEntry e = new ChangeLogEntry(version, AT, "u-1", "deal", ID, Operation.values()[op],
                            version, changes, new UUID(version, ~version));
                    assertThat(entries.decode(entries.encode(e, null))).isEqualTo(e);
                });
    }
}
