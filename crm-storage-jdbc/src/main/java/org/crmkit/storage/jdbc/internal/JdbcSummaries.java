package org.crmkit.storage.jdbc.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.crmkit.storage.spi.StorageTransaction;
import org.crmkit.storage.spi.SummaryStore;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;

/**
 * Report summaries on SQL, in {@code crmkit_summary} (migration V8): one row per summary row, keyed by summary and
 * row key, and a header row under the key {@value #HEADER}. {@link #lock} is {@code SELECT ... FOR UPDATE} on the
 * header row, after the transaction's buffered record writes are sent: the summary lock is the last lock a writer
 * takes, so it never waits for one while holding it.
 */
public final class JdbcSummaries implements SummaryStore {
    /** The key of a summary's header row (row keys are hex digests, so they never collide with it). */
    static final String HEADER = "#";
    /** Most rows {@link #write} updates one by one; more are deleted and inserted in two statements. */
    private static final int IN_PLACE = 8;

    private final JdbcStore store;
    private final Table<Record> table;
    private final Field<String> summary = DSL.field(DSL.name("summary"), SQLDataType.VARCHAR(100));
    private final Field<String> key = DSL.field(DSL.name("row_key"), SQLDataType.VARCHAR(MAX_KEY));
    private final Field<String> body = DSL.field(DSL.name("body"), SQLDataType.CLOB);

    public JdbcSummaries(JdbcStore store) {
        this.store = store;
        this.table = DSL.table(store.naming().system("summary"));
    }

    private DSLContext in(StorageTransaction transaction) {
        return JdbcJobQueue.joined(store, transaction);
    }

    @Override
    public void reset(StorageTransaction transaction, String name, String header) {
        DSLContext d = in(transaction);
        store.errors().mapping("resetting summary " + name, () -> {
            // the header row stays (updated, never deleted and inserted again): a writer waiting for its lock must
            // find it when the lock is released
            d.deleteFrom(table).where(summary.eq(name)).and(key.ne(HEADER)).execute();
            int updated = d.update(table).set(body, header).where(summary.eq(name)).and(key.eq(HEADER)).execute();
            return updated > 0 ? updated : d.insertInto(table, summary, key, body).values(name, HEADER, header)
                    .execute();
        });
    }

    @Override
    public Optional<String> lock(StorageTransaction transaction, String name) {
        if (transaction.unwrap() instanceof JdbcTransaction j) {
            j.flushWrites();
        }
        DSLContext d = in(transaction);
        return store.errors().mapping("locking summary " + name,
                () -> d.select(body).from(table).where(summary.eq(name))
                        .and(key.eq(HEADER)).forUpdate().fetchOptional(body));
    }

    @Override
    public Map<String, String> rows(StorageTransaction transaction, String name, Collection<String> keys) {
        Map<String, String> out = new HashMap<>();
        if (keys.isEmpty()) {
            return out;
        }
        DSLContext d = in(transaction);
        List<String> wanted = new ArrayList<>(keys);
        for (int from = 0; from < wanted.size(); from += 500) {
            List<String> part = wanted.subList(from, Math.min(wanted.size(), from + 500));
            store.errors()
                    .mapping("reading summary " + name, () -> d.select(key, body).from(table).where(summary.eq(name))
                            .and(key.in(part)).fetch())
                    .forEach(r -> out.put(r.get(key), r.get(body)));
        }
        return out;
    }

    @Override
    public void write(StorageTransaction transaction, String name, Map<String, @Nullable String> rows) {
        if (rows.isEmpty()) {
            return;
        }
        DSLContext d = in(transaction);
        if (rows.size() <= IN_PLACE) {
            store.errors().mapping("writing summary " + name, () -> {
                // a few rows (a transaction's writes moving a summary or a roll-up total) are mostly there already:
                // one UPDATE each, an INSERT only when there was none
                rows.forEach((k, text) -> {
                    if (text == null) {
                        d.deleteFrom(table).where(summary.eq(name)).and(key.eq(k)).execute();
                    } else if (d.update(table).set(body, text).where(summary.eq(name)).and(key.eq(k)).execute() == 0) {
                        d.insertInto(table, summary, key, body).values(name, k, text).execute();
                    }
                });
                return rows.size();
            });
            return;
        }
        List<String> keys = new ArrayList<>(rows.keySet());
        store.errors().mapping("writing summary " + name, () -> {
            for (int from = 0; from < keys.size(); from += 500) {
                d.deleteFrom(table).where(summary.eq(name)).and(key.in(keys.subList(from,
                        Math.min(keys.size(), from + 500)))).execute();
            }
            var insert = d.insertInto(table, summary, key, body);
            boolean any = false;
            for (Map.Entry<String, @Nullable String> row : rows.entrySet()) {
                if (row.getValue() != null) {
                    insert = insert.values(name, row.getKey(), row.getValue());
                    any = true;
                }
            }
            return any ? insert.execute() : 0;
        });
    }

    @Override
    public void writeHeader(StorageTransaction transaction, String name, String header) {
        DSLContext d = in(transaction);
        store.errors().mapping("writing summary " + name,
                () -> d.update(table).set(body, header).where(summary.eq(name))
                        .and(key.eq(HEADER)).execute());
    }

    @Override
    public void drop(StorageTransaction transaction, String name) {
        DSLContext d = in(transaction);
        store.errors().mapping("dropping summary " + name, () -> d.deleteFrom(table).where(summary.eq(name)).execute());
    }

    @Override
    public Optional<Stored> read(String name) {
        return store.read("reading summary " + name, d -> {
            String header = null;
            Map<String, String> rows = new HashMap<>();
            for (Record r : d.select(key, body).from(table).where(summary.eq(name)).fetch()) {
                if (HEADER.equals(r.get(key))) {
                    header = r.get(body);
                } else {
                    rows.put(r.get(key), r.get(body));
                }
            }
            return header == null ? Optional.<Stored>empty() : Optional.of(new Stored(header, rows));
        });
    }
}
