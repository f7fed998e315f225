package org.crmkit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.crmkit.Crm;
import org.crmkit.rest.CrmRest;
import org.crmkit.rest.RestServer;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.Test;

/**
 * A request to crm-rest: the engine's log lines while it is handled carry the caller's principal and the request's
 * {@code X-Request-Id}, and the id is echoed.
 */
class RestLogContextTest {
    @Test
    void theEnginesLogLinesOfARequestCarryItsPrincipalAndCorrelationId() throws Exception {
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).build();
                RestServer server = CrmRest.builder(crm)
                        .authenticator((c, header) -> c.as(Principal.user("u-42", Role.ADMIN))).build()
                        .start("127.0.0.1", 0)) {
            crm.changeLog().subscribe(entries -> {
                throw new IllegalStateException("listener fails"); // the engine logs a warning inside the request
            });
            CapturingLogs.LINES.clear();
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest
                    .newBuilder(server.uri().resolve("objects/company")).header("Content-Type", "application/json")
                    .header("X-Request-Id", "req-99").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Acme\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(201);
            assertThat(r.headers().firstValue("X-Request-Id")).hasValue("req-99");
            assertThat(CapturingLogs.LINES).anySatisfy(l -> assertThat(l).startsWith("WARN u-42 req-99 change"));
        }
    }
}
