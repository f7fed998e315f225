package org.crmkit.rest.internal;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The standalone server's answer to what Jetty refuses before any route runs (headers too large, a malformed request
 * line...): a problem+json body instead of Jetty's HTML page. Never a stack trace.
 */
public final class JettyProblems extends ErrorHandler {
    private final Json json;

    public JettyProblems(Json json) {
        this.json = json;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = request.getAttribute(ERROR_STATUS) instanceof Integer s ? s : response.getStatus();
        if (status < 400) {
            status = 500;
        }
        Problem p = Problem.of(status, "http-" + status, "Request refused", "the request was refused by the server ("
                + status + ")", "HTTP_" + status);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, RestRouter.PROBLEM_JSON);
        response.write(true, ByteBuffer.wrap(java.util.Objects.requireNonNull(RestRouter.problemReply(json, p).body())),
                callback);
        return true;
    }
}
