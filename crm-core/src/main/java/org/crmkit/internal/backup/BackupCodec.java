package org.crmkit.internal.backup;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.backup.BackupManifest;
import org.crmkit.backup.BackupPart;
import org.crmkit.error.BackupException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.event.Operation;
import org.crmkit.internal.value.TextChecks;
import org.crmkit.record.Record;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.spi.DocumentStore.StoredDocument;
import org.crmkit.storage.spi.ImportKey;
import org.crmkit.storage.spi.ImportedRow;
import org.crmkit.storage.spi.ChangeSeal;
import org.crmkit.storage.spi.MergeLink;
import org.crmkit.storage.spi.StoredChanges;
import org.crmkit.storage.support.StorageJson;
import org.jspecify.annotations.Nullable;
import static org.crmkit.internal.backup.StrictProperties.instant;
import static org.crmkit.internal.backup.StrictProperties.node;
import static org.crmkit.internal.backup.StrictProperties.nonNegative;
import static org.crmkit.internal.backup.StrictProperties.optionalText;
import static org.crmkit.internal.backup.StrictProperties.parseInstant;
import static org.crmkit.internal.backup.StrictProperties.positive;
import static org.crmkit.internal.backup.StrictProperties.text;
import static org.crmkit.internal.backup.StrictProperties.uuid;

/**
 * One JSON object per line for every item of an archive, and the manifest. Field values, schema changes and the
 * schema go through {@link StorageJson}, the encoding storages persist them in, so every value reads back equal and of
 * the same Java type. Reading is strict: a missing or mistyped property is an {@link IllegalArgumentException} naming
 * it, which the reader reports with the part and line.
 */
final class BackupCodec {
    static final String FORMAT = "crmkit-backup";
    final JsonMapper mapper = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    final StorageJson json = new StorageJson();

    // ---- records ------------------------------------------------------------------------------------------------

