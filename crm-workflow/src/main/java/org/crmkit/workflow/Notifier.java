package org.crmkit.workflow;

/**
 * Where {@link Action.Notify} goes: the host's email, chat or push channel. Called from a worker thread, at least once
 * per notification (again after a failure or a crash): use {@link Notification#idempotencyKey()} to send once. A
 * throw counts as a failed attempt and is retried with the job's backoff.
 */
@FunctionalInterface
public interface Notifier {
    void send(Notification notification);
}
