package org.crmkit.storage.jdbc.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.crmkit.event.ChangeLogEntry;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Name;
import org.jooq.Record1;
import org.jooq.ResultQuery;
import org.jooq.Sequence;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;

/**
 * PostgreSQL's sequencer: writers commit side by side. A committing transaction takes its sequence from the
 * database sequence {@code crmkit_change_log_seq} (migration V10) while it holds a transaction-level advisory lock
 * in shared mode, which it keeps until it commits or rolls back. So sequences no longer follow commit order: entry
 * 12 may be visible while entry 11 is still being committed, or was rolled back and never will be.
 *
 * <p>A reader therefore takes a page only as far as it is final ({@link #finalPart}): entries that follow the
 * reader's position without a gap are final (a sequence is handed out once, so nothing is missing between them),
 * and so is everything up to the last known horizon. At a gap beyond the horizon the reader takes the same advisory
 * lock exclusively, in a transaction of its own ({@link #awaitCommitting}): PostgreSQL grants it once every
 * transaction that took a sequence before has ended, and holds back new ones meanwhile, so the sequence's current
 * value is then a horizon with nothing in flight below it; the reader reads the page again, since entries below
 * the gap may have been committed while it waited. A rolled-back sequence is a gap for ever; the horizon passes it.
 *
 * <p>Several entries of one transaction, and sealed entries, take the lock exclusively instead: their sequences
 * are consecutive, and sealed ones follow the newest committed entry, so a rolled-back transaction leaves no gap
 * in the sealed chain.
 */
final class ConcurrentSequencer implements ChangeLogSequencer {
    /** The first key of CRMKit's advisory locks: "CRMK" in ASCII. */
    private static final int LOCK_CLASS = 0x43524d4b;
    /** {@link #lastFinal} looks for gaps by counting at most this many entries above the horizon. */
    private static final int GAP_CHECK_SPAN = 10_000;

    private final SystemTables sys;
    private final Sequence<Long> sequence;
    private final Table<?> sequenceRow;
    /** The sequence's name as {@code setval} takes it: a quoted identifier in a string. */
    private final Field<String> sequenceLiteral;
    private final Field<Integer> lockClass = DSL.inline(LOCK_CLASS);
    private final Field<Integer> lockKey;
    /** Every sequence up to here is final: committed or rolled back. Only grows. */
    private final AtomicLong horizon = new AtomicLong();

    ConcurrentSequencer(SystemTables sys, Naming naming) {
        this.sys = sys;
        Name name = naming.system("change_log_seq");
        this.sequence = DSL.sequence(name, SQLDataType.BIGINT);
        this.sequenceRow = DSL.table(name);
        this.sequenceLiteral = DSL.inline('"' + name.last().replace("\"", "\"\"") + '"');
        // one lock per storage (table prefix), the same in every JVM
        this.lockKey = DSL.inline(naming.system("change_log").last().hashCode());
    }

    @Override
    public long take(DSLContext tx, int n, boolean chained) {
        if (chained) {
            // under the exclusive lock nothing else is committing: follow the newest committed entry or seal. The
            // lock first, on its own: a statement's snapshot is taken before it waits, so it would miss the commit
            // of the writer it waited for
            lockExclusively(tx);
            return tx.select(setval(DSL.greatest(newest(sys.changeLog), newest(sys.seals)).plus(n)))
                    .fetchOne(0, Long.class);
        }
        if (n == 1) {
            return Objects.requireNonNull(takeAfter(tx, 1, DSL.selectOne().asTable("w"))).fetchOne(0, Long.class);
        }
        // consecutive: nobody else takes one meanwhile; nextval is not transactional, so the snapshot does not matter
        return tx.select(setval(sequence.nextval().plus(n - 1)))
                .from(DSL.select(lockFunction(true).as("locked")).asTable("l")).fetchOne(0, Long.class);
    }

    /**
     * One sequence under the shared lock, taken for {@code wrote}'s row. PostgreSQL does not flatten a subquery with
     * a volatile function, so the lock is taken before the outer query's {@code nextval} is computed.
     */
    @Override
    public @Nullable ResultQuery<? extends Record1<Long>> takeAfter(DSLContext tx, int n, Table<?> wrote) {
        if (n != 1) {
            return null; // consecutive sequences take the lock exclusively: the general path
        }
        return tx.select(sequence.nextval()).from(DSL.select(lockFunction(false).as("locked")).from(wrote)
                .asTable("l"));
    }

