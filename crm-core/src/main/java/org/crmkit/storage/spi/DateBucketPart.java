package org.crmkit.storage.spi;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import org.crmkit.report.DateBucket;
import org.jspecify.annotations.Nullable;

/**
 * The part of a date path that cuts it into buckets ({@code close_date.month}, {@code close_date.fiscal_quarter_4}, see
 * {@link DateBucket}): its value is the first day of the bucket, a {@link LocalDate}. {@link #startOf} is the reference
 * semantics every storage reproduces (SQL storages with date arithmetic): weeks start on Monday (ISO), quarters and
 * years in the fiscal year's start month, datetimes count by their UTC date.
 *
 * @param unit             the bucket
 * @param fiscalStartMonth the month (1 to 12) quarters and years start from
 */
public record DateBucketPart(DateBucket unit, int fiscalStartMonth) {
    private static final String FISCAL = "fiscal_";

    public DateBucketPart {
        java.util.Objects.requireNonNull(unit, "unit");
        if (fiscalStartMonth < 1 || fiscalStartMonth > 12) {
            throw new IllegalArgumentException("fiscal start month " + fiscalStartMonth + " is not 1 to 12");
        }
    }

    /** The bucket a path part names, if it names one. */
    public static Optional<DateBucketPart> parse(String part) {
        for (DateBucket b : DateBucket.values()) {
            String unit = b.name().toLowerCase(Locale.ROOT);
            if (part.equals(unit)) {
                return Optional.of(new DateBucketPart(b, 1));
            }
            String fiscal = FISCAL + unit + "_";
            if ((b == DateBucket.QUARTER || b == DateBucket.YEAR) && part.startsWith(fiscal)) {
                String month = part.substring(fiscal.length());
                if (month.matches("[1-9]|1[0-2]")) {
                    return Optional.of(new DateBucketPart(b, Integer.parseInt(month)));
                }
            }
        }
        return Optional.empty();
    }

    /** The first day of the bucket holding {@code value} (a date, or a datetime by its UTC date); null for null. */
    public @Nullable LocalDate startOf(@Nullable Object value) {
        LocalDate d = switch (value) {
            case null -> null;
            case LocalDate date -> date;
            case Instant instant -> LocalDate.ofInstant(instant, ZoneOffset.UTC);
            default -> throw new IllegalArgumentException("not a date: " + value.getClass().getName());
        };
        if (d == null) {
            return null;
        }
        return switch (unit) {
            case DAY -> d;
            case WEEK -> d.minusDays(d.getDayOfWeek().getValue() - DayOfWeek.MONDAY.getValue());
            case MONTH -> d.withDayOfMonth(1);
            case QUARTER -> fiscalStart(d, 3);
            case YEAR -> fiscalStart(d, 12);
        };
    }

    /** The first day of the period of {@code months} months holding {@code d}, periods counted from the fiscal start. */
    private LocalDate fiscalStart(LocalDate d, int months) {
        LocalDate shifted = d.withDayOfMonth(1).minusMonths(fiscalStartMonth - 1L);
        return shifted.minusMonths((shifted.getMonthValue() - 1) % months).plusMonths(fiscalStartMonth - 1L);
    }
}
