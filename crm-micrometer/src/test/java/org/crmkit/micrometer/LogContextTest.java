package org.crmkit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crmkit.Crm;
import org.crmkit.observe.LogContext;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The SLF4J MDC during an operation ({@link CapturingLogs}' real MDC): the principal's id is set for every log line
 * of the operation (the engine's own warning about a failing change listener is one), the host's correlation id is
 * kept, and the previous values are back afterwards.
 */
class LogContextTest {
    private final Crm crm = Crm.builder().storage(InMemoryStorage.create()).build();

    @AfterEach
    void close() {
        crm.close();
        MDC.clear();
    }

    @Test
    void thePrincipalIsInTheMdcDuringAnOperationAndThePreviousValueIsBackAfter() {
        List<String> seen = new CopyOnWriteArrayList<>();
        crm.changeLog().subscribe(entries -> seen.add(MDC.get(LogContext.PRINCIPAL) + "|"
                + MDC.get(LogContext.CORRELATION_ID)));
        MDC.put(LogContext.CORRELATION_ID, "req-42");

        crm.as(Principal.user("u-42", Role.ADMIN)).records("company").create(Map.of("name", "Acme"));
        assertThat(seen).containsExactly("u-42|req-42");
        assertThat(MDC.get(LogContext.PRINCIPAL)).isNull();
        assertThat(MDC.get(LogContext.CORRELATION_ID)).isEqualTo("req-42");

        MDC.put(LogContext.PRINCIPAL, "outer");
        crm.as(Principal.user("u-7", Role.ADMIN)).inTransactionDo(s -> s.records("company").create(Map.of("name",
                "Globex")));
        assertThat(seen).last().isEqualTo("u-7|req-42");
        assertThat(MDC.get(LogContext.PRINCIPAL)).isEqualTo("outer");
    }

    @Test
    void theEnginesOwnLogLinesCarryThePrincipalAndTheCorrelationId() {
        crm.changeLog().subscribe(entries -> {
            throw new IllegalStateException("listener fails");
        });
        CapturingLogs.LINES.clear();
        MDC.put(LogContext.CORRELATION_ID, "req-7");
        crm.as(Principal.user("u-42", Role.ADMIN)).records("company").create(Map.of("name", "Acme"));
        assertThat(CapturingLogs.LINES).anySatisfy(l -> assertThat(l).startsWith("WARN u-42 req-7 change listener"));
        assertThat(CapturingLogs.LINES).allSatisfy(l -> assertThat(l).contains(" u-42 req-7 "));
    }

    @Test
    void aFailedOperationRestoresTheMdcToo() {
        try {
            crm.as(Principal.user("u-9", Role.ADMIN)).records("company").get(java.util.UUID.randomUUID());
        } catch (org.crmkit.error.NotFoundException expected) {
            assertThat(MDC.get(LogContext.PRINCIPAL)).isNull();
        }
        assertThat(MDC.get(LogContext.PRINCIPAL)).isNull();
    }
}
