package org.crmkit.storage.jdbc.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crmkit.storage.spi.ChangeLogSeals;
import org.crmkit.storage.spi.ChangeSeal;
import org.crmkit.storage.spi.StorageTransaction;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.Record;

/**
 * The change log's seals on SQL: the {@code crmkit_change_seal} table (migration V9), written by
 * {@link ChangeLogWriter} at commit under the change-log lock row, read in sequence order, marked in the engine's
 * transaction.
 */
public final class JdbcSeals implements ChangeLogSeals {
    private final JdbcStore store;
    private final SystemTables sys;

    public JdbcSeals(JdbcStore store) {
        this.store = store;
        this.sys = store.sys();
    }

    @Override
    public List<ChangeSeal> read(long afterSequence, int limit) {
        return store.read("reading the change log's seals", dsl -> read(dsl, afterSequence, limit));
    }

    /** The seals after a sequence, read with {@code dsl} (a backup's snapshot reads them on its own connection). */
    List<ChangeSeal> read(DSLContext dsl, long afterSequence, int limit) {
        return dsl.select(sys.seq, sys.sealDigest, sys.sealLink, sys.sealMark).from(sys.seals)
                .where(sys.seq.gt(afterSequence)).orderBy(sys.seq).limit(limit).fetch(this::seal);
    }

    private ChangeSeal seal(Record r) {
        return new ChangeSeal(r.get(sys.seq), r.get(sys.sealDigest), r.get(sys.sealLink), r.get(sys.sealMark));
    }

    @Override
    public void mark(StorageTransaction transaction, Map<Long, String> marks) {
        if (marks.isEmpty()) {
            return;
        }
        DSLContext d = JdbcJobQueue.joined(store, transaction);
        store.errors().mapping("marking the change log's seals", () -> {
            List<Query> updates = new ArrayList<>();
            marks.forEach((seq, mark) -> updates.add(d.update(sys.seals).set(sys.sealMark, mark)
                    .where(sys.seq.eq(seq))));
            return d.batch(updates).execute();
        });
    }
}
