package org.crmkit.storage.support;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crmkit.error.StorageException;
import org.crmkit.event.FieldChange;
import org.crmkit.record.Address;
import org.crmkit.schema.LeadMapping;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.Pipeline;
import org.crmkit.schema.SchemaChange;
import org.crmkit.schema.SchemaSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * The JSON text durable storages persist schema snapshots, schema changes and change-log values as, so that every
 * storage writes and reads them alike. Reading gives back values equal to those written, of the same Java types.
 * Jackson databind does the work, configured once per instance by {@link StorageJsonModule}'s mix-ins.
 *
 * <p>Field values: {@code null}, {@link String}, {@link Long} and {@link Boolean} are plain JSON; the other types
 * are objects tagged by {@code "t"}: {@code {"t":"decimal","v":"12.50"}} (scale kept), {@code "date"} and
 * {@code "instant"} (ISO-8601, nanoseconds kept), {@code "uuid"}, {@code {"t":"money","amount":"1.00",
 * "currency":"EUR"}}, {@code {"t":"address","city":"Leeds",...}} (the non-null {@link Address#PARTS}),
 * {@code {"t":"strings","v":[...]}} and {@code {"t":"uuids","v":[...]}}. Field changes are an array of
 * {@code {"f":field,"o":old,"n":new}} with empty values left out. Schema changes carry a {@code "kind"}.
 *
 * <p>Format version: snapshots and schema changes start with {@code "format":1}; text without it (written before
 * the field existed) is version 1 too, and a version above {@link #FORMAT} is refused as written by a newer CRMKit.
 * A change-log entry's array is version 1; a later version would be an object with a {@code "format"}.
 *
 * <p>Thread-safe; create one and share it. Writing a value of any other type is an
 * {@link IllegalArgumentException} naming its class; reading malformed JSON is a {@link StorageException}.
 */
public final class StorageJson {
    /** The format version this class writes, and the highest it reads. */
    public static final int FORMAT = 1;

    private static final String FORMAT_FIELD = "format";

    private final JsonMapper mapper = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS) // "yes" is no boolean, 1 no text...
            .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(BigDecimal.class, // ...but decimal bounds are stored as exact text
                    c -> c.setCoercion(CoercionInputShape.String, CoercionAction.TryConvert))
            .addModule(new StorageJsonModule())
            .build();

    /** Creates a codec. */
    public StorageJson() {}

    /**
     * The whole schema snapshot as stored: the schema version, then object types and pipelines as arrays, then the
     * lead mapping when it is not the standard one (text written before it existed reads as the standard one).
     */
    private record SnapshotForm(@JsonProperty(required = true) long version, List<ObjectType> objectTypes,
            List<Pipeline> pipelines, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable LeadMapping leadMapping,
            @JsonInclude(JsonInclude.Include.NON_NULL) org.crmkit.schema.@Nullable Currencies currencies) {}

    /** The whole schema: version, object types and pipelines, in order, and a lead mapping other than the standard. */
    public String writeSnapshot(SchemaSnapshot s) {
        return writeDocument(new SnapshotForm(s.version(), List.copyOf(s.objectTypes().values()),
                List.copyOf(s.pipelines().values()),
                s.leadMapping().equals(LeadMapping.defaults()) ? null : s.leadMapping(),
                s.currencies().equals(org.crmkit.schema.Currencies.none()) ? null : s.currencies()));
    }

    /** Reads what {@link #writeSnapshot} wrote; object types and pipelines are keyed by their names. */
    public SchemaSnapshot readSnapshot(String json) {
        return read(json, "schema snapshot", n -> {
            SnapshotForm form = mapper.treeToValue(document(n), SnapshotForm.class);
            Map<String, ObjectType> types = new LinkedHashMap<>();
            form.objectTypes().forEach(t -> types.put(t.name(), t));
            Map<String, Pipeline> pipelines = new LinkedHashMap<>();
            form.pipelines().forEach(p -> pipelines.put(p.name(), p));
            LeadMapping mapping = form.leadMapping();
            org.crmkit.schema.Currencies currencies = form.currencies();
            return new SchemaSnapshot(form.version(), types, pipelines,
                    mapping == null ? LeadMapping.defaults() : mapping,
                    currencies == null ? org.crmkit.schema.Currencies.none() : currencies);
        });
    }

    /** A report definition, without its version (the document's version is the report's). */
    public String writeReport(org.crmkit.report.ReportDefinition report) {
        return writeDocument(report.withVersion(0));
    }

    /** Reads what {@link #writeReport} wrote, at {@code version}. */
    public org.crmkit.report.ReportDefinition readReport(String json, long version) {
        return read(json, "report definition", n -> mapper.treeToValue(document(n),
                org.crmkit.report.ReportDefinition.class).withVersion(version));
    }

    /**
     * A document of the stored access model (a role, user, sharing rule or share list; see
     * {@link org.crmkit.security.AccessAdmin}): any record of values, filters included.
     */
    public String writeAccess(Object body) {
        return writeDocument(body);
    }

    /** Reads what {@link #writeAccess} wrote. */
    public <T> T readAccess(String json, Class<T> type) {
        return read(json, "access document", n -> mapper.treeToValue(document(n), type));
    }

    /** One schema change, its variant named by a {@code "kind"} property. */
    public String writeSchemaChange(SchemaChange c) {
        return writeDocument(c);
    }

    /** Reads what {@link #writeSchemaChange} wrote. */
    public SchemaChange readSchemaChange(String json) {
        return read(json, "schema change", n -> mapper.treeToValue(document(n), SchemaChange.class));
    }

    /**
     * The field changes of one change-log entry, in order.
     *
     * @throws IllegalArgumentException if a value is of a type fields do not have (named in the message)
     */
    public String writeChanges(List<FieldChange> changes) {
        StringWriter out = new StringWriter(64 + 48 * changes.size());
        try (JsonGenerator g = mapper.createGenerator(out)) {
            StreamedChanges.writeChanges(g, changes);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /**
     * Writes what {@link #writeChanges(List)} returns to {@code g}, without the text in between.
     *
     * @throws IllegalArgumentException if a value is of a type fields do not have (named in the message)
     */
    public void writeChanges(JsonGenerator g, List<FieldChange> changes) throws IOException {
        StreamedChanges.writeChanges(g, changes);
    }

    /** Reads what {@link #writeChanges} wrote, token by token (no tree in between). */
    public List<FieldChange> readChanges(String json) {
        try (JsonParser p = mapper.createParser(json)) {
            if (p.nextToken() == null) {
                throw new IllegalArgumentException("no JSON content");
            }
            List<FieldChange> changes = StreamedChanges.readChanges(p);
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("trailing content after the field changes");
            }
            return changes;
        } catch (IOException | RuntimeException e) {
            throw unreadable("field changes", e);
        }
    }

    /**
     * Reads what {@link #writeChanges} wrote from {@code p}, whose current token starts the array (as a part of a
     * larger document), and leaves it on the array's end.
     */
    public List<FieldChange> readChanges(JsonParser p) {
        try {
            return StreamedChanges.readChanges(p);
        } catch (IOException | RuntimeException e) {
            throw unreadable("field changes", e);
        }
    }

    /**
     * One field value (or null) in the encoding of the class description.
     *
     * @throws IllegalArgumentException if the value is of a type fields do not have (named in the message)
     */
    public String writeValue(@Nullable Object v) {
        StringWriter out = new StringWriter(64);
        try (JsonGenerator g = mapper.createGenerator(out)) {
            StoredValues.write(g, v);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /** Reads what {@link #writeValue} wrote: a value of the same Java type, equal to it, or null. */
    public @Nullable Object readValue(String json) {
        return read(json, "value", n -> java.util.Optional.ofNullable(StoredValues.read(n))).orElse(null);
    }

    /** {@code body} as a JSON object that starts with the format version. */
    private String writeDocument(Object body) {
        try {
            ObjectNode document = mapper.createObjectNode().put(FORMAT_FIELD, FORMAT);
            document.setAll((ObjectNode) mapper.valueToTree(body));
            return mapper.writeValueAsString(document);
        } catch (IllegalArgumentException e) {
            throw e.getCause() instanceof JacksonException j ? unwrapped(j) : e;
        } catch (JacksonException e) {
            throw unwrapped(e);
        }
    }

    /** The document without its format version, once the version is known to be one this class reads. */
    private static JsonNode document(JsonNode n) {
        if (!n.isObject()) {
            throw new IllegalArgumentException("not a JSON object but " + n.getNodeType());
        }
        JsonNode format = n.get(FORMAT_FIELD);
        int version = format == null ? 1 : format.isInt() ? format.intValue() : -1;
        if (version < 1 || version > FORMAT) {
            throw new IllegalArgumentException("format " + format + " is not one this version reads (1 to " + FORMAT
                    + "); was it written by a newer CRMKit?");
        }
        ObjectNode body = ((ObjectNode) n).deepCopy();
        body.remove(FORMAT_FIELD);
        return body;
    }

    /** Writing fails only on a value of a type fields do not have: that {@link IllegalArgumentException}. */
    private static RuntimeException unwrapped(JacksonException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException iae) {
                return iae;
            }
        }
        return new IllegalStateException("cannot write storage JSON: " + e.getOriginalMessage(), e);
    }

    @FunctionalInterface
    private interface Reading<T> {
        T from(JsonNode root) throws IOException;
    }

    private static StorageException unreadable(String what, Exception e) {
        String message = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
        return new StorageException("cannot read " + what + " from storage JSON: " + message, e);
    }

    private <T> T read(String json, String what, Reading<T> reader) {
        try {
            JsonNode root = mapper.readTree(json);
            if (root == null || root.isMissingNode()) {
                throw new IllegalArgumentException("no JSON content");
            }
            return reader.from(root);
        } catch (IOException | RuntimeException e) {
            throw unreadable(what, e);
        }
    }
}
