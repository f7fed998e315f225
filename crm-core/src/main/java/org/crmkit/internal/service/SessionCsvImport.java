package org.crmkit.internal.service;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.crmkit.data.csv.CsvImport;
import org.crmkit.data.csv.CsvImportProgress;
import org.crmkit.data.csv.CsvImportResult;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.internal.csv.CountingInputStream;
import org.crmkit.internal.csv.CsvImportRun;
import org.crmkit.internal.csv.WritableFields;
import org.crmkit.record.ImportOptions;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.jspecify.annotations.Nullable;

/**
 * {@link CsvImport} for one session and type: the immutable settings, and {@link #run} which checks the arguments
 * and the CREATE permission before it opens anything, then hands the input to an {@link CsvImportRun} with the
 * principal's field rights ({@link Access}) and the engine's import keeping totals only
 * ({@link Records#importCounting}).
 */
record SessionCsvImport(Session session, String type, Map<String, String> columns, Set<String> ignored,
        Locale locale, ZoneId zone, Charset charset, char separator, boolean dryRun,
        Consumer<CsvImportProgress> progress, @Nullable Writer rejectedWriter, @Nullable Path rejectedFile,
        ImportOptions options, int keepErrors) implements CsvImport {
    static final int DEFAULT_KEEP_ERRORS = 1_000;
    static final int MAX_KEEP_ERRORS = 100_000;

    static SessionCsvImport of(Session session, String type) {
        return new SessionCsvImport(session, type, Map.of(), Set.of(), Locale.ROOT, ZoneOffset.UTC,
                StandardCharsets.UTF_8, ',', false, p -> {}, null, null, ImportOptions.defaults(),
                DEFAULT_KEEP_ERRORS);
    }

    @Override
    public CsvImport columns(Map<String, String> headerToTarget) {
        Objects.requireNonNull(headerToTarget, "headerToTarget");
        Map<String, String> all = new LinkedHashMap<>(columns);
        headerToTarget.forEach((h, t) -> all.put(Objects.requireNonNull(h, "header"), Objects.requireNonNull(t,
                "target")));
        return new SessionCsvImport(session, type, Map.copyOf(all), ignored, locale, zone, charset, separator, dryRun,
                progress, rejectedWriter, rejectedFile, options, keepErrors);
    }

    @Override
    public CsvImport column(String header, String target) {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(target, "target");
        return columns(Map.of(header, target));
    }

    @Override
    public CsvImport ignoreColumn(String header) {
        Objects.requireNonNull(header, "header");
        Set<String> all = new LinkedHashSet<>(ignored);
        all.add(header);
        return new SessionCsvImport(session, type, columns, Set.copyOf(all), locale, zone, charset, separator, dryRun,
                progress, rejectedWriter, rejectedFile, options, keepErrors);
    }

    @Override
    public CsvImport locale(Locale locale) {
        Objects.requireNonNull(locale, "locale");
        return new SessionCsvImport(session, type, columns, ignored, locale, zone, charset, separator, dryRun,
                progress, rejectedWriter, rejectedFile, options, keepErrors);
    }

    @Override
    public CsvImport timeZone(ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        return new SessionCsvImport(session, type, columns, ignored, locale, zone, charset, separator, dryRun,
                progress, rejectedWriter, rejectedFile, options, keepErrors);
    }

    @Override
    public CsvImport charset(Charset charset) {
        Objects.requireNonNull(charset, "charset");
        return new SessionCsvImport(session, type, columns, ignored, locale, zone, charset, separator, dryRun,
                progress, rejectedWriter, rejectedFile, options, keepErrors);
    }

    @Override
    public CsvImport separator(char separator) {
        if (separator == '"' || separator == '\r' || separator == '\n') {
            throw new ValidationException(type, new FieldError("separator", FieldErrorCode.INVALID_CHARACTER,
                    "the separator cannot be a quote or a line break"));
        }
        return new SessionCsvImport(session, type, columns, ignored, locale, zone, charset, separator, dryRun,
                progress, rejectedWriter, rejectedFile, options, keepErrors);
    }

    @Override
    public CsvImport dryRun(boolean checkOnly) {
        return new SessionCsvImport(session, type, columns, ignored, locale, zone, charset, separator, checkOnly,
                progress, rejectedWriter, rejectedFile, options, keepErrors);
    }

    @Override
    public CsvImport onProgress(Consumer<CsvImportProgress> listener) {
        Objects.requireNonNull(listener, "listener");
        return new SessionCsvImport(session, type, columns, ignored, locale, zone, charset, separator, dryRun,
                listener, rejectedWriter, rejectedFile, options, keepErrors);
    }

    @Override
    public CsvImport rejectedRows(Writer out) {
        Objects.requireNonNull(out, "out");
        return new SessionCsvImport(session, type, columns, ignored, locale, zone, charset, separator, dryRun,
                progress, out, null, options, keepErrors);
    }

    @Override
    public CsvImport rejectedRows(Path file) {
        Objects.requireNonNull(file, "file");
        return new SessionCsvImport(session, type, columns, ignored, locale, zone, charset, separator, dryRun,
                progress, null, file, options, keepErrors);
    }

    @Override
    public CsvImport options(ImportOptions options) {
        Objects.requireNonNull(options, "options");
        return new SessionCsvImport(session, type, columns, ignored, locale, zone, charset, separator, dryRun,
                progress, rejectedWriter, rejectedFile, options, keepErrors);
    }

    @Override
    public CsvImport keepErrors(int max) {
        if (max < 0 || max > MAX_KEEP_ERRORS) {
            throw new ValidationException(type, new FieldError("keepErrors", FieldErrorCode.OUT_OF_RANGE,
                    "keepErrors must be 0 to " + MAX_KEEP_ERRORS + ", not " + max));
        }
        return new SessionCsvImport(session, type, columns, ignored, locale, zone, charset, separator, dryRun,
                progress, rejectedWriter, rejectedFile, options, max);
    }

    @Override
    public CsvImportResult run(String importId, Path file) {
        Objects.requireNonNull(importId, "importId");
        Objects.requireNonNull(file, "file");
        CsvImportRun run = prepare(importId);
        try (InputStream raw = Files.newInputStream(file)) {
            CountingInputStream in = new CountingInputStream(raw);
            long size = Files.size(file);
            return withRejected(target -> run.run(importId, in, charset, importer(importId), target, in::count,
                    size));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + " for CSV import " + importId, e);
        }
    }

    @Override
    public CsvImportResult run(String importId, InputStream in) {
        Objects.requireNonNull(importId, "importId");
        Objects.requireNonNull(in, "in");
        CsvImportRun run = prepare(importId);
        CountingInputStream counted = new CountingInputStream(in);
        return withRejected(target -> run.run(importId, counted, charset, importer(importId), target,
                counted::count, -1));
    }

    @Override
    public CsvImportResult run(String importId, Reader in) {
        Objects.requireNonNull(importId, "importId");
        Objects.requireNonNull(in, "in");
        CsvImportRun run = prepare(importId);
        return withRejected(target -> run.run(importId, in, importer(importId), target));
    }

    /** Checks the import id, the options and the CREATE permission; the run, with the principal's field rights. */
    private CsvImportRun prepare(String importId) {
        List<FieldError> problems = new ArrayList<>();
        RecordImport.checkImportId(importId, problems);
        RecordImport.checkOptions(options, problems);
        if (!problems.isEmpty()) {
            throw new ValidationException(type, problems);
        }
        session.engine.checkOpen();
        CompiledSchema cs = session.engine.schema.compiled();
        ObjectType t = cs.snapshot.findObjectType(type).orElseThrow(() -> SchemaService.unknownType(type));
        Access access = new Access(session.principal(), type, cs, session.engine.accessModels);
        access.require(Permission.CREATE);
        if (session.inOpenTransaction()) {
            throw new IllegalStateException("a CSV import commits batch by batch; it cannot run inside inTransaction");
        }
        return new CsvImportRun(new CsvImportRun.Settings(locale, zone, separator, dryRun, options, progress,
                keepErrors, columns, ignored), t, rights(access));
    }

    private static WritableFields rights(Access access) {
        return new WritableFields() {
            @Override
            public boolean canSee(String field) {
                return access.canSee(field);
            }

            @Override
            public boolean canWrite(Field f) {
                return f.type() != FieldType.FORMULA && !f.isRollup() && !f.deprecated()
                        && access.field(f.name()) == FieldAccess.EDITABLE;
            }

            @Override
            public boolean canTransfer() {
                return access.can(Permission.TRANSFER);
            }
        };
    }

    private CsvImportRun.RowImporter importer(String importId) {
        return (rows, opts) -> {
            RecordImport.Counts c = session.records(type).importCounting(importId, rows, opts);
            return new CsvImportRun.Totals(c.rows(), c.created(), c.skipped(), c.failed(), c.stopped());
        };
    }

    /** A run given its rejected-rows target; a file target is opened only when the run asks and closed after. */
    private CsvImportResult withRejected(
            java.util.function.Function<CsvImportRun.RejectedTarget, CsvImportResult> run) {
        Path file = rejectedFile;
        if (file == null) {
            return run.apply(() -> rejectedWriter);
        }
        Writer[] opened = new Writer[1];
        try {
            return run.apply(() -> {
                try {
                    opened[0] = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
                    return opened[0];
                } catch (IOException e) {
                    throw new UncheckedIOException("opening " + file + " for the rejected rows", e);
                }
            });
        } finally {
            if (opened[0] != null) {
                try {
                    opened[0].close();
                } catch (IOException e) {
                    throw new UncheckedIOException("closing " + file, e);
                }
            }
        }
    }
}
