package org.crmkit.rest;

import io.javalin.Javalin;
import java.net.URI;

/** A running standalone server ({@link CrmRest#start(int)}); closing it stops it. The CRM stays open. */
public final class RestServer implements AutoCloseable {
    private final Javalin app;
    private final String host;

    RestServer(Javalin app, String host) {
        this.app = app;
        this.host = host;
    }

    /** The port it listens on (the one chosen when started on port 0). */
    public int port() {
        return app.port();
    }

    /** Its base URI, as {@code http://localhost:8080/}. */
    public URI uri() {
        String h = host.equals("0.0.0.0") || host.isEmpty() ? "localhost" : host;
        return URI.create("http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port() + "/");
    }

    @Override
    public void close() {
        app.stop();
    }
}
