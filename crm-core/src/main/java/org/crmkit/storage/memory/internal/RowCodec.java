package org.crmkit.storage.memory.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.record.Record;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory storage's compact row format: a {@link Record} becomes a {@link StoredRow} (one byte array, no
 * object per value) when committed and a new, equal {@code Record} each time it is read. Field names are numbers
 * of the store's {@link Names}; values are written by {@link ValueCodec} in field-name order, so that a create's
 * change-log entry, whose changes come in that order, can share the row's bytes ({@link EntryCodec}).
 */
final class RowCodec {
    final Names names;

    RowCodec(Names names) {
        this.names = names;
    }

    StoredRow encode(Record r) {
        ByteSink out = new ByteSink();
        out.putSigned(r.version());
        writeInstant(out, r.createdAt());
        writeInstant(out, r.updatedAt());
        if (r.deletedAt() == null) {
            out.put(0);
        } else {
            out.put(1);
            writeInstant(out, r.deletedAt());
        }
        int valuesAt = out.size();
        List<Object> extras = new ArrayList<>(0);
        writeValues(out, r.values(), extras);
        return new StoredRow(names.intern(r.owner()), r.team() == null ? null : names.intern(r.team()),
                names.intern(r.createdBy()), names.intern(r.updatedBy()), out.toArray(), valuesAt,
                extras.isEmpty() ? null : extras.toArray());
    }

    Record decode(UUID id, String type, StoredRow row) {
        ByteSource in = new ByteSource(row.data, 0);
        long version = in.getSigned();
        Instant createdAt = readInstant(in);
        Instant updatedAt = readInstant(in);
        Instant deletedAt = in.get() == 0 ? null : readInstant(in);
        in.pos = row.valuesAt;
        return new Record(id, type, version, row.owner, row.team, createdAt, row.createdBy, updatedAt, row.updatedBy,
                deletedAt, readValues(in, row.extras));
    }

    /** Writes values as (field number, value) pairs in field-name order. */
    void writeValues(ByteSink out, Map<String, Object> values, List<Object> extras) {
        String[] fields = values.keySet().toArray(new String[0]);
        Arrays.sort(fields);
        for (String f : fields) {
            writePair(out, f, values.get(f), extras);
        }
    }

    void writePair(ByteSink out, String field, @Nullable Object value, List<Object> extras) {
        out.putVarLong(names.code(field));
        ValueCodec.write(out, value, extras);
    }

    /** Reads the pairs {@link #writeValues} wrote, up to the end of the array. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    Map<String, Object> readValues(ByteSource in, Object @Nullable [] extras) {
        List<Map.Entry<String, Object>> pairs = new ArrayList<>();
        while (in.hasMore()) {
            String field = names.name(in.getVarInt());
            pairs.add(Map.entry(field, java.util.Objects.requireNonNull(ValueCodec.read(in, extras), field)));
        }
        return Map.ofEntries(pairs.toArray(new Map.Entry[0]));
    }

    static void writeInstant(ByteSink out, Instant at) {
        out.putSigned(at.getEpochSecond());
        out.putVarLong(at.getNano());
    }

    static Instant readInstant(ByteSource in) {
        return Instant.ofEpochSecond(in.getSigned(), in.getVarLong());
    }
}
