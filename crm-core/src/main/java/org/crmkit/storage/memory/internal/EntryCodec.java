package org.crmkit.storage.memory.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.event.Operation;
import org.jspecify.annotations.Nullable;

/**
 * Encodes change-log entries as {@link StoredEntry} and back, in the format of {@link RowCodec}. When the entry's
 * first changes set exactly the values of a given row (a create, whose changes come in field-name order), the
 * entry points at the row's bytes instead of a copy of them.
 */
final class EntryCodec {
    private static final Operation[] OPERATIONS = Operation.values();
    private final RowCodec rows;

    EntryCodec(RowCodec rows) {
        this.rows = rows;
    }

    /** Encodes an entry; {@code row}, when given, is its record's committed row, whose bytes it may share. */
    StoredEntry encode(ChangeLogEntry e, @Nullable StoredRow row) {
        List<FieldChange> changes = e.changes();
        int shared = row == null || row.extras != null ? 0 : sharedLead(changes, row);
        ByteSink out = new ByteSink();
        RowCodec.writeInstant(out, e.at());
        out.put(e.operation().ordinal());
        out.putSigned(e.version());
        out.putLong(e.transactionId().getMostSignificantBits());
        out.putLong(e.transactionId().getLeastSignificantBits());
        List<Object> extras = new ArrayList<>(0);
        for (FieldChange c : changes.subList(shared, changes.size())) {
            out.putVarLong(rows.names.code(c.field()));
            ValueCodec.write(out, c.oldValue(), extras);
            ValueCodec.write(out, c.newValue(), extras);
        }
        Names names = rows.names;
        StoredRow lead = shared == 0 ? null : row;
        return new StoredEntry(e.sequence(), e.recordId(), names.intern(e.principalId()),
                names.intern(e.objectType()), out.toArray(), lead == null ? null : lead.data,
                lead == null ? 0 : lead.valuesAt, extras.isEmpty() ? null : extras.toArray());
    }

    /**
     * How many leading changes (each from null to a value) encode to exactly the row's values, or 0 when no run
     * of them does.
     */
    private int sharedLead(List<FieldChange> changes, StoredRow row) {
        int length = row.data.length - row.valuesAt;
        if (length == 0) {
            return 0;
        }
        ByteSink lead = new ByteSink();
        List<Object> extras = new ArrayList<>(0);
        for (int i = 0; i < changes.size(); i++) {
            FieldChange c = changes.get(i);
            if (c.oldValue() != null || c.newValue() == null) {
                return 0;
            }
            rows.writePair(lead, c.field(), c.newValue(), extras);
            if (!extras.isEmpty() || lead.size() > length) {
                return 0;
            }
            if (lead.size() == length) {
                return lead.regionEquals(0, row.data, row.valuesAt) ? i + 1 : 0;
            }
        }
        return 0;
    }

    ChangeLogEntry decode(StoredEntry s) {
        ByteSource in = new ByteSource(s.data, 0);
        var at = RowCodec.readInstant(in);
        Operation operation = OPERATIONS[in.get()];
        long version = in.getSigned();
        UUID transactionId = new UUID(in.getLong(), in.getLong());
        List<FieldChange> changes = new ArrayList<>();
        if (s.lead != null) {
            ByteSource lead = new ByteSource(s.lead, s.leadAt);
            while (lead.hasMore()) {
                String field = rows.names.name(lead.getVarInt());
                changes.add(new FieldChange(field, null, ValueCodec.read(lead, null)));
            }
        }
        while (in.hasMore()) {
            String field = rows.names.name(in.getVarInt());
            Object old = ValueCodec.read(in, s.extras);
            changes.add(new FieldChange(field, old, ValueCodec.read(in, s.extras)));
        }
        return new ChangeLogEntry(s.sequence, at, s.principalId, s.objectType, s.recordId, operation, version,
                changes, transactionId);
    }
}