    @Override
    public List<ChangeLogEntry> finalPart(List<ChangeLogEntry> page, long afterSequence) {
        long expected = afterSequence + 1;
        long known = horizon.get();
        List<ChangeLogEntry> out = new ArrayList<>(page.size());
        for (ChangeLogEntry e : page) {
            if (e.sequence() != expected && e.sequence() > known) {
                break; // a gap: an entry may still be committing below this one
            }
            out.add(e);
            expected = e.sequence() + 1;
        }
        return out;
    }

    @Override
    public void awaitCommitting(JdbcStore store) {
        refreshHorizon(store);
    }

    @Override
    public long lastFinal(JdbcStore store) {
        long known = horizon.get();
        // without a gap above the horizon the newest entry is final, and no writer need be held back to know it
        // (counted only over a short stretch: a node that just started knows no horizon yet)
        org.jooq.Record2<Long, Integer> above = store.read("reading the change log",
                dsl -> dsl.select(DSL.field(DSL.select(DSL.max(sys.seq)).from(sys.changeLog)),
                        DSL.field(DSL.selectCount().from(sys.changeLog).where(sys.seq.gt(known))
                                .and(sys.seq.le(known + GAP_CHECK_SPAN))))
                        .fetchOne());
        Long newest = above == null ? null : above.value1();
        if (newest == null) {
            return 0L;
        }
        if (newest <= known || (newest - known <= GAP_CHECK_SPAN && above.value2() == newest - known)) {
            return newest;
        }
        long through = refreshHorizon(store);
        return store.read("reading the change log", dsl -> {
            Long max = dsl.select(DSL.max(sys.seq)).from(sys.changeLog).where(sys.seq.le(through))
                    .fetchOne(0, Long.class);
            return max == null ? 0L : max;
        });
    }

    @Override
    public void restart(DSLContext dsl, long last) {
        dsl.update(sys.lock).set(sys.counter, last).where(sys.lockName.eq(SystemTables.CHANGE_LOG_LOCK)).execute();
        // a sequence cannot be 0: after an empty log, 1 not yet handed out
        dsl.select(DSL.function(DSL.name("setval"), SQLDataType.BIGINT, sequenceLiteral, DSL.val(Math.max(last, 1)),
                DSL.val(last > 0))).fetch();
        horizon.set(0); // the restored log may end below what was final before
    }

    /**
     * Waits, in a transaction of its own, until no transaction that took a sequence is still committing, and
     * returns the last sequence handed out.
     */
    private long refreshHorizon(JdbcStore store) {
        long through = store.read("reading how far the change log is final",
                dsl -> dsl.transactionResult(c -> {
                    lockExclusively(c.dsl());
                    Field<Long> lastValue = DSL.field(DSL.name("last_value"), SQLDataType.BIGINT);
                    Field<Boolean> called = DSL.field(DSL.name("is_called"), SQLDataType.BOOLEAN);
                    return c.dsl().select(DSL.when(called, lastValue).otherwise(lastValue.minus(1)))
                            .from(sequenceRow).fetchOne(0, Long.class);
                }));
        return horizon.accumulateAndGet(through, Math::max);
    }

    /** Takes the advisory lock exclusively, until the transaction ends, in a statement of its own. */
    private void lockExclusively(DSLContext tx) {
        tx.select(DSL.field(lockFunction(true))).fetch();
    }

    private Field<Object> lockFunction(boolean exclusive) {
        return DSL.function(DSL.name(exclusive ? "pg_advisory_xact_lock" : "pg_advisory_xact_lock_shared"),
                Object.class, lockClass, lockKey);
    }

    /** {@code setval(sequence, value)}: the sequence's last value is {@code value}; returns it. */
    private Field<Long> setval(Field<Long> value) {
        return DSL.function(DSL.name("setval"), SQLDataType.BIGINT, sequenceLiteral, value);
    }

    private Field<Long> newest(Table<?> table) {
        return DSL.field(DSL.select(DSL.coalesce(DSL.max(sys.seq), 0L)).from(table));
    }
}
