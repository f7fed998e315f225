package org.crmkit.internal.service;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.crmkit.RecordSet;
import org.crmkit.data.export.RecordExport;
import org.crmkit.data.vcard.VCardVersion;
import org.crmkit.internal.export.ExportField;
import org.crmkit.internal.export.RecordCsvSink;
import org.crmkit.internal.export.RecordJsonLinesSink;
import org.crmkit.internal.export.RecordSink;
import org.crmkit.internal.export.RecordVCardSink;
import org.crmkit.internal.vcard.ContactCardWriter;
import org.crmkit.query.Page;
import org.crmkit.query.Query;
import org.crmkit.record.Record;
import org.crmkit.schema.ObjectType;

/**
 * {@link RecordExport} for one session: checks the query by running its first page through the session's
 * {@link RecordSet#query} (so bad input fails with the query's errors before anything is written), works out the
 * fields the caller may see, then writes page after page, following the cursors, flushing after each.
 */
final class SessionExport implements RecordExport {
    private final Session session;

    SessionExport(Session session) {
        this.session = session;
    }

    @Override
    public long csv(String objectType, Query query, Writer out) {
        Objects.requireNonNull(out, "out");
        return export(objectType, query, "CSV", fields -> new RecordCsvSink(fields, out));
    }

    @Override
    public long csv(String objectType, Query query, OutputStream out) {
        Objects.requireNonNull(out, "out");
        Writer utf8 = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        return export(objectType, query, "CSV", fields -> new RecordCsvSink(fields, utf8));
    }

    @Override
    public long jsonLines(String objectType, Query query, Writer out) {
        Objects.requireNonNull(out, "out");
        return export(objectType, query, "JSON Lines", fields -> RecordJsonLinesSink.on(fields, out));
    }

    @Override
    public long jsonLines(String objectType, Query query, OutputStream out) {
        Objects.requireNonNull(out, "out");
        return export(objectType, query, "JSON Lines", fields -> RecordJsonLinesSink.on(fields, out));
    }

    @Override
    public long vcards(Query query, Writer out, VCardVersion version) {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(version, "version");
        return export("contact", query, "vCard", fields -> new RecordVCardSink(new ContactCardWriter(out, version,
                fields.stream().map(ExportField::name).collect(java.util.stream.Collectors.toSet()),
                new CompanyNames(session))));
    }

    @Override
    public long vcards(Query query, OutputStream out, VCardVersion version) {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(version, "version");
        return vcards(query, new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8)), version);
    }

    /** Opens a sink for the fields to export. */
    @FunctionalInterface
    private interface Opener {
        RecordSink open(List<ExportField> fields) throws IOException;
    }

    private long export(String objectType, Query query, String format, Opener opener) {
        Objects.requireNonNull(objectType, "objectType");
        Objects.requireNonNull(query, "query");
        RecordSet records = session.records(objectType);
        Page<Record> page = records.query(query);
        List<ExportField> fields = fields(objectType);
        long written = 0;
        try (RecordSink sink = opener.open(fields)) {
            sink.header();
            while (true) {
                for (Record r : page.items()) {
                    sink.record(r);
                    written++;
                }
                sink.flush();
                Optional<Query> next = page.nextQuery();
                if (next.isEmpty()) {
                    return written;
                }
                page = records.query(next.get());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("exporting " + objectType + " records as " + format + " (" + written
                    + " written)", e);
        }
    }

    /** The fields of the type the caller may see, in schema order. */
    private List<ExportField> fields(String objectType) {
        CompiledSchema cs = session.engine.schema.compiled();
        ObjectType type = cs.snapshot.findObjectType(objectType)
                .orElseThrow(() -> SchemaService.unknownType(objectType));
        Access access = new Access(session.principal(), objectType, cs, session.engine.accessModels);
        return type.fields().stream().filter(f -> access.canSee(f.name())).map(ExportField::of).toList();
    }
}
