package org.crmkit.storage.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.crmkit.error.StorageException;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.Test;

/**
 * The text {@link CopyRows} sends to PostgreSQL's {@code COPY FROM STDIN}: every value as PostgreSQL reads it back,
 * escaped so that no value ends a column, a row or the data early. (The conformance contracts load the same values
 * through PostgreSQL itself: {@code BackupContract.awkwardTextSurvivesABulkImportABackupAndARestore}.)
 */
class CopyRowsTest {
    private static final Table<?> TABLE = DSL.table(DSL.name("crm_memo"));
    private static final List<org.jooq.Field<?>> ONE = List.of(DSL.field(DSL.name("body"), SQLDataType.CLOB));

    private static String text(List<? extends org.jooq.Field<?>> columns, Object[]... rows) {
        return new String(CopyRows.encode(TABLE, columns, Arrays.asList(rows)), StandardCharsets.UTF_8);
    }

    private static String one(Object value) {
        return text(ONE, new Object[] {value});
    }

    @Test
    void textIsEscapedAsTheFormatAsks() {
        assertThat(one("tab\there")).isEqualTo("tab\\there\n");
        assertThat(one("line\nbreak\r\n")).isEqualTo("line\\nbreak\\r\\n\n");
        assertThat(one("back\\slash")).isEqualTo("back\\\\slash\n");
        assertThat(one("\\N")).isEqualTo("\\\\N\n"); // the text \N, not NULL
        assertThat(one("\\.")).isEqualTo("\\\\.\n"); // not the end-of-data marker
        assertThat(one("'quote\" ,comma;")).isEqualTo("'quote\" ,comma;\n");
    }

    @Test
    void rowsSentInChunksAreWholeAndInOrder() {
        List<Object[]> rows = new java.util.ArrayList<>();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 3 * CopyRows.CHUNK / 100; i++) {
            String s = "row " + i + " \u00e9\\\t" + "x".repeat(i % 200) + "\n\ud83d\ude00";
            rows.add(new Object[] {s});
            expected.append("row ").append(i).append(" \u00e9\\\\\\t").append("x".repeat(i % 200))
                    .append("\\n\ud83d\ude00\n");
        }
        assertThat(expected.length()).isGreaterThan(2 * CopyRows.CHUNK);
        assertThat(new String(CopyRows.encode(TABLE, ONE, rows), StandardCharsets.UTF_8))
                .isEqualTo(expected.toString());
    }

    @Test
    void aBadTextInARowAfterManyChunksIsStillRefused() {
        List<Object[]> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 3 * CopyRows.CHUNK / 10; i++) {
            rows.add(new Object[] {"ok " + i});
        }
        rows.add(new Object[] {"bad\u0000"});
        assertThatThrownBy(() -> CopyRows.encode(TABLE, ONE, rows)).isInstanceOf(StorageException.class)
                .hasMessageContaining("U+0000");
    }

    @Test
    void nullAndTheEmptyStringDiffer() {
        assertThat(one(null)).isEqualTo("\\N\n");
        assertThat(one("")).isEqualTo("\n");
    }

    @Test
    void unicodeGoesAsUtf8() {
        String s = "\u00fcn\u00efc\u00f6d\u00e9 \u65e5\u672c \ud83d\ude00";
        assertThat(CopyRows.encode(TABLE, ONE, List.<Object[]>of(new Object[] {s})))
                .isEqualTo((s + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aNulOrHalfASurrogatePairIsRefusedNamingTheColumn() {
        assertThatThrownBy(() -> one("a\u0000b")).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.getMessage()).contains("column body of crm_memo", "U+0000")
                        .doesNotContain("a\u0000b"));
        assertThatThrownBy(() -> one("x\ud83d")).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.getMessage()).contains("column body", "surrogate"));
        assertThatThrownBy(() -> one("\ude00x")).isInstanceOf(StorageException.class);
    }

    @Test
    void everyColumnTypeIsWrittenAsPostgresqlReadsIt() {
        UUID id = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");
        List<org.jooq.Field<?>> columns = List.of(DSL.field(DSL.name("a")), DSL.field(DSL.name("b")),
                DSL.field(DSL.name("c")), DSL.field(DSL.name("d")), DSL.field(DSL.name("e")), DSL.field(DSL.name("f")),
                DSL.field(DSL.name("g")), DSL.field(DSL.name("h")));
        assertThat(text(columns, new Object[] {id, 42L, 7, true, new BigDecimal("1E+3"), new BigDecimal("-0.50"),
                LocalDate.of(2025, 3, 9), LocalDateTime.of(2025, 3, 9, 4, 5, 6, 123_456_000)},
                new Object[] {null,
                        -1L, 0, false, BigDecimal.ZERO, null, LocalDate.of(1, 1, 1), LocalDateTime.of(9999, 12, 31,
                                23, 59, 59, 999_999_000)}))
                .isEqualTo(id + "\t42\t7\tt\t1000\t-0.50\t2025-03-09\t2025-03-09 04:05:06.123456\n"
                        + "\\N\t-1\t0\tf\t0\t\\N\t0001-01-01\t9999-12-31 23:59:59.999999\n");
    }

    @Test
    void yearsBeforeOneAndAfter9999AreWrittenAsPostgresqlCountsThem() {
        assertThat(one(LocalDate.of(0, 5, 1))).isEqualTo("0001-05-01 BC\n");
        assertThat(one(LocalDate.of(-9, 5, 1))).isEqualTo("0010-05-01 BC\n");
        assertThat(one(LocalDateTime.of(0, 1, 2, 3, 4))).isEqualTo("0001-01-02 03:04:00.000000 BC\n");
        assertThat(one(LocalDate.of(12345, 6, 7))).isEqualTo("12345-06-07\n");
    }

    @Test
    void aValueOfAnotherTypeOrARowOfTheWrongWidthIsRefused() {
        assertThatThrownBy(() -> one(1.5d)).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.getMessage()).contains("java.lang.Double", "column body"));
        assertThatThrownBy(() -> text(ONE, new Object[] {"a", "b"})).isInstanceOf(IllegalArgumentException.class);
    }
}
