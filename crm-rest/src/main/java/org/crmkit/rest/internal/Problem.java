package org.crmkit.rest.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An RFC 9457 problem: what the response body says ({@code application/problem+json}) plus the headers it needs.
 *
 * @param status  the HTTP status
 * @param slug    the last part of the {@code type} URI ({@code https://crmkit.org/problems/<slug>})
 * @param title   a short, fixed summary of the kind of problem
 * @param detail  this occurrence, for people; never a stack trace, class name or hidden field
 * @param code    the engine's stable error code, or a REST one
 * @param errors  field errors, each {@code field}, {@code code}, {@code message}
 * @param headers extra response headers (Retry-After, WWW-Authenticate)
 */
public record Problem(int status, String slug, String title, String detail, String code, List<FieldProblem> errors,
        Map<String, String> headers) {
    /** The base of every problem {@code type}. */
    public static final String TYPE_BASE = "https://crmkit.org/problems/";

    public Problem {
        errors = List.copyOf(errors);
        headers = Map.copyOf(headers);
    }

    /** One field error. */
    public record FieldProblem(String field, String code, String message) {}

    public static Problem of(int status, String slug, String title, String detail, String code) {
        return new Problem(status, slug, title, detail, code, List.of(), Map.of());
    }

    public Problem withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Problem(status, slug, title, detail, code, errors, h);
    }

    public Problem withErrors(List<FieldProblem> fieldErrors) {
        return new Problem(status, slug, title, detail, code, fieldErrors, headers);
    }

    /** The JSON body. */
    public Map<String, Object> body(@Nullable String instance) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("type", TYPE_BASE + slug);
        b.put("title", title);
        b.put("status", status);
        b.put("detail", detail);
        b.put("code", code);
        if (instance != null) {
            b.put("instance", instance);
        }
        if (!errors.isEmpty()) {
            b.put("errors", errors);
        }
        return b;
    }

    // the problems crm-rest raises itself

    public static Problem badRequest(String parameter, String detail) {
        String p = ListQuery.abbreviate(parameter);
        return of(400, "bad-request", "Bad request", detail, "BAD_REQUEST")
                .withErrors(List.of(new FieldProblem(p, "INVALID_PARAMETER", detail)));
    }

    public static Problem malformedJson(String detail) {
        return of(400, "malformed-json", "Malformed JSON", detail, "MALFORMED_JSON");
    }

    public static Problem notFound(String detail) {
        return of(404, "not-found", "Not found", detail, "NOT_FOUND");
    }

    public static Problem tooLarge(long limit) {
        return of(413, "payload-too-large", "Payload too large",
                "the request body is larger than " + limit + " bytes", "PAYLOAD_TOO_LARGE");
    }

    public static Problem unsupportedMediaType(String detail) {
        return of(415, "unsupported-media-type", "Unsupported media type", detail, "UNSUPPORTED_MEDIA_TYPE");
    }

    /** A 428 for a change sent without If-Match; {@code resource} names what the ETag is of ("record", "report"). */
    public static Problem preconditionRequired(String resource) {
        return of(428, "precondition-required", "Precondition required",
                "this request needs an If-Match header with the " + resource + "'s ETag", "PRECONDITION_REQUIRED");
    }
}