    void writeRecord(JsonGenerator g, Record r) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", r.id().toString());
        g.writeNumberField("version", r.version());
        g.writeStringField("owner", r.owner());
        g.writeStringField("team", r.team());
        g.writeStringField("createdAt", r.createdAt().toString());
        g.writeStringField("createdBy", r.createdBy());
        g.writeStringField("updatedAt", r.updatedAt().toString());
        g.writeStringField("updatedBy", r.updatedBy());
        g.writeStringField("deletedAt", r.deletedAt() == null ? null : r.deletedAt().toString());
        g.writeFieldName("values");
        List<String> names = new ArrayList<>(r.values().keySet());
        java.util.Collections.sort(names);
        List<FieldChange> values = new ArrayList<>(names.size());
        for (String name : names) {
            values.add(new FieldChange(name, null, r.values().get(name)));
        }
        json.writeChanges(g, values);
        g.writeEndObject();
    }

    Record readRecord(byte[] line, String type) throws IOException {
        Line l = line(line, "values", false);
        Map<String, Object> values = new HashMap<>();
        for (FieldChange c : l.changes()) {
            if (c.newValue() == null || values.put(c.field(), c.newValue()) != null) {
                throw new IllegalArgumentException("values: field " + c.field() + " is empty or given twice");
            }
            storable(c.field(), c.newValue());
        }
        JsonNode n = l.scalars();
        String deleted = optionalText(n, "deletedAt");
        return new Record(uuid(n, "id"), type, positive(n, "version"), text(n, "owner"), optionalText(n, "team"),
                instant(n, "createdAt"), text(n, "createdBy"), instant(n, "updatedAt"), text(n, "updatedBy"),
                deleted == null ? null : parseInstant("deletedAt", deleted), values);
    }

    /**
     * A line's object read token by token: its field-change array ({@code "values"} of a record, {@code "changes"}
     * of an entry) decoded straight from the parser or kept as its exact text, its other properties as a tree (a
     * few scalars: cheap), which the strict reads below check.
     */
    private record Line(JsonNode scalars, @Nullable List<FieldChange> decoded, @Nullable String text, String array) {
        List<FieldChange> changes() {
            if (decoded == null) {
                throw new IllegalArgumentException(array + ": missing");
            }
            return decoded;
        }

        String changesText() {
            if (text == null) {
                throw new IllegalArgumentException(array + ": missing");
            }
            return text;
        }
    }

    private Line line(byte[] bytes, String array, boolean keepText) throws IOException {
        try (JsonParser p = mapper.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            ObjectNode scalars = mapper.getNodeFactory().objectNode();
            List<FieldChange> decoded = null;
            String text = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (!name.equals(array)) {
                    scalars.set(name, value(p, t));
                } else if (keepText && t == JsonToken.START_ARRAY) { // decoded by the verify pass already
                    int start = (int) p.currentTokenLocation().getByteOffset();
                    p.skipChildren();
                    int end = (int) p.currentTokenLocation().getByteOffset() + 1;
                    text = new String(bytes, start, end - start, java.nio.charset.StandardCharsets.UTF_8);
                } else if (t != JsonToken.VALUE_NULL) {
                    decoded = json.readChanges(p);
                }
            }
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("trailing content after the object");
            }
            return new Line(scalars, decoded, text, array);
        }
    }

    /** The value at the parser's current token as a tree node: scalars made directly, anything else read. */
    private JsonNode value(JsonParser p, JsonToken t) throws IOException {
        var nodes = mapper.getNodeFactory();
        return switch (t) {
            case VALUE_STRING -> nodes.textNode(p.getText());
            case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? nodes.numberNode(p.getBigIntegerValue()) : nodes.numberNode(p.getLongValue());
            case VALUE_NULL -> nodes.nullNode();
            case VALUE_TRUE, VALUE_FALSE -> nodes.booleanNode(t == JsonToken.VALUE_TRUE);
            default -> mapper.readTree(p);
        };
    }

    /**
     * Refuses a text no write could have stored (NUL and other control characters, half a surrogate pair; see
     * {@link TextChecks}): every storage then refuses the archive alike, before writing, where one database would
     * fail half-way and another store it.
     */
    private static void storable(String field, Object value) {
        switch (value) {
            case String s -> {
                String bad = TextChecks.badCharacter(s, true);
                if (bad != null) {
                    throw new IllegalArgumentException("values: field " + field + " holds " + bad);
                }
            }
            case List<?> list -> list.forEach(v -> storable(field, v));
            case org.crmkit.record.Money m -> storable(field, m.currency());
            case org.crmkit.record.Address a -> {
                for (String part : org.crmkit.record.Address.PARTS) {
                    String v = a.part(part);
                    if (v != null) {
                        storable(field, v);
                    }
                }
            }
            default -> {}
        }
    }

    // ---- change log ---------------------------------------------------------------------------------------------

    /**
     * An entry as the storage keeps it: its field changes copied as they are, after a check that they are one JSON
     * array on one line (a backup of a damaged row fails here, naming it, rather than writing an archive that no
     * restore reads).
     */
    void writeEntry(JsonGenerator g, StoredChanges stored) throws IOException {
        String changes = stored.changesJson();
        if (!oneArrayOnOneLine(changes)) {
            throw new BackupException(BackupException.Problem.CORRUPT, "change-log entry "
                    + stored.entry().sequence() + ": its stored field changes are not a JSON array on one line; "
                    + "the storage's row is damaged, so no backup was written");
        }
        writeEntry(g, stored.entry(), changes);
    }

    private boolean oneArrayOnOneLine(String text) {
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            return false;
        }
        try (JsonParser p = mapper.createParser(text)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    private void writeEntry(JsonGenerator g, ChangeLogEntry e, String changesJson) throws IOException {
        g.writeStartObject();
        g.writeNumberField("seq", e.sequence());
        g.writeStringField("at", e.at().toString());
        g.writeStringField("principal", e.principalId());
        g.writeStringField("type", e.objectType());
        g.writeStringField("id", e.recordId().toString());
        g.writeStringField("op", e.operation().name());
        g.writeNumberField("version", e.version());
        g.writeStringField("tx", e.transactionId().toString());
        g.writeFieldName("changes");
        g.writeRawValue(changesJson);
        g.writeEndObject();
    }

    ChangeLogEntry readEntry(byte[] line) throws IOException {
        Line l = line(line, "changes", false);
        return entry(l.scalars(), l.changes());
    }

    /**
     * An entry whose field changes stay the text the archive holds ({@link #writeEntry(JsonGenerator, StoredChanges)}
     * copied it from the storage): for a pass over lines that {@link #readEntry} has checked already.
     */
    StoredChanges readStoredEntry(byte[] line) throws IOException {
        Line l = line(line, "changes", true);
        return new StoredChanges(entry(l.scalars(), List.of()), l.changesText());
    }

    private static ChangeLogEntry entry(JsonNode n, List<FieldChange> changes) {
        Operation op;
        try {
            op = Operation.valueOf(text(n, "op"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("op: not an operation: " + text(n, "op"));
        }
        return new ChangeLogEntry(positive(n, "seq"), instant(n, "at"), text(n, "principal"), text(n, "type"),
                uuid(n, "id"), op, positive(n, "version"), changes, uuid(n, "tx"));
    }

    // ---- schema -------------------------------------------------------------------------------------------------

    void writeSchemaEntry(JsonGenerator g, SchemaChangeEntry e) throws IOException {
        g.writeStartObject();
        g.writeNumberField("version", e.version());
        g.writeStringField("at", e.at().toString());
        g.writeStringField("principal", e.principalId());
        g.writeFieldName("change");
        g.writeRawValue(json.writeSchemaChange(e.change()));
        g.writeEndObject();
    }

    SchemaChangeEntry readSchemaEntry(byte[] line) throws IOException {
        JsonNode n = mapper.readTree(line);
        return new SchemaChangeEntry(positive(n, "version"), instant(n, "at"), text(n, "principal"),
                json.readSchemaChange(node(n, "change").toString()));
    }

    SchemaSnapshot readSchema(byte[] line) throws IOException {
        return json.readSnapshot(mapper.readTree(line).toString()); // the parser refuses bytes that are not UTF-8
    }

    // ---- documents, merge links, import ledger ------------------------------------------------------------------

    void writeDocument(JsonGenerator g, StoredDocument d) throws IOException {
        g.writeStartObject();
        g.writeStringField("kind", d.kind());
        g.writeStringField("name", d.name());
        g.writeNumberField("version", d.version());
        g.writeNumberField("revision", d.revision());
        g.writeStringField("body", d.body());
        g.writeStringField("principal", d.principalId());
        g.writeStringField("at", d.at().toString());
        g.writeEndObject();
    }

    StoredDocument readDocument(byte[] line) throws IOException {
        JsonNode n = mapper.readTree(line);
        return new StoredDocument(text(n, "kind"), text(n, "name"), positive(n, "version"), positive(n, "revision"),
                optionalText(n, "body"), text(n, "principal"), instant(n, "at"));
    }

    void writeMergeLink(JsonGenerator g, MergeLink l) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", l.objectType());
        g.writeStringField("id", l.recordId().toString());
        g.writeStringField("survivor", l.survivorId().toString());
        g.writeEndObject();
    }

    MergeLink readMergeLink(byte[] line) throws IOException {
        JsonNode n = mapper.readTree(line);
        return new MergeLink(text(n, "type"), uuid(n, "id"), uuid(n, "survivor"));
    }

    void writeSeal(JsonGenerator g, ChangeSeal s) throws IOException {
        g.writeStartObject();
        g.writeNumberField("seq", s.sequence());
        g.writeStringField("digest", s.digest());
        g.writeStringField("link", s.link());
        if (s.mark() != null) {
            g.writeStringField("mark", s.mark());
        }
        g.writeEndObject();
    }

    ChangeSeal readSeal(byte[] line) throws IOException {
        JsonNode n = mapper.readTree(line);
        return new ChangeSeal(positive(n, "seq"), text(n, "digest"), text(n, "link"), optionalText(n, "mark"));
    }

    void writeImported(JsonGenerator g, ImportedRow r) throws IOException {
        g.writeStartObject();
        g.writeStringField("principal", r.key().principalId());
        g.writeStringField("type", r.key().objectType());
        g.writeStringField("import", r.key().importId());
        g.writeNumberField("row", r.row());
        g.writeStringField("id", r.recordId().toString());
        g.writeEndObject();
    }

    ImportedRow readImported(byte[] line) throws IOException {
        JsonNode n = mapper.readTree(line);
        long row = node(n, "row").isIntegralNumber() ? n.get("row").asLong() : -1;
        if (row < 0) {
            throw new IllegalArgumentException("row: not a row number");
        }
        return new ImportedRow(new ImportKey(text(n, "principal"), text(n, "type"), text(n, "import")), row,
                uuid(n, "id"));
    }

    // ---- manifest -----------------------------------------------------------------------------------------------

    byte[] writeManifest(BackupManifest m) {
        var root = mapper.createObjectNode().put("format", FORMAT).put("formatVersion", m.formatVersion())
                .put("crmkitVersion", m.crmkitVersion()).put("createdAt", m.createdAt().toString())
                .put("storage", m.storage()).put("snapshotSequence", m.snapshotSequence())
                .put("schemaVersion", m.schemaVersion());
        var parts = root.putArray("parts");
        for (BackupPart p : m.parts()) {
            parts.addObject().put("name", p.name()).put("count", p.count()).put("size", p.size())
                    .put("sha256", p.sha256());
        }
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e); // a tree of plain values always writes
        }
    }

    /** The manifest's format version, read before anything else so a newer format is named as such. */
    int formatVersion(JsonNode n) {
        if (!FORMAT.equals(n.path("format").asText(null))) {
            throw new IllegalArgumentException("format: not a CRMKit backup manifest");
        }
        JsonNode v = node(n, "formatVersion");
        if (!v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("formatVersion: not a version number");
        }
        return v.asInt();
    }

    BackupManifest readManifest(JsonNode n) {
        List<BackupPart> parts = new ArrayList<>();
        JsonNode array = node(n, "parts");
        if (!array.isArray()) {
            throw new IllegalArgumentException("parts: not an array");
        }
        for (JsonNode p : array) {
            String sha = text(p, "sha256");
            if (!sha.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("parts: " + text(p, "name") + ": sha256 is not 64 hex digits");
            }
            parts.add(new BackupPart(text(p, "name"), nonNegative(p, "count"), nonNegative(p, "size"), sha));
        }
        return new BackupManifest(formatVersion(n), text(n, "crmkitVersion"), instant(n, "createdAt"),
                text(n, "storage"), nonNegative(n, "snapshotSequence"), nonNegative(n, "schemaVersion"), parts);
    }
}
