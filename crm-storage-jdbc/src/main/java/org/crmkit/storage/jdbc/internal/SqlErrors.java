package org.crmkit.storage.jdbc.internal;

import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.crmkit.error.ConflictException;
import org.crmkit.error.CrmException;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.StorageException;
import org.crmkit.error.StorageUnavailableException;
import org.crmkit.error.ValidationException;
import org.crmkit.schema.Field;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps what the database reports to CRMKit's typed exceptions, so no raw {@link SQLException} or jOOQ exception
 * reaches a caller: a unique violation becomes {@link ValidationException} ({@code NOT_UNIQUE}) on the field
 * whose index it names, a serialization failure, deadlock or lock timeout a {@link ConflictException}, a column
 * or table gone because of a schema change committed meanwhile {@link org.crmkit.error.SchemaException}
 * {@code CONCURRENT_CHANGE}, a lost or refused connection (see {@link DatabaseStrategy#isConnectionFailure}) a
 * {@link StorageUnavailableException} (with {@code outcomeUnknown} when it broke during the COMMIT, see
 * {@link #commitFailed}), anything else a {@link StorageException}.
 *
 * <p>No text the database or jOOQ wrote reaches a caller: their messages hold SQL, column lists and values (jOOQ's
 * {@code DataAccessException} starts with the whole statement, H2 appends it, PostgreSQL's details quote rows).
 * Messages name the operation, the database and the SQL state only; the original goes to the debug log, and the
 * cause attached is a {@link Redacted} copy of the chain that keeps classes, SQL states and stack traces only.
 */
final class SqlErrors {
    private static final Logger LOG = LoggerFactory.getLogger(SqlErrors.class);

    private final DatabaseStrategy database;
    private final Naming naming;
    /** Whether the schema of a table's type changed since it was mapped (see {@link SchemaVersionGuard}). */
    private final java.util.function.Predicate<RecordTable> schemaChanged;

    SqlErrors(DatabaseStrategy database, Naming naming, java.util.function.Predicate<RecordTable> schemaChanged) {
        this.database = database;
        this.naming = naming;
        this.schemaChanged = schemaChanged;
    }

    /** What was being written when the database failed, for the message and the exception's context. */
    record Target(String objectType, UUID recordId, long expectedVersion) {}

    /** Runs {@code work}, mapping what it throws as {@link #map} does (no table, no target). */
    <T> T mapping(String doing, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            throw map(e, null, null, doing);
        }
    }

    RuntimeException map(Exception e, @Nullable RecordTable table, @Nullable Target target, String doing) {
        if (e instanceof CrmException c) {
            return c;
        }
        SQLException sql = sqlCause(e);
        if (sql == null || isConnectionFailure(e)) {
            return storage(doing, e);
        }
        if (table != null && (database.isMissingObject(sql) || database.isConcurrencyFailure(sql) && target == null)
                && schemaChanged.test(table)) {
            LOG.debug("{} failed during a schema change", doing, e);
            org.crmkit.error.SchemaException changed = SchemaVersionGuard.changed(table.type().name());
            changed.initCause(Redacted.of(e));
            return changed;
        }
        if (database.isUniqueViolation(sql) && table != null) {
            String message = String.valueOf(sql.getMessage()).toLowerCase(Locale.ROOT);
            for (Field f : table.type().fields()) {
                if (f.unique() && message.contains(naming.constraint("ux", table.type(), f.name()).last()
                        .toLowerCase(Locale.ROOT))) {
                    return new ValidationException(table.type().name(), List.of(new FieldError(f.name(),
                            FieldErrorCode.NOT_UNIQUE, "another " + table.type().name() + " already has this "
                                    + f.name())));
                }
            }
            if (target != null) {
                return new ConflictException(target.objectType(), target.recordId(), target.expectedVersion(), -1);
            }
        }
        if ((database.isConcurrencyFailure(sql) || database.isUniqueViolation(sql)) && target != null) {
            LOG.debug("{} failed", doing, e);
            ConflictException conflict = new ConflictException(target.objectType(), target.recordId(),
                    target.expectedVersion(), -1);
            conflict.initCause(Redacted.of(e));
            return conflict;
        }
        if (database.isRowTooLarge(sql) && table != null) {
            LOG.debug("{} failed", doing, e);
            return new ValidationException(table.type().name(), List.of(new FieldError("id",
                    FieldErrorCode.OUT_OF_RANGE, "the record's values do not fit in one MariaDB row: InnoDB keeps "
                            + "values of up to 40 bytes inside the row, and a row holds about 8,000 bytes")));
        }
        if (database.isForeignKeyViolation(sql) && table != null) {
            LOG.debug("{} failed", doing, e);
            return new ValidationException(table.type().name(), List.of(new FieldError("id",
                    FieldErrorCode.INVALID_REFERENCE, "a referenced record does not exist, or the record is still "
                            + "referenced")));
        }
        return storage(doing, e);
    }

    /**
     * A {@link StorageException} for a failure of {@code doing} that names the operation, the database and the SQL
     * state (and vendor error number) only, with a {@link Redacted} cause; the original is logged at debug level.
     */
    StorageException storage(String doing, Throwable e) {
        LOG.debug("{} failed", doing, e);
        String message = doing + " failed on " + database.dialect().shortName() + ": " + why(e);
        return isConnectionFailure(e) ? new StorageUnavailableException(message + UNAVAILABLE, Redacted.of(e), false)
                : new StorageException(message, Redacted.of(e));
    }

    /**
     * Maps a failure of the COMMIT itself: a lost connection there leaves the outcome unknown (the database may have
     * committed before the connection broke), which the {@link StorageUnavailableException} says; anything else is
     * mapped as {@link #map} does.
     */
    RuntimeException commitFailed(SQLException e, @Nullable Target target) {
        if (!isConnectionFailure(e)) {
            return map(e, null, target, "committing");
        }
        LOG.debug("committing failed", e);
        return new StorageUnavailableException("committing failed on " + database.dialect().shortName() + ": "
                + why(e) + "; the connection was lost during the commit, so the write may or may not have landed: "
                + "read it back before retrying", Redacted.of(e), true);
    }

    private static final String UNAVAILABLE = "; the database could not be reached: retry later";

    /** Whether any SQL exception in {@code e}'s cause chain says the database could not be reached. */
    boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && database.isConnectionFailure(s)) {
                return true;
            }
        }
        return false;
    }

    private static String why(Throwable e) {
        SQLException sql = sqlCause(e);
        return sql == null ? e.getClass().getSimpleName()
                : "SQL state " + sql.getSQLState() + ", error " + sql.getErrorCode();
    }

    /**
     * A cause chain with every message removed: each link names the class of the original (and its SQL state) and
     * keeps its stack trace, so a stack trace still shows where a failure happened without SQL text or values.
     */
    static final class Redacted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private Redacted(String description, @Nullable Redacted cause, StackTraceElement[] stack) {
            super(description, cause, false, true);
            setStackTrace(stack);
        }

        static Redacted of(Throwable original) {
            List<Throwable> chain = new java.util.ArrayList<>();
            for (Throwable t = original; t != null && chain.size() < 16 && !chain.contains(t); t = t.getCause()) {
                chain.add(t);
            }
            Redacted out = null;
            for (int i = chain.size() - 1; i >= 0; i--) {
                Throwable t = chain.get(i);
                String description = t.getClass().getName() + (t instanceof SQLException s ? " (SQL state "
                        + s.getSQLState() + ", error " + s.getErrorCode() + ")" : "") + " [message removed]";
                out = new Redacted(description, out, t.getStackTrace());
            }
            return java.util.Objects.requireNonNull(out);
        }
    }

    static @Nullable SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }
}
