package org.crmkit.internal.service;

import java.util.Arrays;
import java.util.function.Supplier;
import org.crmkit.error.CrmException;
import org.crmkit.observe.LogContext;
import org.crmkit.observe.OperationListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs session operations observed: the principal's id in the SLF4J MDC while it runs (the previous value put back
 * after), and the registered {@link OperationListener}s told of its outcome and duration. With no listener the
 * clock is not read; the listeners are an array read once per operation, so the hot path allocates nothing of its
 * own.
 */
final class Observers {
    private static final Logger LOG = LoggerFactory.getLogger(Observers.class);
    private static final OperationListener[] NONE = {};

    private volatile OperationListener[] listeners = NONE;

    /** Adds a listener; closing the handle removes it (once). */
    synchronized AutoCloseable add(OperationListener listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        OperationListener[] now = Arrays.copyOf(listeners, listeners.length + 1);
        now[now.length - 1] = listener;
        listeners = now;
        return () -> remove(listener);
    }

    private synchronized void remove(OperationListener listener) {
        OperationListener[] now = listeners;
        for (int i = 0; i < now.length; i++) {
            if (now[i] == listener) {
                OperationListener[] less = new OperationListener[now.length - 1];
                System.arraycopy(now, 0, less, 0, i);
                System.arraycopy(now, i + 1, less, i, now.length - i - 1);
                listeners = less;
                return;
            }
        }
    }

    /** Runs {@code work} as operation {@code operation} on {@code objectType} by {@code principalId}. */
    <T> T run(String principalId, String objectType, String operation, Supplier<T> work) {
        String previous = MDC.get(LogContext.PRINCIPAL);
        MDC.put(LogContext.PRINCIPAL, principalId);
        OperationListener[] observing = listeners;
        long start = observing.length == 0 ? 0 : System.nanoTime();
        String outcome = OperationListener.SUCCESS;
        try {
            return work.get();
        } catch (CrmException e) {
            outcome = e.code().name();
            throw e;
        } catch (RuntimeException | Error e) {
            outcome = OperationListener.UNEXPECTED;
            throw e;
        } finally {
            if (previous == null) {
                MDC.remove(LogContext.PRINCIPAL);
            } else {
                MDC.put(LogContext.PRINCIPAL, previous);
            }
            if (observing.length > 0) {
                tell(observing, objectType, operation, outcome, System.nanoTime() - start);
            }
        }
    }

    private static void tell(OperationListener[] observing, String objectType, String operation, String outcome,
            long nanos) {
        for (OperationListener l : observing) {
            try {
                l.completed(objectType, operation, outcome, nanos);
            } catch (RuntimeException e) {
                LOG.warn("operation listener {} failed", l, e);
            }
        }
    }
}
