package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.record.Address;
import org.crmkit.record.ImportResult;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.storage.spi.StorageFeature;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Every kind of stored value goes through a bulk import exactly as through {@code create}: the storage's bulk path
 * ({@code COPY} on PostgreSQL, rendered JDBC batches on H2, batches on MariaDB) writes record rows, change-log
 * entries and ledger rows of its own, and must store what the one-row path stores. The rows hold the values that
 * such a path must escape or convert: nulls, quotes, tabs, line breaks, backslashes and the COPY markers {@code \N}
 * and {@code \.}, non-Latin and astral characters, the largest decimals a column holds, negative and tiny amounts,
 * leap days and far dates, instants to the microsecond, booleans, picklists, multi-line addresses. Forty rows, more
 * than one multi-row INSERT of the change log takes, so every table goes the bulk way.
 */
public abstract class ImportValuesContract extends ConformanceContract {
    private static final String SAMPLE = "sample";
    private static final int ROWS = 40;

    private static final List<@Nullable Object> TEXTS = List.of("tab\there", "back\\slash\\", "\\N", "\\.",
            "a\\tb\\n", "\u00fcn\u00efc\u00f6d\u00e9 \u2713 \u65e5\u672c \ud83d\ude00", "'quote\" ,comma;semi|pipe",
            "in  side");
    private static final List<@Nullable Object> LONG_TEXTS = new ArrayList<>(BackupContract.AWKWARD);
    private static final List<@Nullable Object> INTEGERS = List.of(0L, -1L, 9_007_199_254_740_991L,
            -9_007_199_254_740_991L, 42L);
    private static final List<@Nullable Object> DECIMALS = List.of(new BigDecimal("9999999999999999.99"),
            new BigDecimal("-9999999999999999.99"), new BigDecimal("-0.01"), BigDecimal.ZERO, new BigDecimal("12.5"));
    private static final List<@Nullable Object> MONEY = List.of(Money.of("1234567890123.45", "EUR"),
            Money.of("-0.01", "USD"), Money.of("0", "GBP"));
    private static final List<@Nullable Object> DATES = List.of(LocalDate.of(2024, 2, 29), LocalDate.of(1899, 12, 31),
            LocalDate.of(9999, 12, 31), LocalDate.of(1970, 1, 1));
    private static final List<@Nullable Object> INSTANTS = List.of(Instant.parse("2024-02-29T23:59:59.123456Z"),
            Instant.parse("1970-01-01T00:00:00Z"), Instant.parse("1899-12-31T00:00:00.000001Z"),
            Instant.parse("2999-06-30T12:00:00.5Z"));
    private static final List<@Nullable Object> EMAILS = List.of("o'brien+tag@example.com",
            "j\u00f6rg@m\u00fcller.de");
    private static final List<@Nullable Object> ADDRESSES = List.of(new Address("1 Main St\nFlat 2\t\\b", "Z\u00fcrich",
            null, "8001", "CH"), new Address(null, "\u6771\u4eac", "\\N", null, null));

    private static @Nullable Object pick(List<@Nullable Object> values, int i) {
        // every third row leaves the field empty: a null between values of every kind
        return i % 3 == 2 ? null : values.get(i % values.size());
    }

    private static Map<String, @Nullable Object> row(int i) {
        Map<String, @Nullable Object> row = new HashMap<>();
        row.put("title", "s" + i + "\t\\" + i);
        row.put("label", pick(TEXTS, i));
        row.put("body", pick(LONG_TEXTS, i));
        row.put("n", pick(INTEGERS, i));
        row.put("amount", pick(DECIMALS, i));
        row.put("share", i % 3 == 2 ? null : new BigDecimal(i % 2 == 0 ? "100" : "0.01"));
        row.put("price", pick(MONEY, i));
        row.put("flag", i % 3 == 2 ? null : i % 2 == 0);
        row.put("day", pick(DATES, i));
        row.put("at", pick(INSTANTS, i));
        row.put("mail", i % 3 == 2 ? null : i + "." + EMAILS.get(i % EMAILS.size()));
        row.put("link", i % 3 == 2 ? null : "https://example.com/a?b=" + i + "&c=%20d#frag");
        row.put("tier", i % 3 == 2 ? null : i % 2 == 0 ? "gold" : "silver");
        row.put("tags", i % 3 == 2 ? List.of() : i % 2 == 0 ? List.of("a", "c") : List.of("b"));
        row.put("addr", pick(ADDRESSES, i));
        return row;
    }

