package org.crmkit.internal.backup;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/** Hands items to the target {@value Restorer#BATCH} at a time, through {@link WriterThread}. */
final class Batch<T> {
    private final WriterThread writer;
    private final Consumer<List<T>> sink;
    private final List<T> items = new ArrayList<>(Restorer.BATCH);

    Batch(WriterThread writer, Consumer<List<T>> sink) {
        this.writer = writer;
        this.sink = sink;
    }

    void add(T item) {
        items.add(Objects.requireNonNull(item, "item"));
        if (items.size() == Restorer.BATCH) {
            flush();
        }
    }

    void flush() {
        if (!items.isEmpty()) {
            List<T> batch = List.copyOf(items);
            items.clear();
            writer.submit(() -> sink.accept(batch));
        }
    }
}
