package org.crmkit.workflow.internal;

/** A job attempt that failed; {@link #permanent} ones make the job a dead letter at once, the others are retried. */
final class JobFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final boolean permanent;

    JobFailure(String message, boolean permanent) {
        super(message, null, false, false);
        this.permanent = permanent;
    }

    JobFailure(String message, boolean permanent, Throwable cause) {
        super(message, cause, false, false);
        this.permanent = permanent;
    }
}
