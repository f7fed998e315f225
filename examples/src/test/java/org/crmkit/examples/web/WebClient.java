package org.crmkit.examples.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Another client of the web example's API (not the page): demo tokens, reads and a deal moved to another stage. */
final class WebClient {
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final URI base;

    WebClient(URI base) {
        this.base = base;
    }

    /** A response's status and parsed body. */
    record Res(int status, JsonNode body, HttpResponse<String> raw) {}

    Res send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Res(r.statusCode(), parse(r.body()), r);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The body as JSON, or a null node when it is empty or not JSON (the page, a script). */
    private JsonNode parse(String body) {
        try {
            return body.isEmpty() ? json.nullNode() : json.readTree(body);
        } catch (IOException e) {
            return json.nullNode();
        }
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path));
    }

    String token(String user) {
        Res r = send(request("demo/tokens/" + user).POST(HttpRequest.BodyPublishers.noBody()));
        if (r.status() != 200) {
            throw new IllegalStateException("no token for " + user + ": " + r.raw().body());
        }
        return r.body().get("token").asText();
    }

    Res get(String token, String path) {
        return send(request(path).header("Authorization", "Bearer " + token));
    }

    /** Creates a record of {@code type} from a JSON object of field values. */
    Res create(String token, String type, String json) {
        return send(request("objects/" + type).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** The deal named {@code name}, read as {@code token}'s user. */
    JsonNode deal(String token, String name) {
        Res r = get(token, "objects/deal?filter%5Bname%5D=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
        if (r.status() != 200 || r.body().get("items").size() != 1) {
            throw new IllegalStateException("deal " + name + ": " + r.raw().body());
        }
        return r.body().get("items").get(0);
    }

    /** Moves a deal to {@code stage} through PATCH with If-Match, as a second client would. */
    Res moveDeal(String token, JsonNode deal, String stage) {
        return send(request("objects/deal/" + deal.get("id").asText()).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("If-Match", "\"" + deal.get("version").asInt() + "\"")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"stage\":\"" + stage + "\"}")));
    }
}
