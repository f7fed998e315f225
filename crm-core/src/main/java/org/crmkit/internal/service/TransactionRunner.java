package org.crmkit.internal.service;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Lock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.crmkit.error.CrmException;
import org.crmkit.error.StorageException;
import org.crmkit.event.ChangeListener;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.plugin.spi.CommitHook;
import org.crmkit.storage.spi.CommittedVersions;
import org.crmkit.storage.spi.HostTransaction;
import org.crmkit.storage.spi.StorageTransaction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the engine's transactions: begins one on the storage, runs the work, lets the keepers and the plug-ins' commit
 * hooks write what a commit needs, commits, and then does what follows a commit: the record cache learns the new
 * states, and the change listeners hear of the commit in sequence order ({@link CommitOrder}).
 *
 * <p>A storage transaction that joined the host application's own transaction ({@link StorageTransaction#joinedHost})
 * only becomes part of it at "commit": what follows a commit then waits for the host's transaction to end, and
 * happens only if it committed. Until then, the engine's commits that may come after it in the change log wait for it
 * before their listeners are told, so listeners still hear every commit in sequence order.
 */
final class TransactionRunner {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionRunner.class);

    private final CrmEngine engine;
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final CommitOrder commitOrder = new CommitOrder();
    private final List<CommitHook> commitHooks = new CopyOnWriteArrayList<>();

    TransactionRunner(CrmEngine engine) {
        this.engine = engine;
    }

    AutoCloseable subscribe(ChangeListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    AutoCloseable addCommitHook(CommitHook hook) {
        commitHooks.add(hook);
        return () -> commitHooks.remove(hook);
    }

    /** Forgets the commit hooks (plug-ins closed) and, once the engine is closed, the listeners. */
    void clearHooks() {
        commitHooks.clear();
    }

    void clearListeners() {
        listeners.clear();
    }

    /**
     * Runs {@code work} in a new storage transaction: commits when it returns, rolls back when it throws, then tells
     * listeners about what committed. {@code caughtUp} is the access model an operation has just caught up with
     * ({@link AccessModels#catchUp()}): the transaction then reads neither the model's revisions nor the committed
     * schema version again; with null it catches up itself. Exceptions of {@code work} propagate unchanged; failures
     * of the storage to begin or commit that are not CRMKit errors become {@link StorageException}.
     */
    @SuppressWarnings("try") // the Within resource marks the thread for as long as the transaction runs
    <T> T run(AccessModels.@Nullable CaughtUp caughtUp, Function<Tx, T> work) {
        engine.checkOpen();
        // before the transaction takes its connection: catching up reads on a connection of its own, and a
        // transaction that waited for a second connection while holding one could starve a small pool
        AccessModels.CaughtUp fresh = caughtUp != null ? caughtUp
                : storageCall("read the access model's revision", engine.accessModels::catchUp);
        if (fresh != null) { // null inside another transaction of this thread, which caught up when it began
            engine.summaries.follow(fresh.reportsRevision());
        }
        long knownSchemaVersion = fresh == null ? CommittedVersions.UNKNOWN : fresh.schemaVersion();
        StorageTransaction st = storageCall("begin a transaction", () -> engine.storage.begin(knownSchemaVersion));
        AfterCommit after;
        T result;
        Tx tx = new Tx(st, engine.ids.get(), engine.chain);
        try (st; AccessModels.Within within = engine.accessModels.withinTransaction()) {
            engine.schema.catchUp(storageCall("read the schema version", st::schemaVersion));
            result = work.apply(tx);
            engine.rollupKeeper.beforeCommit(tx);
            Lock gate = engine.summaries.commitGate();
            gate.lock();
            try {
                engine.summaryKeeper.beforeCommit(tx);
                if (tx.hasChanges()) {
                    for (CommitHook hook : commitHooks) {
                        hook.beforeCommit(st, tx.staged());
                    }
                }
                after = commit(st, tx);
            } finally {
                gate.unlock();
            }
        }
        after.run();
        return result;
    }

    /**
     * Commits {@code st}, returning what must follow the commit. Commits are ordered for delivery only when there are
     * changes and listeners to deliver them to (a listener subscribing meanwhile is told of the commits that begin
     * after it).
     */
    private AfterCommit commit(StorageTransaction st, Tx tx) {
        boolean ordered = tx.hasChanges() && !listeners.isEmpty();
        java.util.Optional<HostTransaction> host = st.joinedHost();
        if (host.isEmpty() && !ordered) {
            storageCall("commit", st::commit);
            return () -> followCommit(tx, null);
        }
        if (host.isEmpty()) {
            CommitOrder.Finished finished = commitOrder.commit(st::reportSequencing,
                    () -> storageCall("commit", st::commit));
            return () -> followCommit(tx, finished);
        }
        CommitOrder.Running started = ordered ? commitOrder.start(st::reportSequencing) : null;
        try {
            List<ChangeLogEntry> joined = storageCall("join the host's transaction", st::commit);
            host.get().afterCompletion(outcome -> {
                boolean committed = outcome == HostTransaction.Outcome.COMMITTED;
                CommitOrder.Finished finished = started == null ? null
                        : commitOrder.end(started, committed ? joined : List.of());
                if (committed) {
                    followCommit(tx, finished);
                }
            });
        } catch (RuntimeException | Error e) {
            // the join failed, or the host would not take the work (its transaction ended meanwhile, or another
            // thread asked): the commit must not hold later ones back; the change log still has what committed
            if (started != null) {
                commitOrder.end(started, List.of());
            }
            throw e;
        }
        return () -> {
            // the host's transaction decides; nothing follows yet
        };
    }

    /** What follows a durable commit: the record cache learns the new states, listeners hear of the commit. */
    private void followCommit(Tx tx, CommitOrder.@Nullable Finished finished) {
        engine.recordCache.forget(tx.purged());
        engine.recordCache.remember(tx.seen());
        if (finished != null) {
            commitOrder.deliver(finished, this::notifyListeners);
        }
    }

    /** Work that follows a commit, run once the transaction's resources are released. */
    @FunctionalInterface
    private interface AfterCommit {
        void run();
    }

    /** Runs a storage call, turning failures that are not CRMKit errors into {@link StorageException}. */
    <T> T storageCall(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (CrmException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StorageException("cannot " + what + " on " + engine.storage.name() + ": " + e, e);
        }
    }

    private void notifyListeners(List<ChangeLogEntry> committed) {
        if (committed.isEmpty()) {
            return;
        }
        for (ChangeListener l : listeners) {
            try {
                l.afterCommit(committed);
            } catch (RuntimeException e) {
                LOG.warn("change listener {} failed", l, e);
            }
        }
    }
}
