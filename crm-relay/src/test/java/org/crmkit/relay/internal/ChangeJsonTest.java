package org.crmkit.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.event.Operation;
import org.crmkit.record.Address;
import org.crmkit.record.Money;
import org.junit.jupiter.api.Test;

class ChangeJsonTest {
    @Test
    void typedValuesKeepTheirJsonKind() throws Exception {
        UUID id = UUID.randomUUID();
        UUID tx = UUID.randomUUID();
        Instant at = Instant.parse("2026-12-07T06:00:00.123456Z");
        ChangeLogEntry entry = new ChangeLogEntry(42, at, "u-1", "deal", id, Operation.UPDATE, 3, List.of(
                new FieldChange("amount", new Money(new BigDecimal("10.50"), "EUR"),
                        new Money(new BigDecimal("1E+3"), "EUR")),
                new FieldChange("close_date", null, LocalDate.of(2026, 12, 24)),
                new FieldChange("probability", new BigDecimal("0.25"), 30L),
                new FieldChange("won", false, true),
                new FieldChange("tags", List.of("a", "b"), List.of()),
                new FieldChange("site", null, new Address("1 Quay", "Bergen", null, "5003", "NO"))), tx);
        JsonNode body = new ObjectMapper().readTree(new ChangeJson().encode(entry));
        assertThat(body.get("sequence").asLong()).isEqualTo(42);
        assertThat(body.get("at").asText()).isEqualTo("2026-12-07T06:00:00.123456Z");
        assertThat(body.get("transactionId").asText()).isEqualTo(tx.toString());
        JsonNode changes = body.get("changes");
        assertThat(changes.get(0).get("old").get("amount").decimalValue()).isEqualByComparingTo("10.50");
        assertThat(changes.get(0).get("new").get("amount").toString()).isEqualTo("1000");
        assertThat(changes.get(0).get("new").get("currency").asText()).isEqualTo("EUR");
        assertThat(changes.get(1).get("old").isNull()).isTrue();
        assertThat(changes.get(1).get("new").asText()).isEqualTo("2026-12-24");
        assertThat(changes.get(2).get("old").toString()).isEqualTo("0.25");
        assertThat(changes.get(2).get("new").asLong()).isEqualTo(30);
        assertThat(changes.get(3).get("new").asBoolean()).isTrue();
        assertThat(changes.get(4).get("old").isArray()).isTrue();
        assertThat(changes.get(5).get("new").toString()).isEqualTo("{\"street\":\"1 Quay\",\"city\":\"Bergen\","
                + "\"region\":null,\"postal_code\":\"5003\",\"country\":\"NO\"}");
        assertThat(Arrays.asList(body.fieldNames().next())).containsExactly("sequence");
    }
}
