package org.crmkit.internal.backup;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.crmkit.error.BackupException;
import org.crmkit.error.CrmException;
import org.jspecify.annotations.Nullable;

/**
 * The lines of one part, decoded on helper threads while the reading thread inflates, digests and splits the next
 * ones (a restore spent most of its checking pass decoding, one core busy). Lines go out in chunks of about
 * {@value #CHUNK_BYTES} bytes, at most {@link #ahead} chunks at once, and come back to the sink in order, on the
 * reading thread. A chunk's decoding stops at its first bad line; the sink gets every line before it, then the line's
 * error is thrown: what decoding one line after another does. The reading thread calls {@link #drain} before it
 * throws an error of its own, so an earlier line's error comes first there too.
 */
final class DecodedLines<T> {
    static final int CHUNK_BYTES = 256 * 1024;
    private static final int CHUNK_LINES = 1_000;

    /** What makes the error of a bad line (the part and line named). */
    interface BadLine {
        BackupException at(long line, String problem);
    }

    private record Chunk<T>(long firstLine, List<T> items, @Nullable BackupException error) {}

    private final ExecutorService decoders;
    private final int ahead;
    private final ArchiveReader.LineDecoder<T> decode;
    private final ArchiveReader.LineSink<? super T> sink;
    private final BadLine bad;
    private final ArrayDeque<Future<Chunk<T>>> pending = new ArrayDeque<>();
    private List<byte[]> lines = new ArrayList<>();
    private long firstLine = 1;
    private long bytes;

    DecodedLines(ExecutorService decoders, int ahead, ArchiveReader.LineDecoder<T> decode,
            ArchiveReader.LineSink<? super T> sink, BadLine bad) {
        this.decoders = decoders;
        this.ahead = ahead;
        this.decode = decode;
        this.sink = sink;
        this.bad = bad;
    }

    /** Takes the next line (its bytes, without the line end). */
    void add(byte[] line) {
        lines.add(line);
        bytes += line.length;
        if (bytes >= CHUNK_BYTES || lines.size() >= CHUNK_LINES) {
            submit();
            while (pending.size() > ahead) {
                handOver(pending.removeFirst());
            }
        }
    }

    /** Decodes what is left and hands every line still out to the sink, in order. */
    void drain() {
        submit();
        while (!pending.isEmpty()) {
            handOver(pending.removeFirst());
        }
    }

    /** Stops the decoding still running (after a failure: nobody takes its lines). */
    void cancel() {
        pending.forEach(f -> f.cancel(true));
        pending.clear();
    }

    private void submit() {
        if (lines.isEmpty()) {
            return;
        }
        List<byte[]> chunk = lines;
        long first = firstLine;
        firstLine += chunk.size();
        lines = new ArrayList<>();
        bytes = 0;
        pending.addLast(decoders.submit(() -> decodeChunk(first, chunk)));
    }

    private Chunk<T> decodeChunk(long first, List<byte[]> chunk) {
        List<T> items = new ArrayList<>(chunk.size());
        for (byte[] line : chunk) {
            try {
                items.add(decode.decode(line));
            } catch (IOException | IllegalArgumentException | CrmException e) {
                return new Chunk<>(first, items, bad.at(first + items.size(), String.valueOf(e.getMessage())));
            }
        }
        return new Chunk<>(first, items, null);
    }

    private void handOver(Future<Chunk<T>> f) {
        Chunk<T> chunk = Futures.join(f, "decoding a backup's lines");
        for (int i = 0; i < chunk.items().size(); i++) {
            sink.accept(chunk.items().get(i), chunk.firstLine() + i);
        }
        if (chunk.error() != null) {
            throw chunk.error();
        }
    }
}
