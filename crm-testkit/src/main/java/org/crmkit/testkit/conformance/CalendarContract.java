package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.query.Filters.where;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
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
import org.crmkit.schema.ObjectType;
import org.crmkit.security.Principal;
import org.crmkit.storage.spi.StorageFeature;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dates and date-times are proleptic Gregorian (java.time's calendar) on every storage, across the whole supported
 * range, 0001-01-01 to 9999-12-31 (date-times to 9999-12-31T23:59:59.999999Z): the days around the Gregorian
 * reform of October 1582 read back, filter, sort, page and aggregate as written, and values just outside the range
 * are refused with an error naming the field.
 */
public abstract class CalendarContract extends ConformanceContract {
    private static final String EVENT = "event";
    /** In ascending order; the i-th record has the i-th date and the i-th date-time. */
    private static final List<LocalDate> DAYS = List.of("0001-01-01", "0001-01-02", "1582-10-04", "1582-10-05",
            "1582-10-10", "1582-10-14", "1582-10-15", "1900-02-28", "9999-12-31").stream().map(LocalDate::parse)
            .toList();
    private static final List<Instant> TIMES = List.of("0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000001Z",
            "1582-10-04T23:59:59.999999Z", "1582-10-05T00:00:00Z", "1582-10-10T12:34:56.123456Z",
            "1582-10-14T00:00:00Z", "1582-10-15T00:00:00Z", "1900-02-28T00:00:00Z", "9999-12-31T23:59:59.999999Z")
            .stream().map(Instant::parse).toList();

    @BeforeEach
    void fixture() {
        crm().schema().addObjectType(ObjectType.custom(EVENT, "Event", Field.text("name").required(true),
                Field.date("held_on"), Field.datetime("starts_at")));
        for (int i = 0; i < DAYS.size(); i++) {
            records(EVENT)
                    .create(values("name", "e" + i, "held_on", DAYS.get(i).toString(), "starts_at", TIMES.get(i)));
        }
    }

    private List<Record> sorted(RecordSet events, Sort sort, int pageSize) {
        return all(events, Query.all().orderBy(sort).limit(pageSize));
    }

    @Test
    void datesAndDateTimesReadBackExactly() {
        List<Record> rows = sorted(records(EVENT), Sort.asc("held_on"), 100);
        assertThat(rows).extracting(r -> r.getDate("held_on")).containsExactlyElementsOf(DAYS);
        assertThat(rows).extracting(r -> r.getInstant("starts_at")).containsExactlyElementsOf(TIMES);
        for (Record r : rows) {
            assertThat(records(EVENT).get(r.id())).isEqualTo(r);
        }
        Crm again = reopen();
        if (again != null) {
            List<Record> reread = sorted(again.as(Principal.SYSTEM).records(EVENT), Sort.asc("starts_at"), 100);
            assertThat(reread).extracting(r -> r.getDate("held_on")).containsExactlyElementsOf(DAYS);
            assertThat(reread).extracting(r -> r.getInstant("starts_at")).containsExactlyElementsOf(TIMES);
        }
    }

    @Test
    void filtersCompareOnTheProlepticCalendar() {
        for (int i = 0; i < DAYS.size(); i++) {
            assertThat(names(where("held_on").eq(DAYS.get(i)))).as("held_on = %s", DAYS.get(i))
                    .containsExactly("e" + i);
            assertThat(names(where("held_on").eq(DAYS.get(i).toString()))).containsExactly("e" + i);
            assertThat(names(where("starts_at").eq(TIMES.get(i)))).as("starts_at = %s", TIMES.get(i))
                    .containsExactly("e" + i);
            assertThat(names(where("starts_at").eq(TIMES.get(i).toString()))).containsExactly("e" + i);
        }
        assertThat(names(where("held_on").between("1582-10-05", "1582-10-14"))).containsExactly("e3", "e4", "e5");
        assertThat(names(where("held_on").gt(LocalDate.parse("1582-10-04")))).containsExactly("e3", "e4", "e5", "e6",
                "e7", "e8");
        assertThat(names(where("held_on").lt("0001-01-02"))).containsExactly("e0");
        assertThat(names(where("held_on").gte("9999-12-31"))).containsExactly("e8");
        assertThat(names(where("starts_at").lt("1582-10-05T00:00:00Z"))).containsExactly("e0", "e1", "e2");
        assertThat(names(where("starts_at").gt("9999-12-31T23:59:59.999998Z"))).containsExactly("e8");
        assertThat(names(where("starts_at").lte("0001-01-01T00:00:00Z"))).containsExactly("e0");
        assertThat(names(where("held_on").in(LocalDate.parse("1582-10-10"), LocalDate.parse("0001-01-01"))))
                .containsExactly("e0", "e4");
    }

    private List<String> names(org.crmkit.query.Filter filter) {
        return all(records(EVENT), Query.where(filter).orderBy(Sort.asc("name")).limit(100)).stream()
                .map(r -> r.getString("name")).toList();
    }

    @Test
    void sortAndKeysetPagesFollowTheCalendar() {
        List<String> ascending = new ArrayList<>();
        for (int i = 0; i < DAYS.size(); i++) {
            ascending.add("e" + i);
        }
        List<String> descending = new ArrayList<>(ascending);
        java.util.Collections.reverse(descending);
        for (String path : List.of("held_on", "starts_at")) {
            assertThat(sorted(records(EVENT), Sort.asc(path), 2)).extracting(r -> r.getString("name"))
                    .as("ascending by %s, two a page", path).containsExactlyElementsOf(ascending);
            assertThat(sorted(records(EVENT), Sort.desc(path), 2)).extracting(r -> r.getString("name"))
                    .as("descending by %s, two a page", path).containsExactlyElementsOf(descending);
        }
    }

    @Test
    void minMaxAndGroupsAreTheValuesWritten() {
        assumeSupported(StorageFeature.AGGREGATES);
        AggregateRow total = records(EVENT).aggregate(Aggregation.total().min("held_on").max("held_on").min("starts_at")
                .max("starts_at"), Filters.all()).get(0);
        assertThat(total.min("held_on")).isEqualTo(DAYS.get(0));
        assertThat(total.max("held_on")).isEqualTo(DAYS.get(DAYS.size() - 1));
        assertThat(total.min("starts_at")).isEqualTo(TIMES.get(0));
        assertThat(total.max("starts_at")).isEqualTo(TIMES.get(TIMES.size() - 1));

        AggregateRow reform = records(EVENT).aggregate(Aggregation.total().min("held_on").max("starts_at"),
                where("held_on").between("1582-10-05", "1582-10-14")).get(0);
        assertThat(reform.count()).isEqualTo(3);
        assertThat(reform.min("held_on")).isEqualTo(LocalDate.parse("1582-10-05"));
        assertThat(reform.max("starts_at")).isEqualTo(Instant.parse("1582-10-14T00:00:00Z"));

        List<AggregateRow> byDay = records(EVENT).aggregate(Aggregation.groupBy("held_on").max("starts_at"),
                Filters.all());
        assertThat(byDay).extracting(r -> r.group().get(0)).containsExactlyElementsOf(DAYS);
        assertThat(byDay).extracting(r -> r.max("starts_at")).containsExactlyElementsOf(TIMES);
    }

    @Test
    void valuesJustOutsideTheRangeAreRefusedNamingTheField() {
        long before = records(EVENT).count(Filters.all());
        for (Object day : List.of("0000-12-31", LocalDate.of(0, 12, 31), "+10000-01-01", LocalDate.of(10000, 1, 1),
                LocalDate.MIN)) {
            assertThatThrownBy(() -> records(EVENT).create(values("name", "x", "held_on", day))).as("%s", day)
                    .matches(error("held_on", FieldErrorCode.OUT_OF_RANGE));
            assertThatThrownBy(() -> records(EVENT).count(where("held_on").eq(day))).as("filter %s", day)
                    .matches(error("held_on", FieldErrorCode.OUT_OF_RANGE));
        }
        for (Object at : List.of("0000-12-31T23:59:59.999999Z", "0001-01-01T00:30:00+01:00",
                Instant.parse("0000-12-31T23:59:59.999999Z"), "+10000-01-01T00:00:00Z",
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.MAX)) {
            assertThatThrownBy(() -> records(EVENT).create(values("name", "x", "starts_at", at))).as("%s", at)
                    .matches(error("starts_at", FieldErrorCode.OUT_OF_RANGE));
            assertThatThrownBy(() -> records(EVENT).count(where("starts_at").gt(at))).as("filter %s", at)
                    .matches(error("starts_at", FieldErrorCode.OUT_OF_RANGE));
        }
        assertThat(records(EVENT).count(Filters.all())).isEqualTo(before);
        // the edges themselves are fine, also written with an offset
        Record edge = records(EVENT).create(Map.of("name", "edge", "starts_at", "0001-01-01T01:00:00+01:00"));
        assertThat(edge.getInstant("starts_at")).isEqualTo(Instant.parse("0001-01-01T00:00:00Z"));
    }
}
