package org.crmkit.internal.csv;

import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.Charset;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.crmkit.data.csv.CsvError;
import org.crmkit.data.csv.CsvFormatException;
import org.crmkit.data.csv.CsvImportProgress;
import org.crmkit.data.csv.CsvImportResult;
import org.crmkit.error.FieldError;
import org.crmkit.record.ImportOptions;
import org.crmkit.record.ImportProgress;
import org.crmkit.record.ImportResult.RowError;
import org.crmkit.schema.ObjectType;
import org.jspecify.annotations.Nullable;

/**
 * One CSV import: reads the header and plans the columns ({@link ColumnPlan}, which may refuse the import before
 * anything happens), then hands the rows, read one at a time ({@link CsvLines}, {@link RowReader}), to the engine's
 * import as a one-pass {@link Iterable}. The engine reads a batch, writes it, and tells its progress with the batch's
 * refused rows; only then are those rows written to the rejected-rows CSV and turned into {@link CsvError}s (the
 * first {@code keepErrors} kept), and the cells of the batch forgotten. So memory holds one batch of cells, whatever
 * the file's size. A malformed line ends the run with its {@link CsvFormatException} while its batch is being read:
 * the batches before it are committed, that one is not.
 */
public final class CsvImportRun {
    /** The engine's import, keeping totals only (every refused row reaches the options' progress listener). */
    @FunctionalInterface
    public interface RowImporter {
        Totals run(Iterable<? extends Map<String, ?>> rows, ImportOptions options);
    }

    /** What the engine's import did, in totals. */
    public record Totals(long rows, long created, long skipped, long failed, boolean stopped) {}

    /** The settings of a run, as the {@code CsvImport} builder holds them. */
    public record Settings(Locale locale, ZoneId zone, char separator, boolean dryRun, ImportOptions options,
            Consumer<CsvImportProgress> progress, int keepErrors, Map<String, String> columns, Set<String> ignored) {}

    /** Opens the rejected-rows target once the columns are known to be fine; null for none. */
    @FunctionalInterface
    public interface RejectedTarget {
        @Nullable
        Writer open();
    }

    /** A row read but whose batch is not done yet: where it starts and its cells. */
    private record Pending(long line, List<String> cells) {}

    private final Settings settings;
    private final WritableFields access;
    private final ObjectType type;
    private final Map<Long, Pending> window = new HashMap<>();
    private final List<CsvError> errors = new ArrayList<>();
    private boolean moreErrors;
    private @Nullable RejectedRows rejected;
    private @Nullable ColumnPlan plan;
    private long lastLine = 1;

    public CsvImportRun(Settings settings, ObjectType type, WritableFields access) {
        this.settings = settings;
        this.type = type;
        this.access = access;
    }

    /**
     * Runs the import of the bytes of {@code in} in {@code charset} (a byte order mark wins); {@code bytesRead} and
     * {@code totalBytes} feed the progress.
     */
    public CsvImportResult run(String importId, InputStream in, Charset charset, RowImporter importer,
            RejectedTarget target, LongSupplier bytesRead, long totalBytes) {
        return run(importId, CsvLines.of(in, charset, settings.separator()), importer, target, bytesRead,
                totalBytes);
    }

    /** Runs the import of the characters of {@code in}. */
    public CsvImportResult run(String importId, Reader in, RowImporter importer, RejectedTarget target) {
        return run(importId, CsvLines.of(in, settings.separator()), importer, target, () -> 0, -1);
    }

    private CsvImportResult run(String importId, CsvLines lines, RowImporter importer, RejectedTarget target,
            LongSupplier bytesRead, long totalBytes) {
        List<String> header = lines.header();
        Set<String> creatingParents = new java.util.HashSet<>();
        settings.options().references().forEach((field, lookup) -> {
            if (lookup.createsMissing()) {
                creatingParents.add(field);
            }
        });
        ColumnPlan p = ColumnPlan.of(type, header, settings.columns(), settings.ignored(), access, creatingParents);
        plan = p;
        Writer out = target.open();
        rejected = out == null ? null : new RejectedRows(out);
        if (rejected != null) {
            rejected.header(header);
            rejected.flush();
        }
        RowReader reader = new RowReader(p, new CellReader(settings.locale(), settings.zone()));
        ImportOptions options = settings.options().dryRun(settings.dryRun() || settings.options().dryRun())
                .onProgress(progress -> {
                    batchDone(progress, bytesRead, totalBytes);
                    settings.options().progress().accept(progress);
                });
        Totals totals;
        try {
            totals = importer.run(() -> rows(lines, reader), options);
        } catch (CsvFormatException e) {
            throw new CsvFormatException(e.problem(), e.line(), String.valueOf(e.getMessage())
                    .replaceFirst("^line \\d+: ", "")
                    + (options.dryRun() ? "; nothing was written (dry run)"
                            : "; the batches before this line's batch were imported, that batch and the rest were"
                                    + " not: fix the file and run import '" + importId + "' again to go on"));
        } finally {
            if (rejected != null) {
                rejected.flush();
            }
        }
        return new CsvImportResult(importId, options.dryRun(), totals.rows(), totals.created(), totals.skipped(),
                totals.failed(), totals.stopped(), errors, moreErrors, p.columns(), p.ignoredColumns());
    }

    /** The rows of the file, read as the engine asks for them; each kept in the window until its batch is done. */
    private Iterator<Map<String, ?>> rows(CsvLines lines, RowReader reader) {
        return new Iterator<>() {
            private CsvLines.@Nullable Line next;
            private long number;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    next = lines.next();
                }
                return next != null;
            }

            @Override
            public Map<String, ?> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                CsvLines.Line line = java.util.Objects.requireNonNull(next);
                next = null;
                number++;
                window.put(number, new Pending(line.number(), line.cells()));
                return reader.read(line.cells());
            }
        };
    }

    /** After a batch: its refused rows reported and written, its cells forgotten, the progress told. */
    private void batchDone(ImportProgress progress, LongSupplier bytesRead, long totalBytes) {
        ColumnPlan p = java.util.Objects.requireNonNull(plan);
        for (RowError e : progress.errors()) {
            Pending row = window.get(e.row());
            long line = row == null ? 0 : row.line();
            List<String> texts = new ArrayList<>();
            for (FieldError f : e.errors()) {
                String column = f.field().equals(FieldError.RECORD) ? null : p.columnOf(f.field());
                if (errors.size() < settings.keepErrors()) {
                    errors.add(new CsvError(line, e.row(), column, f.field(), f.code(), f.message()));
                } else {
                    moreErrors = true;
                }
                String where = column != null ? column : f.field().equals(FieldError.RECORD) ? null : f.field();
                texts.add(where == null ? f.message() : where + ": " + f.message());
            }
            if (rejected != null && row != null) {
                rejected.row(row.cells(), texts.stream().collect(Collectors.joining("; ")));
            }
        }
        Pending last = window.get(progress.rows());
        if (last != null) {
            lastLine = last.line();
        }
        window.keySet().removeIf(n -> n <= progress.rows());
        if (rejected != null) {
            rejected.flush();
        }
        settings.progress().accept(new CsvImportProgress(lastLine, progress.rows(), progress.created(),
                progress.skipped(), progress.failed(), bytesRead.getAsLong(), totalBytes));
    }
}
