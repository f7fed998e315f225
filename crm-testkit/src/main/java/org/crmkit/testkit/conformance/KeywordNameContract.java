package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.query.Filters.and;
import static org.crmkit.query.Filters.where;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.query.AggregateRow;
import org.crmkit.query.Aggregation;
import org.crmkit.query.Filters;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.ValidationRule;
import org.crmkit.security.Principal;
import org.crmkit.storage.spi.StorageFeature;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SQL keywords are ordinary names: storages quote every identifier, so an object type {@code order} with fields
 * {@code value}, {@code type}, {@code date}, {@code select}, {@code from}, {@code where}... is created, written, read,
 * filtered, sorted, paged, aggregated, indexed and kept unique like any other, and CEL rules and formulas read its
 * fields by name.
 */
public abstract class KeywordNameContract extends ConformanceContract {
    private static final String ORDER = "order";

    @BeforeEach
    void fixture() {
        crm().schema().addObjectType(ObjectType.custom(ORDER, "Order",
                Field.text("value").required(true),
                Field.picklist("type", "a", "b"),
                Field.date("date"),
                Field.datetime("start"),
                Field.datetime("end"),
                Field.integer("order"),
                Field.decimal("position"),
                Field.integer("year").indexed(true),
                Field.bool("open"),
                Field.date("close"),
                Field.text("no"),
                Field.text("select"),
                Field.email("from"),
                Field.text("where"),
                Field.picklist("group", "g1", "g2"),
                Field.reference("user", "contact"),
                Field.text("key").unique(true),
                Field.integer("index").indexed(true),
                Field.text("table"),
                Field.formula("total", FieldType.INTEGER, "order + year")));
        crm().schema().addRule(ORDER, ValidationRule.of("open_needs_start", "open != true || start != null",
                "an open order needs a start").on("start"));
        Record ada = records("contact").create(Map.of("last_name", "Lovelace"));
        for (int i = 1; i <= 4; i++) {
            records(ORDER).create(values("value", "v" + i, "type", i % 2 == 0 ? "b" : "a",
                    "date", LocalDate.of(2020, 1, i), "start", Instant.parse("2020-01-0" + i + "T08:00:00Z"),
                    "end", Instant.parse("2020-01-0" + i + "T17:00:00Z"), "order", (long) i,
                    "position", new BigDecimal(i + ".5"), "year", 2020L + i, "open", i <= 2,
                    "close", LocalDate.of(2021, 1, i), "no", "n" + i, "select", "select " + i,
                    "from", "sender" + i + "@example.com", "where", i <= 2 ? "here" : "there",
                    "group", i <= 3 ? "g1" : "g2", "user", ada.id(), "key", "k" + i, "index", 10L * i,
                    "table", "t" + i));
        }
    }

    private List<String> values(RecordSet set, Query query) {
        return all(set, query).stream().map(r -> r.getString("value")).toList();
    }

    @Test
    void keywordFieldsAreWrittenAndReadBack() {
        Record v3 = all(records(ORDER), Query.where(where("value").eq("v3"))).get(0);
        assertThat(v3.getString("type")).isEqualTo("a");
        assertThat(v3.getDate("date")).isEqualTo(LocalDate.of(2020, 1, 3));
        assertThat(v3.getInstant("start")).isEqualTo(Instant.parse("2020-01-03T08:00:00Z"));
        assertThat(v3.getInstant("end")).isEqualTo(Instant.parse("2020-01-03T17:00:00Z"));
        assertThat(v3.getLong("order")).isEqualTo(3L);
        assertThat(v3.getDecimal("position")).isEqualByComparingTo("3.5");
        assertThat(v3.getLong("year")).isEqualTo(2023L);
        assertThat(v3.getBoolean("open")).isFalse();
        assertThat(v3.getDate("close")).isEqualTo(LocalDate.of(2021, 1, 3));
        assertThat(v3.getString("no")).isEqualTo("n3");
        assertThat(v3.getString("select")).isEqualTo("select 3");
        assertThat(v3.getString("from")).isEqualTo("sender3@example.com");
        assertThat(v3.getString("where")).isEqualTo("there");
        assertThat(v3.getString("group")).isEqualTo("g1");
        assertThat(v3.getReference("user")).isNotNull();
        assertThat(v3.getString("key")).isEqualTo("k3");
        assertThat(v3.getLong("index")).isEqualTo(30L);
        assertThat(v3.getString("table")).isEqualTo("t3");
        assertThat(v3.getLong("total")).isEqualTo(2026L);

        Record updated = records(ORDER).update(v3.id(), v3.version(), values("order", 7L, "select", null,
                "where", "elsewhere"));
        assertThat(records(ORDER).get(v3.id())).isEqualTo(updated);
        assertThat(updated.getLong("total")).isEqualTo(2030L);
        Crm again = reopen();
        if (again != null) {
            Record reread = again.as(Principal.SYSTEM).records(ORDER).get(v3.id());
            assertThat(reread.getLong("order")).isEqualTo(7L);
            assertThat(reread.getString("where")).isEqualTo("elsewhere");
            assertThat(reread.getString("select")).isNull();
        }
    }

