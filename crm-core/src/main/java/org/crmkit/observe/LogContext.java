package org.crmkit.observe;

/**
 * The SLF4J MDC keys CRMKit sets, for log patterns ({@code %X{crmkit.principal}}) and log shippers. While a session
 * operation runs, {@link #PRINCIPAL} holds the acting principal's id (an id, never a field value); the previous value
 * is put back when it returns. {@link #CORRELATION_ID} is the host's: CRMKit never changes it, so every log line of
 * an operation carries the id the host (or {@code crm-rest}, from {@code X-Request-Id}) set for the request.
 */
public final class LogContext {
    /** The MDC key of the acting principal's id. */
    public static final String PRINCIPAL = "crmkit.principal";

    /** The MDC key of the request's correlation id. */
    public static final String CORRELATION_ID = "crmkit.correlationId";

    private LogContext() {}
}
