package org.crmkit.workflow.internal;

import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;
import org.crmkit.CrmSession;
import org.crmkit.error.ConfigurationException;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;
import org.crmkit.plugin.spi.EngineContext;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.security.Principal;
import org.crmkit.storage.spi.DocumentStore;
import org.crmkit.storage.spi.StorageTransaction;
import org.crmkit.workflow.spi.JobQueue;
import org.jspecify.annotations.Nullable;

/**
 * The {@code Crm} a workflow is started with: its engine context (clock, transactions, schema), job queue and rule
 * documents. Empty until {@link #attach} (once, at the start); the parts of the workflow read the storage and the
 * clock here, so that they can all be built, and wired one way, before the {@code Crm} exists. Using it before the
 * start is a {@link ErrorCode#CONFIGURATION} error that tells how to start the workflow. It holds no other state and
 * calls nothing but the engine context.
 */
final class CrmBinding {
    private record Attached(EngineContext context, JobQueue queue, DocumentStore documents) {}

    private volatile @Nullable Attached attached;

    /** Binds the {@code Crm}; refuses a second one and a storage without a job queue or documents. */
    synchronized void attach(EngineContext ctx) {
        if (attached != null) {
            throw new ConfigurationException(List.of("this Workflow is already started with a Crm; use one per Crm"));
        }
        JobQueue q = ctx.storage().extension(JobQueue.class).orElse(null);
        DocumentStore d = ctx.storage().extension(DocumentStore.class).orElse(null);
        if (q == null || d == null) {
            throw new ConfigurationException(List.of("storage " + ctx.storage().name()
                    + " keeps no job queue or documents; the workflow needs both (memory and JDBC storages have them)"));
        }
        attached = new Attached(ctx, q, d);
    }

    boolean isAttached() {
        return attached != null;
    }

    private Attached attached() {
        Attached a = attached;
        if (a == null) {
            throw new CrmException(ErrorCode.CONFIGURATION, "this Workflow is not started: pass it to "
                    + "Crm.builder().workflow(...) and build the Crm");
        }
        return a;
    }

    EngineContext context() {
        return attached().context();
    }

    JobQueue queue() {
        return attached().queue();
    }

    DocumentStore documents() {
        return attached().documents();
    }

    /** The {@code Crm}'s clock, the one every timestamp of the workflow comes from. */
    Instant now() {
        return context().clock().instant();
    }

    SchemaSnapshot schema() {
        return context().crm().schema().snapshot();
    }

    /** The schema version now, or -1 before the start. */
    long schemaVersion() {
        Attached a = attached;
        return a == null ? -1 : a.context().crm().schema().version();
    }

    /** Runs {@code work} in one service transaction as {@code principal} (see {@link EngineContext#transaction}). */
    <T> T transaction(Principal principal, BiFunction<CrmSession, StorageTransaction, T> work) {
        return context().transaction(principal, work);
    }
}
