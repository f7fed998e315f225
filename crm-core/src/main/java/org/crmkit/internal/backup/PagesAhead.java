package org.crmkit.internal.backup;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Reads a snapshot's pages one ahead, on a thread of its own, so that the database's work and the decoding of the
 * next page overlap the encoding and compression of this one (a backup spent half its time in each). One read is in
 * flight at a time and each is handed over through a {@link Future}, so the snapshot (one connection, on SQL) is
 * used by one thread at a time, as {@link org.crmkit.storage.spi.StorageSnapshot} allows. {@link #close} waits for a
 * read still running, so the snapshot can be closed after it.
 */
final class PagesAhead implements AutoCloseable {
    /** The page after the last item of the one before ({@code null}: the first page). */
    interface Pager<T> {
        List<T> after(@Nullable T last);
    }

    /** What receives each item, in order. */
    interface Sink<T> {
        void accept(T item) throws IOException;
    }

    private final ExecutorService reader = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("crmkit-backup-reader").factory());

    /**
     * Hands every item of the pages of {@code pager} to {@code sink}, reading the next page while the sink works
     * through this one; a page of fewer than {@code size} items is the last.
     */
    <T> void each(Pager<T> pager, int size, Sink<T> sink) throws IOException {
        Future<List<T>> next = reader.submit(() -> pager.after(null));
        while (true) {
            List<T> page = get(next);
            boolean more = page.size() >= size;
            if (more) {
                T last = page.get(page.size() - 1);
                next = reader.submit(() -> pager.after(last));
            }
            for (T item : page) {
                sink.accept(item);
            }
            if (!more) {
                return;
            }
        }
    }

    private static <T> T get(Future<T> f) {
        return Futures.join(f, "reading a backup's snapshot");
    }

    @Override
    public void close() {
        reader.shutdown();
        try {
            if (!reader.awaitTermination(10, TimeUnit.MINUTES)) {
                reader.shutdownNow();
            }
        } catch (InterruptedException e) {
            reader.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
