package org.crmkit.internal.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fast path reads what {@link Instant#toString()} writes exactly as {@link Instant#parse} does, and no more. */
class InstantsTest {
    @Test
    void canonicalInstantsReadAsInstantParseReadsThem() {
        for (String s : List.of("2025-03-09T04:05:06Z", "2025-03-09T04:05:06.100Z", "2025-03-09T04:05:06.123456Z",
                "2025-03-09T04:05:06.000000001Z", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
                "2024-02-29T12:00:00Z", "1000-01-01T00:00:00.001Z")) {
            assertThat(Instants.parseCanonical(s)).as(s).isEqualTo(Instant.parse(s));
        }
        Instant now = Instant.now();
        assertThat(Instants.parseCanonical(now.toString())).isEqualTo(now);
    }

    @Test
    void anythingElseIsLeftToInstantParse() {
        for (String s : List.of("", "2025-03-09", "2025-03-09T04:05:06", "2025-03-09T04:05:06+01:00",
                "2025-02-30T00:00:00Z", "2025-13-01T00:00:00Z", "2025-03-09T24:00:00Z", "2025-03-09T23:59:60Z",
                "2025-03-09T04:05:06.12Z", "2025-03-09T04:05:06,123Z", "2025-03-09T04:05:06.12aZ",
                "0999-01-01T00:00:00Z", "+10000-01-01T00:00:00Z", "2025-03-09 04:05:06Z", "2O25-03-09T04:05:06Z",
                "-2025-03-09T04:05:06Z")) {
            assertThat(Instants.parseCanonical(s)).as(s).isNull();
        }
    }
}
