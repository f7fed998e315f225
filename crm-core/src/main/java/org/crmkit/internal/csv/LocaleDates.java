package org.crmkit.internal.csv;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.FormatStyle;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Dates and date-times as a locale writes them, besides ISO 8601: the locale's short, medium and long date forms
 * (JDK CLDR patterns), each with a four-digit year and one- or two-digit days and months ({@code 3/31/2026} and
 * {@code 03/31/2026} in American English, {@code 31.3.2026} in German, {@code Mar 31, 2026}); month names in any case.
 * Two-digit years are refused: {@code 1/2/85} is not guessed. Date-times take the locale's date form followed by its
 * short or medium time ({@code 3/31/2026, 2:30 PM}, {@code 31.03.2026 14:30}), ISO without an offset
 * ({@code 2026-03-31T14:30}, or with a space), all read in the given zone; ISO with an offset or {@code Z} as it says;
 * a date alone is its midnight in the zone.
 */
final class LocaleDates {
    private static final LocalDate SAMPLE = LocalDate.of(2026, 3, 31);

    private final Locale locale;
    private final ZoneId zone;
    private final List<DateTimeFormatter> dates = new ArrayList<>();
    private final List<DateTimeFormatter> dateTimes = new ArrayList<>();

    LocaleDates(Locale locale, ZoneId zone) {
        this.locale = locale;
        this.zone = zone;
        Set<String> datePatterns = new LinkedHashSet<>();
        for (FormatStyle style : List.of(FormatStyle.SHORT, FormatStyle.MEDIUM, FormatStyle.LONG)) {
            datePatterns.add(normalized(pattern(style, null)));
        }
        datePatterns.forEach(p -> dates.add(formatter(p)));
        Set<String> dateTimePatterns = new LinkedHashSet<>();
        dateTimePatterns.add("uuuu-M-d H:mm[:ss]");
        for (FormatStyle date : List.of(FormatStyle.SHORT, FormatStyle.MEDIUM)) {
            for (FormatStyle time : List.of(FormatStyle.SHORT, FormatStyle.MEDIUM)) {
                dateTimePatterns.add(normalized(pattern(date, time)));
                dateTimePatterns.add(normalized(pattern(date, null)) + " " + normalized(pattern(null, time)));
            }
        }
        dateTimePatterns.forEach(p -> dateTimes.add(formatter(p)));
    }

    private String pattern(@Nullable FormatStyle date, @Nullable FormatStyle time) {
        return DateTimeFormatterBuilder.getLocalizedDateTimePattern(date, time, IsoChronology.INSTANCE, locale);
    }

    private DateTimeFormatter formatter(String pattern) {
        return new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(pattern).toFormatter(locale)
                .withChronology(IsoChronology.INSTANCE).withResolverStyle(ResolverStyle.STRICT);
    }

    /**
     * A CLDR pattern made to read what people type: any year as four digits ({@code uuuu}, which STRICT resolving
     * needs without an era), {@code dd}, {@code MM}, {@code HH} and {@code hh} as one or two digits, no-break spaces as
     * spaces; quoted literals left alone.
     */
    static String normalized(String pattern) {
        StringBuilder out = new StringBuilder();
        boolean quoted = false;
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
                out.append(c);
                i++;
                continue;
            }
            int run = 1;
            while (!quoted && i + run < pattern.length() && pattern.charAt(i + run) == c && Character.isLetter(c)) {
                run++;
            }
            if (quoted || !Character.isLetter(c)) {
                out.append(c == '\u202f' || c == '\u00a0' ? ' ' : c);
            } else if (c == 'y' || c == 'u') {
                out.append("uuuu");
            } else if ((c == 'd' || c == 'M' || c == 'H' || c == 'h') && run == 2) {
                out.append(c);
            } else {
                out.append(String.valueOf(c).repeat(run));
            }
            i += run;
        }
        return out.toString();
    }

    /** How the locale writes a date, for messages: {@code 3/31/2026 or 2026-03-31}. */
    String dateExample() {
        String local = dates.get(0).format(SAMPLE);
        return local.equals(SAMPLE.toString()) ? local : local + " or " + SAMPLE;
    }

    /** How the locale writes a date-time, for messages. */
    String dateTimeExample() {
        LocalDateTime sample = SAMPLE.atTime(14, 30);
        return dateTimes.get(1).format(sample) + " or " + sample + " or " + sample.atOffset(java.time.ZoneOffset.UTC);
    }

    /** The date {@code text} writes, or null. */
    @Nullable
    LocalDate date(String text) {
        String t = spaced(text);
        try {
            return LocalDate.parse(t);
        } catch (DateTimeException e) {
            // not ISO: the locale's forms
        }
        for (DateTimeFormatter f : dates) {
            try {
                return LocalDate.parse(t, f);
            } catch (DateTimeException e) {
                // the next form
            }
        }
        return null;
    }

    /** The instant {@code text} writes, or null. */
    @Nullable
    Instant dateTime(String text) {
        String t = spaced(text);
        String iso = t.length() > 10 && t.charAt(10) == ' ' ? t.substring(0, 10) + "T" + t.substring(11) : t;
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeException e) {
            // no offset: the zone's
        }
        try {
            return LocalDateTime.parse(iso).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            // not ISO: the locale's forms
        }
        for (DateTimeFormatter f : dateTimes) {
            try {
                return LocalDateTime.parse(t, f).atZone(zone).toInstant();
            } catch (DateTimeException e) {
                // the next form
            }
        }
        LocalDate day = date(t);
        return day == null ? null : day.atStartOfDay(zone).toInstant();
    }

    /** Trimmed, with no-break spaces (CLDR puts them before AM/PM) as plain ones. */
    private static String spaced(String text) {
        return CellText.strip(text).replace('\u202f', ' ').replace('\u00a0', ' ');
    }
}
