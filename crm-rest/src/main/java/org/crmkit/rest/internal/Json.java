package org.crmkit.rest.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crmkit.record.Address;
import org.jspecify.annotations.Nullable;

/**
 * The JSON of crm-rest: exact decimals (a request's {@code 10.50} stays {@code 10.50}), ISO dates, no duplicate keys,
 * bounded nesting, and an {@link Address} written with the part names requests and filters use
 * ({@code postal_code}, not the Java component's {@code postalCode}).
 */
public final class Json {
    /** How deep a request body may nest. */
    public static final int MAX_DEPTH = 32;

    private final ObjectMapper mapper;

    public Json() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build()).build();
        this.mapper = JsonMapper.builder(factory)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
                .addModule(new JavaTimeModule())
                .addModule(new SimpleModule("crmkit-values").addSerializer(Address.class, new AddressSerializer()))
                .build();
    }

    /** The bytes of a value (maps, lists, records, java.time values, BigDecimal...). */
    public byte[] write(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /**
     * A request body that must be a JSON object; its values become plain Java values (String, BigDecimal, Long or
     * BigInteger, Boolean, null, List, Map), as the engine takes them.
     */
    public Map<String, @Nullable Object> readObject(byte[] body) {
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (IOException e) {
            throw new ProblemException(Problem.malformedJson("the body is not well-formed JSON"
                    + (e.getMessage() != null && e.getMessage().contains("nesting depth")
                            ? " (nested deeper than " + MAX_DEPTH + ")" : "")));
        }
        if (!(node instanceof ObjectNode object)) {
            throw new ProblemException(Problem.malformedJson("the body must be a JSON object"));
        }
        Map<String, @Nullable Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            values.put(e.getKey(), plain(e.getValue()));
        }
        return values;
    }

    private static @Nullable Object plain(JsonNode node) {
        if (node.isObject()) {
            Map<String, @Nullable Object> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                map.put(e.getKey(), plain(e.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            List<@Nullable Object> list = new ArrayList<>();
            node.forEach(n -> list.add(plain(n)));
            return list;
        }
        if (node.isNull()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        return node.asText();
    }

    /** Every part of an address under its part name ({@link Address#PARTS}), null when absent. */
    private static final class AddressSerializer extends StdSerializer<Address> {
        private static final long serialVersionUID = 1L;

        AddressSerializer() {
            super(Address.class);
        }

        @Override
        public void serialize(Address address, JsonGenerator out, SerializerProvider provider) throws IOException {
            out.writeStartObject();
            for (String part : Address.PARTS) {
                out.writeStringField(part, address.part(part));
            }
            out.writeEndObject();
        }
    }
}
