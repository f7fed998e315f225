package org.crmkit.internal.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.crmkit.record.Address;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.jspecify.annotations.Nullable;

/**
 * Records as JSON Lines, in the format {@code RecordExport} describes, through Jackson's streaming generator: one
 * object per record and line, the same names as the CSV columns, typed values (exact decimals as JSON numbers, money
 * and addresses as objects, lists as arrays, dates and instants as ISO 8601 strings).
 */
public final class RecordJsonLinesSink implements RecordSink {
    private final List<ExportField> fields;
    private final JsonGenerator g;

    private RecordJsonLinesSink(List<ExportField> fields, JsonGenerator g) {
        this.fields = List.copyOf(fields);
        this.g = g;
    }

    /** A sink writing to {@code out}. */
    public static RecordJsonLinesSink on(List<ExportField> fields, Writer out) throws IOException {
        return new RecordJsonLinesSink(fields, factory().createGenerator(out));
    }

    /** A sink writing UTF-8 to {@code out}. */
    public static RecordJsonLinesSink on(List<ExportField> fields, OutputStream out) throws IOException {
        return new RecordJsonLinesSink(fields, factory().createGenerator(out, JsonEncoding.UTF8));
    }

    /**
     * Decimals in plain notation (exact, no exponent), the caller's target flushed but not closed, characters outside
     * the BMP written as UTF-8 rather than escaped surrogate pairs, records separated by the line ends this sink
     * writes itself.
     */
    private static JsonFactory factory() {
        return new JsonFactoryBuilder()
                .rootValueSeparator("")
                .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
                .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                .enable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
                .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                .build();
    }

    @Override
    public void header() {
        // JSON Lines has no header: every line names its values
    }

    @Override
    public void record(Record r) throws IOException {
        g.writeStartObject();
        for (String column : ExportField.SYSTEM_COLUMNS) {
            g.writeFieldName(column);
            JsonValues.write(g, ExportField.system(r, column));
        }
        for (ExportField f : fields) {
            Object value = r.values().get(f.name());
            g.writeFieldName(f.name());
            if (value == null) {
                if (f.shape() == ExportField.Shape.LIST) {
                    g.writeStartArray();
                    g.writeEndArray();
                } else {
                    g.writeNull();
                }
            } else {
                JsonValues.write(g, value);
            }
        }
        g.writeEndObject();
        g.writeRaw('\n');
    }

    @Override
    public void flush() throws IOException {
        g.flush();
    }

    @Override
    public void close() throws IOException {
        g.close();
    }
}
