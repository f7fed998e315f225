package org.crmkit.internal.service;

import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.record.Record;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.Principal;
import org.jspecify.annotations.Nullable;

/**
 * The session and object type one {@link Records} works for, and what each of its parts asks of them: the engine,
 * the caller's access to the type, the current schema, and the record as the caller may see it.
 */
record RecordContext(Session session, String type) {

    CrmEngine engine() {
        return session.engine;
    }

    Principal principal() {
        return session.principal();
    }

    /**
     * The caller's access to the type, with the access model as committed now: an operation plans its query or
     * checks its record before its transaction starts, so it catches up here too (a change made on another node
     * applies to this very operation). Its transaction ({@link Session#inTx(Access, java.util.function.Function)})
     * then reads neither the model's revisions nor the schema version again.
     */
    Access access() {
        // the system principal is not subject to the model; its transaction catches up when it begins
        AccessModels.CaughtUp caughtUp = session.principal().system() ? null : session.engine.accessModels.catchUp();
        return new Access(session.principal(), type, schema(), session.engine.accessModels, caughtUp);
    }

    CompiledSchema schema() {
        return session.engine.schema.compiled();
    }

    ObjectType objectTypeIn(CompiledSchema cs) {
        return cs.snapshot.findObjectType(type).orElseThrow(() -> SchemaService.unknownType(type));
    }

    /** The record as the caller may see it: hidden fields removed, formulas computed. */
    Record visible(Record r, Access access, CompiledSchema cs) {
        return RecordView.of(r, access, cs, objectTypeIn(cs));
    }

    /** A null argument is bad input like any other: a typed error naming the argument. */
    <T> T present(@Nullable T argument, String name) {
        if (argument == null) {
            throw new ValidationException(type, new FieldError(name, FieldErrorCode.REQUIRED, name
                    + " must not be null"));
        }
        return argument;
    }
}
