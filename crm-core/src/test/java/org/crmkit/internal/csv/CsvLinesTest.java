package org.crmkit.internal.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.crmkit.data.csv.CsvFormatException;
import org.crmkit.data.csv.CsvFormatException.Problem;
import org.junit.jupiter.api.Test;

/** The file side of the CSV import: lines and their numbers, charsets, and every malformation as a typed error. */
class CsvLinesTest {
    private static final Charset CP1252 = Charset.forName("windows-1252");

    private static List<CsvLines.Line> lines(byte[] bytes, Charset charset) {
        List<CsvLines.Line> out = new ArrayList<>();
        CsvLines lines = CsvLines.of(new ByteArrayInputStream(bytes), charset, ',');
        out.add(new CsvLines.Line(1, lines.header()));
        for (CsvLines.Line l = lines.next(); l != null; l = lines.next()) {
            out.add(l);
        }
        return out;
    }

    private static List<CsvLines.Line> lines(String text) {
        return lines(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    /** The error a file gives, after the lines before it were read. */
    private static CsvFormatException failure(byte[] bytes, Charset charset) {
        CsvLines lines = CsvLines.of(new ByteArrayInputStream(bytes), charset, ',');
        try {
            lines.header();
            while (lines.next() != null) {
                // read on
            }
        } catch (CsvFormatException e) {
            return e;
        }
        throw new AssertionError("no error");
    }

    private static CsvFormatException failure(String text) {
        return failure(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    @Test
    void recordsKeepTheLineTheyStartOnAcrossQuotedLineBreaksAndBlankLines() {
        List<CsvLines.Line> l = lines("name,notes\r\nAda,\"one\ntwo\"\n\nBob,x\n,\n\"Cy\",\"say \"\"hi\"\"\"\n");
        assertThat(l).extracting(CsvLines.Line::number).containsExactly(1L, 2L, 5L, 7L);
        assertThat(l.get(1).cells()).containsExactly("Ada", "one\ntwo");
        assertThat(l.get(3).cells()).containsExactly("Cy", "say \"hi\"");
    }

    @Test
    void aUtf8ByteOrderMarkIsDroppedAndUtf8IsTheDefault() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] text = "Prénom,Straße\nRenée,Äußere\n".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = Arrays.copyOf(bom, bom.length + text.length);
        System.arraycopy(text, 0, withBom, bom.length, text.length);
        for (byte[] bytes : List.of(text, withBom)) {
            List<CsvLines.Line> l = lines(bytes, StandardCharsets.UTF_8);
            assertThat(l.get(0).cells()).containsExactly("Prénom", "Straße");
            assertThat(l.get(1).cells()).containsExactly("Renée", "Äußere");
        }
        // a BOM wins over the charset given
        assertThat(lines(withBom, CP1252).get(1).cells()).containsExactly("Renée", "Äußere");
        // a Reader's text with a decoded BOM
        CsvLines r = CsvLines.of(new StringReader("\uFEFFname\nAda\n"), ',');
        assertThat(r.header()).containsExactly("name");
    }

    @Test
    void windows1252IsReadWhenGivenAndRefusedAsUtf8WithTheLine() {
        byte[] bytes = "Name,Ort\nRenée,Köln €\n".getBytes(CP1252);
        assertThat(lines(bytes, CP1252).get(1).cells()).containsExactly("Renée", "Köln €");
        CsvFormatException e = failure(bytes, StandardCharsets.UTF_8);
        assertThat(e.problem()).isEqualTo(Problem.ENCODING);
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.getMessage()).contains("UTF-8").contains("windows-1252");
    }

    @Test
    void wrongColumnCountsNameTheLine() {
        CsvFormatException more = failure("a,b\n1,2\n3,4,5\n");
        assertThat(more.problem()).isEqualTo(Problem.COLUMN_COUNT);
        assertThat(more.line()).isEqualTo(3);
        CsvFormatException fewer = failure("a,b\n1,2\n\"x\ny\"\n");
        assertThat(fewer.problem()).isEqualTo(Problem.COLUMN_COUNT);
        assertThat(fewer.line()).isEqualTo(3);
        assertThat(fewer.getMessage()).isEqualTo("line 3: the row has 1 cells, the header has 2");
    }

    @Test
    void quotesLeftOpenOrFollowedByText() {
        CsvFormatException open = failure("a,b\n1,2\n3,\"never closed\n4,5\n6,7\n");
        assertThat(open.problem()).isEqualTo(Problem.UNCLOSED_QUOTE);
        assertThat(open.line()).isEqualTo(3);
        CsvFormatException after = failure("a,b\n1,\"2\"x\n");
        assertThat(after.problem()).isEqualTo(Problem.TEXT_AFTER_QUOTE);
        assertThat(after.line()).isEqualTo(2);
    }

    @Test
    void binaryContentAndEmptyFiles() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        CsvFormatException e = failure(png, StandardCharsets.UTF_8);
        assertThat(e.problem()).isIn(Problem.BINARY, Problem.ENCODING);
        CsvFormatException nul = failure("a,b\n1,2\n3,x\0y\n");
        assertThat(nul.problem()).isEqualTo(Problem.BINARY);
        assertThat(nul.line()).isEqualTo(3);
        CsvFormatException empty = failure("");
        assertThat(empty.problem()).isEqualTo(Problem.EMPTY);
        assertThat(failure("\n\n").problem()).isEqualTo(Problem.EMPTY);
    }

