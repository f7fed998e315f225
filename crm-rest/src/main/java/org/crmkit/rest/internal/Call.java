package org.crmkit.rest.internal;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.crmkit.CrmSession;
import org.jspecify.annotations.Nullable;

/** One request as an endpoint sees it: the caller's session, parameters, and the body read within the limits. */
public final class Call {
    private final Context ctx;
    private final CrmSession session;
    private final RestSettings settings;
    private byte @Nullable [] body;

    Call(Context ctx, CrmSession session, RestSettings settings) {
        this.ctx = ctx;
        this.session = session;
        this.settings = settings;
    }

    public CrmSession session() {
        return session;
    }

    public RestSettings settings() {
        return settings;
    }

    public String pathParam(String name) {
        return ctx.pathParam(name);
    }

    public Map<String, List<String>> queryParams() {
        return ctx.queryParamMap();
    }

    public @Nullable String header(String name) {
        return ctx.header(name);
    }

    public String method() {
        return ctx.method().name();
    }

    public String path() {
        return ctx.path();
    }

    /**
     * The raw body: refused with 415 unless it is JSON ({@code application/json} or a {@code +json} type), with 413
     * when longer than the limit (told by Content-Length or found while reading).
     */
    public byte[] body() {
        byte[] b = body;
        if (b != null) {
            return b;
        }
        String type = ctx.header("Content-Type");
        if (type == null || !isJson(type)) {
            throw new ProblemException(Problem.unsupportedMediaType("the body must be application/json"
                    + (type == null ? " (no Content-Type given)" : "")));
        }
        long limit = settings.maxBodyBytes();
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            throw new ProblemException(Problem.tooLarge(limit));
        }
        try (InputStream in = ctx.req().getInputStream()) {
            b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        } catch (IOException e) {
            throw new ProblemException(Problem.malformedJson("the body could not be read"));
        }
        if (b.length > limit) {
            throw new ProblemException(Problem.tooLarge(limit));
        }
        ctx.attribute(RestRouter.BODY_READ, Boolean.TRUE);
        body = b;
        return b;
    }

    /** The body as a JSON object of plain values. */
    public Map<String, @Nullable Object> jsonObject() {
        return settings.json().readObject(body());
    }

    private static boolean isJson(String contentType) {
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return media.equals("application/json") || (media.startsWith("application/") && media.endsWith("+json"));
    }
}
