package org.crmkit.relay.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.temporal.TemporalAccessor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.record.Address;
import org.jspecify.annotations.Nullable;

/**
 * The message body: a change-log entry as JSON. Field values keep their JSON kind (text, number, boolean, array,
 * object); dates and times are ISO-8601 strings, decimals exact numbers, money {@code {"amount":..,"currency":..}},
 * addresses objects of their parts under the part names ({@code postal_code}), null when absent. See
 * {@code docs/relay.md} for the layout.
 */
public final class ChangeJson {
    private final ObjectMapper mapper;

    public ChangeJson() {
        SimpleModule values = new SimpleModule("crmkit-relay-values");
        values.addSerializer(TemporalAccessor.class, ToStringSerializer.instance);
        values.addSerializer(BigDecimal.class, new com.fasterxml.jackson.databind.ser.std.StdSerializer<>(
                BigDecimal.class) {
            @Override
            public void serialize(BigDecimal value, JsonGenerator gen,
                    com.fasterxml.jackson.databind.SerializerProvider provider) throws IOException {
                gen.writeNumber(value.toPlainString());
            }
        });
        values.addSerializer(Address.class, new com.fasterxml.jackson.databind.ser.std.StdSerializer<>(Address.class) {
            @Override
            public void serialize(Address value, JsonGenerator gen,
                    com.fasterxml.jackson.databind.SerializerProvider provider) throws IOException {
                gen.writeStartObject();
                for (String part : Address.PARTS) { // postal_code, as filters, exports and crm-rest name it
                    gen.writeStringField(part, value.part(part));
                }
                gen.writeEndObject();
            }
        });
        this.mapper = JsonMapper.builder().addModule(values).disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
    }

    /** The entry as UTF-8 JSON. */
    public byte[] encode(ChangeLogEntry entry) {
        Map<String, @Nullable Object> body = new LinkedHashMap<>();
        body.put("sequence", entry.sequence());
        body.put("type", entry.objectType());
        body.put("recordId", entry.recordId().toString());
        body.put("operation", entry.operation().name());
        body.put("version", entry.version());
        body.put("principal", entry.principalId());
        body.put("at", entry.at().toString());
        body.put("transactionId", entry.transactionId().toString());
        List<Map<String, @Nullable Object>> changes = new java.util.ArrayList<>();
        for (FieldChange c : entry.changes()) {
            Map<String, @Nullable Object> change = new LinkedHashMap<>();
            change.put("field", c.field());
            change.put("old", c.oldValue());
            change.put("new", c.newValue());
            changes.add(change);
        }
        body.put("changes", changes);
        try {
            return mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write change " + entry.sequence() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }
}