    /** A stream of {@code size} bytes: a header line, then one line of 'x' without any line break. */
    private static InputStream oneEndlessLine(long size) {
        byte[] header = "name,notes\n".getBytes(StandardCharsets.US_ASCII);
        return new InputStream() {
            private long served;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0];
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (served >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - served);
                for (int i = 0; i < n; i++) {
                    long at = served + i;
                    b[off + i] = at < header.length ? header[(int) at] : (byte) 'x';
                }
                served += n;
                return n;
            }
        };
    }

    @Test
    void aHugeLineWithoutLineBreaksFailsAfterReadingLittleOfIt() {
        long size = 300L << 20;
        InputStream endless = oneEndlessLine(size);
        CountingInputStream counted = new CountingInputStream(endless);
        CsvLines lines = CsvLines.of(counted, StandardCharsets.UTF_8, ',');
        lines.header();
        assertThatThrownBy(lines::next).isInstanceOfSatisfying(CsvFormatException.class, e -> {
            assertThat(e.problem()).isEqualTo(Problem.TOO_LONG);
            assertThat(e.line()).isEqualTo(2);
        });
        // bounded: the parser gave up after a few MB of the 300 MB, however long the line goes on
        assertThat(counted.count()).isLessThan(16L << 20);
    }

    @Test
    void aHugeLineOfSeparatorsFailsAtTheFirstCellTooMany() {
        byte[] bytes = ("a,b\n" + ",".repeat(5_000_000)).getBytes(StandardCharsets.US_ASCII);
        CountingInputStream counted = new CountingInputStream(new ByteArrayInputStream(bytes));
        CsvLines lines = CsvLines.of(counted, StandardCharsets.UTF_8, ',');
        lines.header();
        assertThatThrownBy(lines::next).isInstanceOfSatisfying(CsvFormatException.class, e -> {
            assertThat(e.problem()).isEqualTo(Problem.COLUMN_COUNT);
            assertThat(e.line()).isEqualTo(2);
        });
        assertThat(counted.count()).isLessThan(1L << 20);
    }

    @Test
    void otherSeparators() {
        CsvLines l = CsvLines.of(new StringReader("a;b\n\"1;2\";3\n"), ';');
        assertThat(l.header()).containsExactly("a", "b");
        assertThat(l.next()).isEqualTo(new CsvLines.Line(2, List.of("1;2", "3")));
    }
}