    private void defineSample() {
        crm().schema().addObjectType(ObjectType.custom(SAMPLE, "Sample", Field.text("title").required(true),
                Field.text("label"), Field.longText("body"), Field.integer("n"), Field.decimal("amount"),
                Field.percent("share"), Field.currency("price"), Field.bool("flag"), Field.date("day"),
                Field.datetime("at"), Field.email("mail"), Field.url("link"), Field.picklist("tier", "gold", "silver"),
                Field.multiPicklist("tags", "a", "b", "c"), Field.address("addr")));
    }

    @Test
    void everyKindOfValueImportsAsCreateStoresIt() {
        assumeSupported(StorageFeature.IMPORT_LEDGER);
        defineSample();
        List<Map<String, ?>> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            rows.add(row(i));
        }
        long start = crm().changeLog().lastSequence();
        ImportResult imported = records(SAMPLE).importRecords("values \\N\t\u2713", rows);
        assertThat(imported.errors()).isEmpty();
        assertThat(imported.created()).isEqualTo(ROWS);
        List<ChangeLogEntry> log = logAfter(start);
        assertThat(log).hasSize(ROWS);

        for (int i = 0; i < ROWS; i++) {
            UUID id = Objects.requireNonNull(imported.createdIds().get(i + 1L));
            Record got = records(SAMPLE).get(id);
            Record made = records(SAMPLE).create(rows.get(i));
            // the same values as the one-row path stores, read back from the storage
            assertThat(got.values()).as("row %d", i + 1).isEqualTo(records(SAMPLE).get(made.id()).values());
            assertThat(got.getString("title")).isEqualTo("s" + i + "\t\\" + i);
            assertThat(got.getString("body")).isEqualTo(emptyAsNull(pick(LONG_TEXTS, i)));
            assertThat(got.getLong("n")).isEqualTo(pick(INTEGERS, i));
            BigDecimal amount = got.getDecimal("amount");
            Object expected = pick(DECIMALS, i);
            assertThat(amount == null ? null : amount.compareTo((BigDecimal) Objects.requireNonNull(expected)))
                    .isEqualTo(expected == null ? null : 0);
            assertThat(got.getDate("day")).isEqualTo(pick(DATES, i));
            assertThat(got.getInstant("at")).isEqualTo(pick(INSTANTS, i));
            assertThat(got.getAddress("addr")).isEqualTo(pick(ADDRESSES, i));
            // its change-log entry holds every value it was created with, as create's entry does
            ChangeLogEntry entry = log.get(i);
            assertThat(entry.recordId()).isEqualTo(id);
            ChangeLogEntry createEntry = records(SAMPLE).timeline(made.id()).get(0);
            assertThat(entry.changes()).as("row %d", i + 1).isEqualTo(createEntry.changes());
            for (FieldChange c : entry.changes()) {
                if (!row(i).containsKey(c.field())) {
                    continue; // a system field (owner)
                }
                assertThat(c.newValue()).as("row %d %s", i + 1, c.field()).isEqualTo(got.get(c.field()));
            }
        }
        // the ledger holds the awkward import id: a re-run skips every row
        assertThat(records(SAMPLE).importRecords("values \\N\t\u2713", rows).skipped()).isEqualTo(ROWS);
    }

    private static @Nullable Object emptyAsNull(@Nullable Object text) {
        return "".equals(text) ? null : text;
    }
}
