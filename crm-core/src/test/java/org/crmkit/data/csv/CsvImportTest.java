package org.crmkit.data.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.record.ImportOptions;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.Principal;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The CSV import's result stays the same size however many rows the file has: totals and the first errors, every
 * rejected row going to the rejected-rows CSV instead. (The storage behaviour is in crm-testkit's CsvImportContract.)
 */
class CsvImportTest {
    private final Crm crm = Crm.builder().storage(InMemoryStorage.create()).build();
    private final CrmSession admin = crm.as(Principal.SYSTEM);

    @AfterEach
    void close() {
        crm.close();
    }

    /** A generated file: a header, then {@code rows} rows, every second one with a price that is not a number. */
    private static InputStream generated(int rows) {
        return new InputStream() {
            private int row;
            private byte[] line = "name,price\n".getBytes(StandardCharsets.US_ASCII);
            private int at;

            @Override
            public int read() {
                if (at == line.length) {
                    if (row == rows) {
                        return -1;
                    }
                    row++;
                    line = ("n" + row + "," + (row % 2 == 0 ? "x" : "1.5") + "\n").getBytes(StandardCharsets.US_ASCII);
                    at = 0;
                }
                return line[at++];
            }
        };
    }

    /** Counts the lines written to it and keeps none. */
    private static final class LineCounter extends Writer {
        long lines;

        @Override
        public void write(char[] buf, int off, int len) {
            for (int i = off; i < off + len; i++) {
                if (buf[i] == '\n') {
                    lines++;
                }
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    private CsvImportResult importRows(int rows, LineCounter rejected) {
        return admin.csvImport("thing").keepErrors(25).rejectedRows(rejected)
                .options(ImportOptions.defaults().batchSize(500)).run("gen-" + rows, generated(rows));
    }

    @Test
    void theResultHoldsTotalsAndTheFirstErrorsWhateverTheRowCount() {
        crm.schema().addObjectType(ObjectType.custom("thing", "Thing", Field.text("name").required(true),
                Field.decimal("price")));
        LineCounter smallRejects = new LineCounter();
        LineCounter bigRejects = new LineCounter();
        CsvImportResult small = importRows(100, smallRejects);
        CsvImportResult big = importRows(20_000, bigRejects);
        assertThat(small.created()).isEqualTo(50);
        assertThat(big.created()).isEqualTo(10_000);
        assertThat(big.failed()).isEqualTo(10_000);
        // the same size: the totals, 25 errors, the same columns
        assertThat(small.errors()).hasSize(25);
        assertThat(big.errors()).hasSize(25);
        assertThat(small.moreErrors()).isTrue();
        assertThat(big.moreErrors()).isTrue();
        assertThat(big.errors()).isEqualTo(small.errors());
        assertThat(big.columns()).isEqualTo(small.columns());
        assertThat(big.toString().length() - String.valueOf(big.rows()).length()).isLessThanOrEqualTo(
                small.toString().length() - String.valueOf(small.rows()).length() + 60);
        // every rejected row went to the rejected-rows CSV (after its header)
        assertThat(smallRejects.lines).isEqualTo(1 + 50);
        assertThat(bigRejects.lines).isEqualTo(1 + 10_000);
    }
}
