package org.crmkit.report;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A period of whole days for the {@link StandardReports}: from {@code from} (included) until {@code until}
 * (excluded), so consecutive ranges never overlap ({@code DateRange.of(2026-01-01, 2026-04-01)} is the first
 * quarter of 2026). A datetime (created at, occurred at) is in the range when its UTC date is.
 *
 * @param from  the first day
 * @param until the day after the last one; after {@code from}
 */
public record DateRange(LocalDate from, LocalDate until) {
    public DateRange {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(until, "until");
        if (!from.isBefore(until)) {
            throw new IllegalArgumentException("a date range ends after it starts: from " + from + " until " + until
                    + " (excluded)");
        }
    }

    /** The days from {@code from} (included) until {@code until} (excluded). */
    public static DateRange of(LocalDate from, LocalDate until) {
        return new DateRange(from, until);
    }

    /** The days of one month. */
    public static DateRange month(YearMonth month) {
        Objects.requireNonNull(month, "month");
        return new DateRange(month.atDay(1), month.plusMonths(1).atDay(1));
    }

    /** The days of one calendar year. */
    public static DateRange year(int year) {
        return new DateRange(LocalDate.of(year, 1, 1), LocalDate.of(year + 1, 1, 1));
    }

    /** Whether {@code date} is in the range. */
    public boolean contains(LocalDate date) {
        Objects.requireNonNull(date, "date");
        return !date.isBefore(from) && date.isBefore(until);
    }

    /** The first instant of the range: {@code from} at midnight UTC. */
    public Instant start() {
        return from.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The first instant after the range: {@code until} at midnight UTC. */
    public Instant end() {
        return until.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
