package org.crmkit.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import org.crmkit.Crm;
import org.crmkit.error.StorageUnavailableException;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.Test;

/** The engine's errors as statuses, and failures nobody planned for as a generic 500 that says nothing inside. */
class ErrorMappingTest {
    @Test
    void anOperationTheRoleDoesNotGrantIs403() {
        try (RestFixture f = new RestFixture()) {
            RestFixture.Res r = f.get(f.token("sam", "support"), "/objects/deal").problem(403);
            assertThat(r.body().get("code").asText()).isEqualTo("ACCESS_DENIED");
            f.post(f.token("sam", "support"), "/objects/deal", "{\"name\":\"x\"}").problem(403);
        }
    }

    @Test
    void storageUnavailableIs503WithRetryAfter() {
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).build();
                RestServer server = CrmRest.builder(crm).authenticator((c, header) -> {
                    throw new StorageUnavailableException("database gone at 10.0.0.7", new RuntimeException(), false);
                }).build().start("127.0.0.1", 0)) {
            RestFixture.Res r = send(server, "/objects/contact").problem(503);
            assertThat(r.header("Retry-After")).isEqualTo("5");
            assertThat(r.body().get("code").asText()).isEqualTo("STORAGE_UNAVAILABLE");
            assertThat(r.raw().body()).doesNotContain("10.0.0.7");
        }
    }

    @Test
    void anUnexpectedFailureIsAGeneric500WithoutDetails() {
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).build();
                RestServer server = CrmRest.builder(crm).authenticator((c, header) -> {
                    throw new IllegalStateException("secret internals at org.example.Secret");
                }).build().start("127.0.0.1", 0)) {
            RestFixture.Res r = send(server, "/objects/contact").problem(500);
            assertThat(r.body().get("code").asText()).isEqualTo("INTERNAL");
            assertThat(r.raw().body()).doesNotContain("secret").doesNotContain("IllegalState")
                    .doesNotContain("org.example");
            assertThat(r.body().get("detail").asText()).containsPattern("problem id [0-9a-f-]{36}");
        }
    }

    private static RestFixture.Res send(RestServer server, String path) {
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            var raw = http.send(HttpRequest.newBuilder(server.uri().resolve(path.substring(1))).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return new RestFixture.Res(raw, new com.fasterxml.jackson.databind.ObjectMapper().readTree(raw.body()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
