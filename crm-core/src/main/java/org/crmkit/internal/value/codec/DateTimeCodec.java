package org.crmkit.internal.value.codec;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import org.crmkit.error.FieldErrorCode;
import org.jspecify.annotations.Nullable;

/** Instants in years 1 to 9999, truncated to the microsecond (what PostgreSQL and MariaDB keep). */
final class DateTimeCodec extends ContextFreeCodec {
    private static final Instant MIN_INSTANT = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999999Z");

    @Override
    @Nullable
    Instant read(Object raw, Problems p) {
        Instant i;
        if (raw instanceof Instant in) {
            i = in;
        } else if (raw instanceof OffsetDateTime o) {
            i = o.toInstant();
        } else if (raw instanceof ZonedDateTime z) {
            i = z.toInstant();
        } else if (raw instanceof String s) {
            if (s.isBlank()) {
                return null;
            }
            try {
                i = OffsetDateTime.parse(s.strip()).toInstant();
            } catch (DateTimeException e) {
                return p.wrongType(raw, "an ISO-8601 date-time with offset");
            }
        } else {
            return p.wrongType(raw, "an instant");
        }
        if (i.isBefore(MIN_INSTANT) || i.isAfter(MAX_INSTANT)) {
            return p.fail(FieldErrorCode.OUT_OF_RANGE, i + " is outside years 1 to 9999");
        }
        return i.truncatedTo(ChronoUnit.MICROS);
    }
}
