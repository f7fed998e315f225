package org.crmkit.internal.backup;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;

/**
 * Reads the instants an archive holds in the form {@link Instant#toString()} writes them for years 1000 to 9999
 * ({@code 2025-03-09T04:05:06Z}, with 3, 6 or 9 digits of fraction when there is one) without
 * {@link java.time.format.DateTimeFormatter}, which took a tenth of a restore. Any other text, and a date or time out
 * of range, gives null, and the caller parses it with {@link Instant#parse} (which refuses what it must).
 */
final class Instants {
    private Instants() {}

    /** The instant {@code s} names when it is in the canonical form above, else null. */
    static @Nullable Instant parseCanonical(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int fraction = n - 20; // characters between the seconds and the Z, the dot included
        if (fraction != 0 && fraction != 4 && fraction != 7 && fraction != 10) {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        int nanos = 0;
        if (fraction > 0) {
            if (s.charAt(19) != '.') {
                return null;
            }
            nanos = digits(s, 20, n - 1);
            for (int i = fraction - 1; i < 9; i++) {
                nanos = nanos < 0 ? -1 : nanos * 10;
            }
        }
        if (year < 1000 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || nanos < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null; // out of range: Instant.parse says why
        }
    }

    /** The number the digits from {@code from} to {@code to} (exclusive) write, or -1 when one is not a digit. */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
