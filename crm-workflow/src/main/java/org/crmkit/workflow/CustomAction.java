package org.crmkit.workflow;

/**
 * A Java action registered by name ({@link Workflow.Builder#action}) and used in rules as {@link Action.Custom}. It
 * runs in the job's transaction: CRM writes through {@link ActionContext#session()} commit with the job's completion
 * (exactly once); effects outside the CRM happen at least once and should be keyed by
 * {@link ActionContext#idempotencyKey()}. A throw fails the attempt (retried with backoff).
 */
@FunctionalInterface
public interface CustomAction {
    void run(ActionContext context);
}
