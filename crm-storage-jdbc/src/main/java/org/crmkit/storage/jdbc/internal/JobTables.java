package org.crmkit.storage.jdbc.internal;

import java.time.LocalDateTime;
import java.util.UUID;
import org.jooq.Field;
import org.jooq.Name;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/** jOOQ handles on the workflow tables of the {@code V2__jobs.sql} migrations, under the storage's prefix. */
final class JobTables {
    final Table<Record> job;
    final Field<UUID> id = DSL.field(DSL.name("id"), SQLDataType.UUID);
    final Field<String> kind = DSL.field(DSL.name("kind"), SQLDataType.VARCHAR(64));
    final Field<String> key = DSL.field(DSL.name("job_key"), SQLDataType.VARCHAR(255));
    final Field<String> group = DSL.field(DSL.name("job_group"), SQLDataType.VARCHAR(255));
    final Field<String> payload = DSL.field(DSL.name("payload"), SQLDataType.CLOB);
    final Field<String> state = DSL.field(DSL.name("state"), SQLDataType.VARCHAR(16));
    final Field<Integer> attempts = DSL.field(DSL.name("attempts"), SQLDataType.INTEGER);
    final Field<LocalDateTime> runAt = DSL.field(DSL.name("run_at"), SQLDataType.LOCALDATETIME(6));
    final Field<LocalDateTime> dueAt = DSL.field(DSL.name("due_at"), SQLDataType.LOCALDATETIME(6));
    final Field<String> worker = DSL.field(DSL.name("worker"), SQLDataType.VARCHAR(100));
    final Field<String> lastError = DSL.field(DSL.name("last_error"), SQLDataType.CLOB);
    final Field<LocalDateTime> createdAt = DSL.field(DSL.name("created_at"), SQLDataType.LOCALDATETIME(6));
    final Field<LocalDateTime> finishedAt = DSL.field(DSL.name("finished_at"), SQLDataType.LOCALDATETIME(6));

    /** The index claims walk, {@code crmkit_job_due} on (due_at, id) (InnoDB appends the key on MariaDB). */
    final Name dueIndex;

    final Table<Record> counter;
    final Field<String> counterName = DSL.field(DSL.name("name"), SQLDataType.VARCHAR(255));
    final Field<Long> counterValue = DSL.field(DSL.name("counter"), SQLDataType.BIGINT);

    final Table<Record> document;
    final Table<Record> documentHistory;
    final Field<String> docKind = DSL.field(DSL.name("kind"), SQLDataType.VARCHAR(64));
    final Field<String> docName = DSL.field(DSL.name("name"), SQLDataType.VARCHAR(100));
    final Field<Long> docVersion = DSL.field(DSL.name("version"), SQLDataType.BIGINT);
    final Field<Long> docRevision = DSL.field(DSL.name("revision"), SQLDataType.BIGINT);
    final Field<String> docBody = DSL.field(DSL.name("body"), SQLDataType.CLOB);
    final Field<String> docPrincipal = DSL.field(DSL.name("principal_id"), SQLDataType.VARCHAR(255));
    final Field<LocalDateTime> docSavedAt = DSL.field(DSL.name("saved_at"), SQLDataType.LOCALDATETIME(6));

    /** The unique columns qualified by their table, for upserts (H2's MERGE emulation needs them qualified). */
    final Field<String> keyQualified;
    final Field<String> counterNameQualified;

    JobTables(Naming naming) {
        job = DSL.table(naming.system("job"));
        dueIndex = naming.system("job_due");
        counter = DSL.table(naming.system("counter"));
        keyQualified = DSL.field(naming.system("job").append("job_key"), SQLDataType.VARCHAR(255));
        counterNameQualified = DSL.field(naming.system("counter").append("name"), SQLDataType.VARCHAR(255));
        document = DSL.table(naming.system("document"));
        documentHistory = DSL.table(naming.system("document_history"));
    }
}
