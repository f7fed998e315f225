package org.crmkit.rest.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.crmkit.query.Page;
import org.crmkit.record.Record;

/**
 * How a record looks in JSON: its system properties at the top, its field values (only those the caller may read;
 * the engine leaves the others out) under {@code fields}, so a field may be named like a property ({@code type}).
 */
public final class RecordJson {
    private RecordJson() {}

    public static Map<String, Object> of(Record r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("type", r.type());
        m.put("version", r.version());
        m.put("owner", r.owner());
        m.put("team", r.team());
        m.put("created_at", r.createdAt());
        m.put("created_by", r.createdBy());
        m.put("updated_at", r.updatedAt());
        m.put("updated_by", r.updatedBy());
        m.put("deleted_at", r.deletedAt());
        m.put("fields", new java.util.TreeMap<>(r.values()));
        return java.util.Collections.unmodifiableMap(m);
    }

    public static Map<String, Object> page(Page<Record> page) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", page.items().stream().map(RecordJson::of).toList());
        m.put("has_more", page.hasNext());
        m.put("next_cursor", page.nextCursor());
        return m;
    }

    /** The strong ETag of a record: its version, quoted. */
    public static String etag(Record r) {
        return "\"" + r.version() + "\"";
    }
}
