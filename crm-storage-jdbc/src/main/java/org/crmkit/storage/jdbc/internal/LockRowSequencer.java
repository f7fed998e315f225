package org.crmkit.storage.jdbc.internal;

import java.util.List;
import org.crmkit.event.ChangeLogEntry;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record1;
import org.jooq.ResultQuery;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * Sequences from the counter of the {@code change_log} lock row, held until commit: they follow commit order and
 * everything a reader sees is final, at the price of writers taking turns from their change-log write to their
 * commit (H2, whose writers take turns anyway, and MariaDB).
 */
final class LockRowSequencer implements ChangeLogSequencer {
    private final SystemTables sys;
    private final boolean oneStatement;

    /** {@code oneStatement}: see {@link DatabaseStrategy#takesSequencesInOneStatement()}. */
    LockRowSequencer(SystemTables sys, boolean oneStatement) {
        this.sys = sys;
        this.oneStatement = oneStatement;
    }

    @Override
    public long take(DSLContext tx, int n, boolean chained) {
        var take = tx.update(sys.lock).set(sys.counter, sys.counter.plus(n)).where(isChangeLogLock());
        if (oneStatement) {
            return take.returningResult(sys.counter).fetchOne(sys.counter);
        }
        // MariaDB cannot return from an UPDATE; H2's SELECT FROM FINAL TABLE (UPDATE ...) returned a counter another
        // writer had taken too, under load
        take.execute();
        return tx.select(sys.counter).from(sys.lock).where(isChangeLogLock()).fetchOne(sys.counter);
    }

    @Override
    public ResultQuery<? extends Record1<Long>> takeAfter(DSLContext tx, int n, Table<?> wrote) {
        return tx.update(sys.lock).set(sys.counter, sys.counter.plus(n)).where(isChangeLogLock())
                .and(DSL.exists(DSL.selectOne().from(wrote))).returningResult(sys.counter);
    }

    @Override
    public List<ChangeLogEntry> finalPart(List<ChangeLogEntry> page, long afterSequence) {
        return page; // what is visible was committed in sequence order
    }

    @Override
    public void awaitCommitting(JdbcStore store) {
        // nothing to wait for: finalPart never stops short
    }

    @Override
    public long lastFinal(JdbcStore store) {
        return store.read("reading the change log", dsl -> {
            Long max = dsl.select(DSL.max(sys.seq)).from(sys.changeLog).fetchOne(0, Long.class);
            return max == null ? 0L : max;
        });
    }

    @Override
    public void restart(DSLContext dsl, long last) {
        dsl.update(sys.lock).set(sys.counter, last).where(isChangeLogLock()).execute();
    }

    private Condition isChangeLogLock() {
        return sys.lockName.eq(SystemTables.CHANGE_LOG_LOCK);
    }
}
