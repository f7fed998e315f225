package org.crmkit.internal.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import org.crmkit.record.Money;
import org.crmkit.report.ReportTable;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ReportTable} as one JSON object, in the format {@code ReportExport} describes, through Jackson's
 * streaming generator: each value is written as it is read, nothing is built up first.
 */
public final class JsonTableWriter {
    /**
     * Immutable once built and thread-safe: decimals in plain notation (exact, no exponent), the caller's stream
     * flushed but not closed, characters outside the BMP (emoji) written as UTF-8 on a byte stream as they are on a
     * character stream, not as escaped surrogate pairs.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .enable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    private JsonTableWriter() {}

    /** Writes the table to {@code out} and flushes it. */
    public static void write(ReportTable table, Writer out) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(table, g);
        }
    }

    /** Writes the table in UTF-8 to {@code out} and flushes it. */
    public static void write(ReportTable table, OutputStream out) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            write(table, g);
        }
    }

    private static void write(ReportTable table, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", table.name());
        g.writeStringField("label", table.label());
        g.writeArrayFieldStart("columns");
        for (ReportTable.Column c : table.columns()) {
            g.writeStartObject();
            g.writeStringField("name", c.name());
            g.writeStringField("label", c.label());
            g.writeStringField("role", c.role().name().toLowerCase(Locale.ROOT));
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("rows");
        for (List<@Nullable Object> row : table.rows()) {
            g.writeStartArray();
            for (Object value : row) {
                JsonValues.write(g, value);
            }
            g.writeEndArray();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.flush();
    }
}
