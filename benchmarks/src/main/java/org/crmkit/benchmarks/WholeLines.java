package org.crmkit.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * An output stream that hands its target whole lines only, each in one write: bytes wait until their line ends,
 * then the line goes out with its newline and is flushed. With stdout and stderr sent to one file ({@code > log
 * 2>&1}), the JVM's own streams write a long line in pieces (their buffers are small), so a progress line on
 * stderr and a {@code BENCH} line on stdout could share a line of the log; over this stream each line is one
 * {@code write(2)} and starts where the last one ended. {@link #flush()} keeps an unfinished line waiting;
 * {@link #close()} writes it.
 */
final class WholeLines extends OutputStream {
    private final OutputStream target;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

    WholeLines(OutputStream target) {
        this.target = target;
    }

    /** A print stream over this process's standard output or error ({@link FileDescriptor#out} or {@code err}). */
    static PrintStream over(FileDescriptor fd) {
        return new PrintStream(new WholeLines(new FileOutputStream(fd)), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) throws IOException {
        line.write(b);
        if (b == '\n') {
            emit();
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        int start = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (b[i] == '\n') {
                line.write(b, start, i + 1 - start);
                emit();
                start = i + 1;
            }
        }
        line.write(b, start, end - start);
    }

    /** Keeps an unfinished line back: only whole lines reach the target. */
    @Override
    public synchronized void flush() {}

    @Override
    public synchronized void close() throws IOException {
        if (line.size() > 0) {
            emit();
        }
        target.close();
    }

    private void emit() throws IOException {
        target.write(line.toByteArray());
        target.flush();
        line.reset();
    }
}
