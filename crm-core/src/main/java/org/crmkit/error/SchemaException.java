package org.crmkit.error;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A schema change or lookup was refused; {@link #problem()} says why, the message names type and field. */
public class SchemaException extends CrmException {
    private static final long serialVersionUID = 1L;

    /** Why a schema operation was refused. */
    public enum Problem {
        /** Not an identifier {@code [a-z][a-z0-9_]{0,39}}. */
        INVALID_NAME,
        /** An SQL reserved word or a name CRMKit keeps for itself. */
        RESERVED_NAME,
        /** The name is taken. */
        DUPLICATE,
        /** No such object type. */
        UNKNOWN_OBJECT_TYPE,
        /** No such field. */
        UNKNOWN_FIELD,
        /** System types and fields cannot be deleted or changed that way. */
        SYSTEM,
        /** Records hold data the change would lose or break. */
        HAS_DATA,
        /** Something else (a rule, a formula, a reference) depends on it. */
        IN_USE,
        /** The definition itself is wrong (a bad option list, a bad default, a bad range). */
        INVALID_DEFINITION,
        /** A CEL rule or formula does not compile or type-check. */
        INVALID_EXPRESSION,
        /**
         * Another schema change won the race, or a schema change committed while a transaction that reads or writes
         * records of the type ran (a field or type it used is gone): retry; the next attempt works with the new
         * schema.
         */
        CONCURRENT_CHANGE
    }

    private final Problem problem;
    private final String objectType;
    private final @Nullable String field;

    public SchemaException(Problem problem, String objectType, @Nullable String field, String message) {
        super(ErrorCode.SCHEMA, "schema " + objectType + (field == null ? "" : "." + field) + ": " + message);
        this.problem = problem;
        this.objectType = objectType;
        this.field = field;
    }

    public Problem problem() {
        return problem;
    }

    public String objectType() {
        return objectType;
    }

    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