    @Test
    void keywordFieldsFilterSortAndPage() {
        assertThat(values(records(ORDER), Query.where(where("order").gt(2)).orderBy(Sort.asc("value"))))
                .containsExactly("v3", "v4");
        assertThat(values(records(ORDER), Query.where(and(where("type").eq("a"), where("where").eq("here")))))
                .containsExactly("v1");
        assertThat(values(records(ORDER), Query.where(where("select").contains("SELECT 2")))).containsExactly("v2");
        assertThat(values(records(ORDER), Query.where(where("from").eq("sender4@example.com"))))
                .containsExactly("v4");
        assertThat(values(records(ORDER), Query.where(where("date").between("2020-01-02", "2020-01-03"))
                .orderBy(Sort.desc("end")))).containsExactly("v3", "v2");
        assertThat(records(ORDER).count(and(where("open").eq(true), where("index").lte(10), where("no").eq("n1"),
                where("table").startsWith("t"), where("key").in("k1", "k2"), where("year").gte(2021),
                where("position").lt(2), where("close").isNotNull(), where("user").isNotNull(),
                where("group").eq("g1"), where("start").lt("2020-01-02T00:00:00Z")))).isEqualTo(1);
        for (String path : List.of("order", "year", "index", "date", "start", "end", "position", "key", "table",
                "no", "close")) {
            assertThat(values(records(ORDER), Query.all().orderBy(Sort.desc(path), Sort.asc("value")).limit(1)))
                    .as("descending by %s, a page a record", path).containsExactly("v4", "v3", "v2", "v1");
        }
        assertThat(values(records(ORDER), Query.all().orderBy(Sort.asc("group"), Sort.desc("type"),
                Sort.asc("value")).limit(1))).containsExactly("v2", "v1", "v3", "v4");
    }

    @Test
    void keywordFieldsGroupAndAggregate() {
        assumeSupported(StorageFeature.AGGREGATES);
        List<AggregateRow> rows = records(ORDER).aggregate(Aggregation.groupBy("type", "group").sum("order")
                .min("date").max("end").max("year"), Filters.all());
        assertThat(rows).extracting(AggregateRow::group).containsExactly(row("a", "g1"), row("b", "g1"),
                row("b", "g2"));
        assertThat(rows).extracting(r -> r.sum("order")).containsExactly(BigDecimal.valueOf(4),
                BigDecimal.valueOf(2), BigDecimal.valueOf(4));
        assertThat(rows.get(0).min("date")).isEqualTo(LocalDate.of(2020, 1, 1));
        assertThat(rows.get(2).max("end")).isEqualTo(Instant.parse("2020-01-04T17:00:00Z"));
        assertThat(rows.get(1).max("year")).isEqualTo(2022L);
        assertThat(records(ORDER).aggregate(Aggregation.groupBy("where").sum("index"), where("select").isNotNull()))
                .extracting(r -> r.sum("index")).containsExactly(BigDecimal.valueOf(30), BigDecimal.valueOf(70));
    }

    @Test
    void keywordFieldsKeepUniquenessAndRules() {
        long before = records(ORDER).count(Filters.all());
        assertThatThrownBy(() -> records(ORDER).create(values("value", "dup", "key", "k2")))
                .matches(error("key", FieldErrorCode.NOT_UNIQUE));
        assertThatThrownBy(() -> records(ORDER).create(values("value", "rule", "open", true)))
                .matches(error("start", FieldErrorCode.RULE_VIOLATED));
        assertThat(records(ORDER).count(Filters.all())).isEqualTo(before);
        Record ok = records(ORDER).create(values("value", "ok", "open", true, "start", "2020-02-01T00:00:00Z",
                "order", 1L, "year", 1L, "key", "k5"));
        assertThat(ok.getLong("total")).isEqualTo(2L);
        records(ORDER).delete(ok.id(), ok.version());
        assertThat(records(ORDER).count(Filters.all())).isEqualTo(before);
    }
}
