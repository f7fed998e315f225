package org.crmkit.internal.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.privacy.RecordField;
import org.crmkit.privacy.SubjectData;
import org.crmkit.record.Record;
import org.jspecify.annotations.Nullable;

/**
 * Writes a privacy export ({@code Privacy.export}) as one JSON object: {@code format}, {@code exportedAt},
 * {@code subject} (emails, phones, record ids), {@code records} (each with its system properties and every value,
 * typed as the record exports type them, fields in name order), {@code history} and {@code mentions} (change-log
 * entries with old and new values), {@code cleared} and {@code references} (type, record, field).
 */
public final class SubjectJsonWriter {
    private SubjectJsonWriter() {}

    private static JsonFactory factory() {
        return new JsonFactoryBuilder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
                .disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
    }

    /** Writes {@code data} onto {@code out} and flushes it. */
    public static void write(SubjectData data, Instant exportedAt, Writer out) {
        try (JsonGenerator g = factory().createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeNumberField("format", 1);
            g.writeStringField("exportedAt", exportedAt.toString());
            g.writeObjectFieldStart("subject");
            strings(g, "emails", data.identifiers().emails());
            strings(g, "phones", data.identifiers().phones());
            strings(g, "recordIds", data.identifiers().recordIds().stream().map(Object::toString).toList());
            g.writeEndObject();
            g.writeArrayFieldStart("records");
            for (Record r : data.records()) {
                record(g, r);
            }
            g.writeEndArray();
            entries(g, "history", data.history());
            entries(g, "mentions", data.mentions());
            fields(g, "cleared", data.cleared());
            fields(g, "references", data.references());
            g.writeEndObject();
            g.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing the privacy export failed: " + e.getMessage(), e);
        }
    }

    private static void record(JsonGenerator g, Record r) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", r.type());
        g.writeStringField("id", r.id().toString());
        g.writeNumberField("version", r.version());
        g.writeStringField("owner", r.owner());
        nullable(g, "team", r.team());
        g.writeStringField("createdAt", r.createdAt().toString());
        g.writeStringField("createdBy", r.createdBy());
        g.writeStringField("updatedAt", r.updatedAt().toString());
        g.writeStringField("updatedBy", r.updatedBy());
        nullable(g, "deletedAt", r.deletedAt());
        g.writeObjectFieldStart("values");
        for (Map.Entry<String, Object> v : new TreeMap<>(r.values()).entrySet()) {
            g.writeFieldName(v.getKey());
            JsonValues.write(g, v.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void entries(JsonGenerator g, String name, List<ChangeLogEntry> entries) throws IOException {
        g.writeArrayFieldStart(name);
        for (ChangeLogEntry e : entries) {
            g.writeStartObject();
            g.writeNumberField("sequence", e.sequence());
            g.writeStringField("at", e.at().toString());
            g.writeStringField("principal", e.principalId());
            g.writeStringField("type", e.objectType());
            g.writeStringField("record", e.recordId().toString());
            g.writeStringField("operation", e.operation().name());
            g.writeNumberField("version", e.version());
            g.writeArrayFieldStart("changes");
            for (FieldChange c : e.changes()) {
                g.writeStartObject();
                g.writeStringField("field", c.field());
                g.writeFieldName("old");
                JsonValues.write(g, c.oldValue());
                g.writeFieldName("new");
                JsonValues.write(g, c.newValue());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void fields(JsonGenerator g, String name, List<RecordField> fields) throws IOException {
        g.writeArrayFieldStart(name);
        for (RecordField f : fields) {
            g.writeStartObject();
            g.writeStringField("type", f.objectType());
            g.writeStringField("record", f.recordId().toString());
            g.writeStringField("field", f.field());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void strings(JsonGenerator g, String name, Collection<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values.stream().sorted().toList()) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    private static void nullable(JsonGenerator g, String name, @Nullable Object value) throws IOException {
        g.writeFieldName(name);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeString(value.toString());
        }
    }
}
