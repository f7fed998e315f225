package org.crmkit.rest.internal;

import io.javalin.http.Context;
import java.util.UUID;
import java.util.regex.Pattern;
import org.crmkit.observe.LogContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * The request's correlation id: the caller's {@code X-Request-Id} when it is a plain token (1 to 128 letters,
 * digits and {@code . _ : -}: nothing that could forge a log line), else a new random UUID. It is echoed in the
 * response's {@code X-Request-Id} and held in the SLF4J MDC as {@link LogContext#CORRELATION_ID} while the request
 * is handled, so every log line of the request carries it; the previous value is put back after.
 */
final class CorrelationIds {
    static final String HEADER = "X-Request-Id";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private CorrelationIds() {}

    /** The id for a request that sent {@code header}. */
    static String of(@Nullable String header) {
        return header != null && VALID.matcher(header).matches() ? header : UUID.randomUUID().toString();
    }

    /** Runs {@code work} with the request's id echoed and in the MDC. */
    static void around(Context ctx, Runnable work) {
        String id = of(ctx.header(HEADER));
        ctx.header(HEADER, id);
        String previous = MDC.get(LogContext.CORRELATION_ID);
        MDC.put(LogContext.CORRELATION_ID, id);
        try {
            work.run();
        } finally {
            if (previous == null) {
                MDC.remove(LogContext.CORRELATION_ID);
            } else {
                MDC.put(LogContext.CORRELATION_ID, previous);
            }
        }
    }
}
