package org.crmkit.internal.export;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.crmkit.record.Address;
import org.crmkit.record.Money;
import org.jspecify.annotations.Nullable;

/**
 * How the exports write one value as JSON (reports' {@link JsonTableWriter}, records' {@link RecordJsonLinesSink}):
 * numbers as exact JSON numbers, money as {@code {"amount":..,"currency":".."}}, an address as an object of its
 * parts, a list as an array, anything else (dates, instants, text, ids) as its string.
 */
final class JsonValues {
    private JsonValues() {}

    static void write(JsonGenerator g, @Nullable Object value) throws IOException {
        switch (value) {
            case null -> g.writeNull();
            case BigDecimal d -> g.writeNumber(d);
            case Long n -> g.writeNumber(n);
            case Integer n -> g.writeNumber(n);
            case Short n -> g.writeNumber(n);
            case Byte n -> g.writeNumber(n);
            case BigInteger n -> g.writeNumber(n);
            case Double d when Double.isFinite(d) -> g.writeNumber(d);
            case Float f when Float.isFinite(f) -> g.writeNumber(f);
            case Boolean b -> g.writeBoolean(b);
            case Money m -> {
                g.writeStartObject();
                g.writeFieldName("amount");
                g.writeNumber(m.amount());
                g.writeStringField("currency", m.currency());
                g.writeEndObject();
            }
            case Address a -> {
                g.writeStartObject();
                for (String part : Address.PARTS) {
                    g.writeStringField(part, a.part(part));
                }
                g.writeEndObject();
            }
            case List<?> list -> {
                g.writeStartArray();
                for (Object item : list) {
                    write(g, item);
                }
                g.writeEndArray();
            }
            default -> g.writeString(value.toString());
        }
    }
}
