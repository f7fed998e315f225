package org.crmkit.examples.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web example's server without a browser: the page and its scripts are served, demo tokens are ordinary JWTs that
 * crm-rest's {@code JwtAuthenticator} verifies (a token signed with another key is refused), and the rep never gets
 * the hidden notes from any resource the page reads. {@link WebPageBrowserTest} drives the page itself.
 */
class WebExampleTest {
    private static WebExample.Running web;
    private static WebClient api;

    @BeforeAll
    static void start() {
        web = WebExample.start(WebExample.Storage.memory(), 0);
        api = new WebClient(web.uri());
    }

    @AfterAll
    static void stop() {
        web.close();
    }

    @Test
    void thePageAndItsScriptAreServedWithAContentSecurityPolicy() {
        WebClient.Res page = api.send(api.request(""));
        assertThat(page.raw().statusCode()).isEqualTo(200);
        assertThat(page.raw().headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'self'");
        WebClient.Res script = api.send(api.request("app.js"));
        assertThat(script.raw().statusCode()).isEqualTo(200);
        assertThat(script.raw().body()).contains("fetch(").doesNotContain("innerHTML").doesNotContain("outerHTML")
                .doesNotContain("insertAdjacentHTML").doesNotContain("document.write");
    }

    @Test
    void demoUsersAndTokens() {
        JsonNode users = api.send(api.request("demo/users")).body();
        assertThat(users.findValuesAsText("id")).containsExactly("admin", "rep");
        assertThat(api.send(api.request("demo/tokens/mallory").POST(HttpRequest.BodyPublishers.noBody())).status())
                .isEqualTo(404);
        String rep = api.token("rep");
        assertThat(api.get(rep, "objects/contact").status()).isEqualTo(200);
        assertThat(api.get(rep, "demo/pipeline").body().findValuesAsText("name")).contains("prospecting",
                "closed_lost");
        assertThat(api.send(api.request("demo/pipeline")).status()).isEqualTo(401);
        assertThat(api.send(api.request("objects/contact")).status()).isEqualTo(401);
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefusedByTheStandardAuthenticator() throws Exception {
        ECKey other = new ECKeyGenerator(Curve.P_256).keyID("demo-forged").generate();
        Instant now = Instant.now();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(other.getKeyID())
                .type(JOSEObjectType.JWT).build(),
                new JWTClaimsSet.Builder().subject("admin")
                        .issuer(DemoUsers.ISSUER).audience(DemoUsers.AUDIENCE).issueTime(Date.from(now))
                        .expirationTime(Date.from(now.plusSeconds(600))).build());
        forged.sign(new ECDSASigner(other));
        assertThat(api.get(forged.serialize(), "objects/contact").status()).isEqualTo(401);
        assertThat(api.get(forged.serialize(), "demo/pipeline").status()).isEqualTo(401);
    }

    @Test
    void theRepGetsNoNotesFromTheListARecordOrSearchWhileTheAdminDoes() {
        String rep = api.token("rep");
        String admin = api.token("admin");
        JsonNode repContacts = api.get(rep, "objects/contact?limit=200").body().get("items");
        JsonNode adminContacts = api.get(admin, "objects/contact?limit=200").body().get("items");
        assertThat(repContacts.size()).isEqualTo(adminContacts.size()).isEqualTo(5);
        assertThat(fields(repContacts)).doesNotContain(DemoUsers.HIDDEN_FIELD);
        assertThat(adminContacts.toString()).contains("Confidential: asks for a 30% discount");
        String ada = repContacts.get(0).get("id").asText();
        assertThat(api.get(rep, "objects/contact/" + ada).raw().body()).doesNotContain("Confidential")
                .doesNotContain(DemoUsers.HIDDEN_FIELD);
        assertThat(api.get(rep, "search?q=discount&types=contact").body().get("hits")).isEmpty();
        assertThat(api.get(admin, "search?q=discount&types=contact").body().get("hits")).isNotEmpty();
        assertThat(api.get(rep, "search?q=lovelase").body().findValuesAsText("title")).contains("Ada Lovelace");
    }

    private static List<String> fields(JsonNode items) {
        return StreamSupport.stream(items.spliterator(), false)
                .flatMap(i -> i.get("fields").propertyStream().map(java.util.Map.Entry::getKey)).toList();
    }

    /** On disk, a second start on the same directory finds the first run's records and adds none. */
    @Test
    void onDiskTheSecondRunKeepsTheFirstRunsRecords(@TempDir Path dir) {
        for (int run = 0; run < 2; run++) {
            try (WebExample.Running onDisk = WebExample.start(WebExample.Storage.at(dir), 0)) {
                WebClient client = new WebClient(onDisk.uri());
                assertThat(client.get(client.token("admin"), "objects/deal?limit=200").body().get("items").size())
                        .isEqualTo(5);
            }
        }
    }
}
