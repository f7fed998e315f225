package org.crmkit.internal.service;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.crmkit.internal.value.ValueConverter;
import org.crmkit.schema.Field;
import org.jspecify.annotations.Nullable;

/**
 * Reads an import batch's costly values ahead, half of them on a second core ({@link ValueConverter#prepare}: phone
 * numbers, whose reading by libphonenumber was 39% of a CSV import's time), so that the batch's writes find them
 * read. Only an optimisation: a value it cannot read is read, and reported, by the write as before. What it
 * remembers is forgotten once the batch is written ({@link #forget}), so the values of an import are not kept.
 */
final class ValuesAhead implements AutoCloseable {
    private final ValueConverter converter;
    private final List<Field> fields;
    private @Nullable ExecutorService helper;

    /** Prepares the values of those of {@code fields} that the converter prepares. */
    ValuesAhead(ValueConverter converter, List<Field> fields) {
        this.converter = converter;
        this.fields = fields.stream().filter(converter::prepares).toList();
    }

    /** Reads ahead the values of {@code rows} (the first half here, the second on the helper thread). */
    void prepare(List<? extends Map<String, ?>> rows) {
        if (fields.isEmpty() || rows.isEmpty()) {
            return;
        }
        int half = rows.size() / 2;
        Future<?> second = half == 0 ? null : helper().submit(() -> prepareAll(rows.subList(half, rows.size())));
        prepareAll(rows.subList(0, half == 0 ? rows.size() : half));
        if (second != null) {
            try {
                second.get();
            } catch (ExecutionException e) {
                // only an optimisation: the writes read the values again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void prepareAll(List<? extends Map<String, ?>> rows) {
        for (Map<String, ?> row : rows) {
            for (Field f : fields) {
                converter.prepare(f, row.get(f.name()));
            }
        }
    }

    /** Forgets what was read ahead. */
    void forget() {
        if (!fields.isEmpty()) {
            converter.forgetPrepared();
        }
    }

    private ExecutorService helper() {
        ExecutorService h = helper;
        if (h == null) {
            h = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("crmkit-import-ahead").factory());
            helper = h;
        }
        return h;
    }

    @Override
    public void close() {
        forget();
        ExecutorService h = helper;
        if (h != null) {
            h.shutdownNow();
        }
    }
}
