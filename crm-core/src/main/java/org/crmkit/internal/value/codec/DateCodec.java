package org.crmkit.internal.value.codec;

import java.time.DateTimeException;
import java.time.LocalDate;
import org.crmkit.error.FieldErrorCode;
import org.jspecify.annotations.Nullable;

/** Calendar dates ({@link LocalDate} or {@code yyyy-mm-dd}) in years 1 to 9999. */
final class DateCodec extends ContextFreeCodec {
    @Override
    @Nullable
    LocalDate read(Object raw, Problems p) {
        LocalDate d;
        if (raw instanceof LocalDate ld) {
            d = ld;
        } else if (raw instanceof String s) {
            if (s.isBlank()) {
                return null;
            }
            try {
                d = LocalDate.parse(s.strip());
            } catch (DateTimeException e) {
                return p.wrongType(raw, "a date (yyyy-mm-dd)");
            }
        } else {
            return p.wrongType(raw, "a date");
        }
        if (d.getYear() < 1 || d.getYear() > 9999) {
            return p.fail(FieldErrorCode.OUT_OF_RANGE, d + " is outside years 1 to 9999");
        }
        return d;
    }
}
