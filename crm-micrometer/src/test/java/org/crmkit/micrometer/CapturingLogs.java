package org.crmkit.micrometer;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crmkit.observe.LogContext;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The tests' SLF4J backend: a real MDC ({@link BasicMDCAdapter}; slf4j-simple's does nothing) and warnings and errors
 * kept as lines {@code LEVEL principal correlationId message}, so a test can see what a log line of an operation
 * carries.
 */
public final class CapturingLogs implements SLF4JServiceProvider {
    /** The lines logged so far (tests clear it). */
    static final List<String> LINES = new CopyOnWriteArrayList<>();

    private final MDCAdapter mdc = new BasicMDCAdapter();
    private final IMarkerFactory markers = new BasicMarkerFactory();

    @Override
    public ILoggerFactory getLoggerFactory() {
        return Capturing::new;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {}

    private static final class Capturing extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1;

        Capturing(String name) {
            this.name = name;
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public boolean isDebugEnabled() {
            return false;
        }

        @Override
        public boolean isInfoEnabled() {
            return false;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return Capturing.class.getName();
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern,
                Object[] arguments, Throwable throwable) {
            LINES.add(level + " " + MDC.get(LogContext.PRINCIPAL) + " " + MDC.get(LogContext.CORRELATION_ID) + " "
                    + MessageFormatter.basicArrayFormat(messagePattern, arguments));
        }
    }
}
