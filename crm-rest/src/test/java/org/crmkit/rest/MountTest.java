package org.crmkit.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.crmkit.Crm;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.Test;

/** The API mounted under a prefix of a host's own Javalin app, beside the host's routes. */
class MountTest {
    @Test
    void theApiServesUnderItsPrefixAndTheHostKeepsItsOwnRoutes() throws Exception {
        RestFixture keys = new RestFixture();
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).build()) {
            CrmRest rest = admins(crm, keys);
            Javalin host = Javalin.create(config -> {
                config.startup.showJavalinBanner = false;
                config.routes.get("/health", ctx -> ctx.result("ok"));
                rest.mount(config, "/crm");
            }).start("127.0.0.1", 0);
            try {
                HttpClient http = HttpClient.newHttpClient();
                URI base = URI.create("http://127.0.0.1:" + host.port());
                String token = keys.token("ada", "admin");
                HttpResponse<String> created = http.send(HttpRequest.newBuilder(base.resolve("/crm/objects/contact"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"last_name\":\"Lovelace\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                assertThat(created.headers().firstValue("Location").orElseThrow()).startsWith("/crm/objects/contact/");
                HttpResponse<String> openapi = http.send(HttpRequest.newBuilder(base.resolve("/crm/openapi.json"))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(keys.json.readTree(openapi.body()).at("/servers/0/url").asText()).isEqualTo("/crm");
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.body()).isEqualTo("ok");
                HttpResponse<String> unauthenticated = http.send(HttpRequest.newBuilder(
                        base.resolve("/crm/objects/contact")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(unauthenticated.statusCode()).isEqualTo(401);
                // the root is the host's: nothing of the API there
                HttpResponse<String> root = http.send(HttpRequest.newBuilder(base.resolve("/objects/contact"))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(root.statusCode()).isEqualTo(404);
                // the change stream too, and stopping the host's app ends it
                SseStream changes = SseStream.open(http, HttpRequest.newBuilder(base.resolve("/crm/changes"))
                        .header("Authorization", "Bearer " + token).build());
                assertThat(changes.response.statusCode()).isEqualTo(200);
                crm.as(new org.crmkit.security.Principal("ada", java.util.List.of(org.crmkit.security.Role.ADMIN),
                        java.util.List.of(), false)).records("contact").create(java.util.Map.of("last_name", "Hopper"));
                assertThat(changes.nextChange().data()).contains("Hopper");
                host.stop();
                SseStream.Event last = changes.next();
                while (last != SseStream.EOF) {
                    assertThat(last.comment()).isNotNull();
                    last = changes.next();
                }
            } finally {
                host.stop();
            }
        } finally {
            keys.close();
        }
    }

    @Test
    void theStandaloneServerTakesTheHostsAdditions() throws Exception {
        RestFixture keys = new RestFixture();
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).build()) {
            CrmRest rest = admins(crm, keys);
            try (RestServer server = rest.start("127.0.0.1", 0,
                    config -> config.routes.get("/page", ctx -> ctx.html("<p>page</p>")))) {
                assertThat(server.port()).isPositive();
                assertThat(server.uri().toString()).isEqualTo("http://127.0.0.1:" + server.port() + "/");
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> page = http.send(HttpRequest.newBuilder(server.uri().resolve("page")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(page.body()).isEqualTo("<p>page</p>");
                HttpResponse<String> api = http.send(HttpRequest.newBuilder(server.uri().resolve("objects/contact"))
                        .header("Authorization", "Bearer " + keys.token("ada", "admin")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(api.statusCode()).isEqualTo(200);
            }
        } finally {
            keys.close();
        }
    }

    /** The API of {@code crm} for tokens signed with the fixture's RSA key, every caller an admin. */
    private static CrmRest admins(Crm crm, RestFixture keys) {
        return CrmRest.builder(crm).authenticator(JwtAuthenticator.builder().issuer(RestFixture.ISSUER)
                .audience(RestFixture.AUDIENCE).jwks(new JWKSet(List.of(keys.rsa)))
                .principals(PrincipalMapper.of(c -> Principal.user(c.subject(), Role.ADMIN))).build()).build();
    }

    @Test
    void badPrefixesAndMissingSettingsAreRefused() {
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).build()) {
            assertThatThrownBy(() -> CrmRest.builder(crm).maxPageSize(0).maxBodyBytes(0).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("authenticator")
                    .hasMessageContaining("maxPageSize").hasMessageContaining("maxBodyBytes");
            CrmRest rest = CrmRest.builder(crm).authenticator((c, h) -> c.as(Principal.SYSTEM)).build();
            for (String prefix : new String[] {"crm", "/crm/", "/c rm", "/../x"}) {
                Throwable t = org.assertj.core.api.Assertions.catchThrowable(
                        () -> Javalin.create(config -> rest.mount(config, prefix)));
                while (t != null && !(t instanceof IllegalArgumentException)) {
                    t = t.getCause();
                }
                assertThat(t).as(prefix).isNotNull().hasMessageContaining("prefix");
            }
        }
    }
}
