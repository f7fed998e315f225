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
import org.crmkit.error.ValidationException;
import org.crmkit.schema.Field;
import org.jspecify.annotations.Nullable;

/**
 * Maps what the database reports to CRMKit's typed exceptions, so no raw {@link SQLException} or jOOQ exception
 * reaches a caller: a unique violation becomes {@link ValidationException} ({@code NOT_UNIQUE}) on the field
 * whose index it names, a serialization failure, deadlock or lock timeout a {@link ConflictException}, anything
 * else a {@link StorageException} carrying the cause.
 */
final class SqlErrors {
    private final Dialect dialect;
    private final Naming naming;

    SqlErrors(Dialect dialect, Naming naming) {
        this.dialect = dialect;
        this.naming = naming;
    }

    /** What was being written when the database failed, for the message and the exception's context. */
    record Target(String objectType, UUID recordId, long expectedVersion) {}

    RuntimeException map(RuntimeException e, @Nullable RecordTable table, @Nullable Target target, String doing) {
        if (e instanceof CrmException) {
            return e;
        }
        SQLException sql = sqlCause(e);
        if (sql == null) {
            return new StorageException(doing + " failed: " + e.getMessage(), e);
        }
        if (dialect.isUniqueViolation(sql) && table != null) {
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
        if ((dialect.isConcurrencyFailure(sql) || dialect.isUniqueViolation(sql)) && target != null) {
            ConflictException conflict = new ConflictException(target.objectType(), target.recordId(),
                    target.expectedVersion(), -1);
            conflict.initCause(sql);
            return conflict;
        }
        if (dialect.isForeignKeyViolation(sql) && table != null) {
            return new ValidationException(table.type().name(), List.of(new FieldError("id",
                    FieldErrorCode.INVALID_REFERENCE, "a referenced record does not exist, or the record is still "
                    + "referenced (" + firstLine(sql.getMessage()) + ")")));
        }
        return new StorageException(doing + " failed on " + dialect.shortName() + ": SQL state " + sql.getSQLState()
                + ", " + firstLine(sql.getMessage()), e);
    }

    static @Nullable SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }

    private static String firstLine(@Nullable String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
