package org.crmkit.workflow.internal;

import org.jspecify.annotations.Nullable;

/**
 * The {@link RunContext} of the thread running a rule's step: set by the step runner around the step's transaction,
 * read by the planner (the commit hook, on the same thread) to continue the chain of rule-triggered changes.
 */
final class RunContexts {
    private final ThreadLocal<RunContext> current = new ThreadLocal<>();

    /** The context of the step this thread runs; null outside a rule's step. */
    @Nullable
    RunContext current() {
        return current.get();
    }

    void enter(RunContext c) {
        current.set(c);
    }

    void leave() {
        current.remove();
    }
}
