package org.crmkit.benchmarks;

import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;

/**
 * One side of the {@code load} suite: the workload's three operations as the user of a worker thread does them, and
 * the rows each thread owns. Thread {@code t} works as the sales rep {@code rep-<t>} on the contacts that rep owns,
 * so that no two threads write the same row and each knows its rows' versions (no conflicts, as in an application
 * where each rep works their own accounts).
 */
abstract class LoadSide {
    /** {@code crmkit} or {@code baseline}. */
    final String name;
    private final OwnRows[] rows;

    LoadSide(String name, int threads) {
        this.name = name;
        this.rows = new OwnRows[threads];
        for (int t = 0; t < threads; t++) {
            rows[t] = new OwnRows();
        }
    }

    /** The user id of thread {@code thread}'s sales rep. */
    static String owner(int thread) {
        return "rep-" + thread;
    }

    /** The rows thread {@code thread} owns. */
    OwnRows rows(int thread) {
        return rows[thread];
    }

    /** Hands out the seeded rows: row {@code i} (owned by {@code owner(i % threads)}) to thread {@code i % threads}. */
    void seed(UUID[] ids) {
        for (int i = 0; i < ids.length; i++) {
            rows[i % rows.length].add(ids[i], 1L);
        }
    }

    /** Reads the row as the thread's rep; returns its version. */
    abstract long read(int thread, UUID id) throws Exception;

    /** Sets the row's {@code title} at {@code version} as the thread's rep; returns the new version. */
    abstract long update(int thread, UUID id, long version, String title) throws Exception;

    /** Creates a contact owned by the thread's rep; returns its id. */
    abstract UUID create(int thread, Map<String, Object> values) throws Exception;

    /** CRMKit through its public API: each thread a session of its rep ({@code Role.SALES_REP}, scope own). */
    static LoadSide crmkit(Crm crm, int threads) {
        RecordSet[] sets = new RecordSet[threads];
        for (int t = 0; t < threads; t++) {
            sets[t] = crm.as(Principal.user(owner(t), Role.SALES_REP)).records("contact");
        }
        return new LoadSide("crmkit", threads) {
            @Override
            long read(int thread, UUID id) {
                return sets[thread].get(id).version();
            }

            @Override
            long update(int thread, UUID id, long version, String title) {
                return sets[thread].update(id, version, Map.of("title", title)).version();
            }

            @Override
            UUID create(int thread, Map<String, Object> values) {
                return sets[thread].create(values).id();
            }
        };
    }

    /** Plain jOOQ on the baseline table, with the rep's scope and the version check written into the SQL. */
    static LoadSide raw(BaselineContacts base, int threads) {
        return new LoadSide("baseline", threads) {
            @Override
            long read(int thread, UUID id) throws Exception {
                org.jooq.Record r = base.get(id, owner(thread));
                if (r == null) {
                    throw new IllegalStateException("baseline: no row " + id + " owned by " + owner(thread));
                }
                return java.util.Objects.requireNonNull(r.get("version", Long.class));
            }

            @Override
            long update(int thread, UUID id, long version, String title) throws Exception {
                return base.update(id, version, owner(thread), "title", title);
            }

            @Override
            UUID create(int thread, Map<String, Object> values) throws Exception {
                return base.insert(values, owner(thread));
            }
        };
    }

    /**
     * One thread's rows and the versions it last wrote, growing with its creates. Only that thread touches them
     * while the workload runs; the driver's joins publish them to the next run.
     */
    static final class OwnRows {
        private UUID[] ids = new UUID[64];
        private long[] versions = new long[64];
        private int size;
        private long sequence;

        void add(UUID id, long version) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
                versions = Arrays.copyOf(versions, size * 2);
            }
            ids[size] = id;
            versions[size++] = version;
        }

        int size() {
            return size;
        }

        UUID id(int i) {
            return ids[i];
        }

        long version(int i) {
            return versions[i];
        }

        void version(int i, long version) {
            versions[i] = version;
        }

        /** A number this thread has not used before on this side (for new titles and emails). */
        long next() {
            return sequence++;
        }
    }
}
