package org.crmkit.rest.internal;

import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.crmkit.error.AccessDeniedException;
import org.crmkit.error.ConflictException;
import org.crmkit.error.CrmException;
import org.crmkit.error.FieldError;
import org.crmkit.error.NotFoundException;
import org.crmkit.error.SchemaException;
import org.crmkit.error.StorageUnavailableException;
import org.crmkit.error.ValidationException;
import org.crmkit.rest.AuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what a request threw into a problem. The engine's messages are written for the caller (they never name a
 * hidden field or say whether an out-of-scope record exists); anything else is logged and answered with a generic
 * 500 that carries only an id to find the log line by.
 */
public final class ProblemMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemMapper.class);
    /** Seconds a client should wait before retrying when the storage is unavailable. */
    static final int STORAGE_RETRY_AFTER_SECONDS = 5;

    private ProblemMapper() {}

    /**
     * The problem for {@code failure}.
     *
     * @param fieldNames how the engine's field names appear to the caller (query parameters on a list)
     * @param validationStatus 422 for a body, 400 for query parameters
     */
    public static Problem map(Throwable failure, UnaryOperator<String> fieldNames, int validationStatus) {
        if (failure instanceof ProblemException p) {
            return p.problem();
        }
        if (failure instanceof AuthenticationException a) {
            LOG.debug("authentication refused: {}", message(a));
            return a.isMissing()
                    ? Problem.of(401, "unauthorized", "Unauthorized", "this request needs a bearer token",
                            "UNAUTHORIZED").withHeader("WWW-Authenticate", "Bearer realm=\"crmkit\"")
                    : Problem.of(401, "unauthorized", "Unauthorized", "the bearer token was not accepted",
                            "INVALID_TOKEN").withHeader("WWW-Authenticate",
                                    "Bearer realm=\"crmkit\", error=\"invalid_token\"");
        }
        if (failure instanceof ValidationException v) {
            List<Problem.FieldProblem> errors = v.errors().stream().map(e -> fieldProblem(e, fieldNames)).toList();
            String detail = errors.size() == 1 ? "1 field error" : errors.size() + " field errors";
            return new Problem(validationStatus, "validation-failed",
                    validationStatus == 400 ? "Invalid query" : "Validation failed", detail, v.code().name(), errors,
                    java.util.Map.of());
        }
        if (failure instanceof NotFoundException n) {
            return Problem.of(404, "not-found", "Not found", n.objectType() + " " + n.recordId() + " not found",
                    n.code().name());
        }
        if (failure instanceof AccessDeniedException a) {
            return Problem.of(403, "access-denied", "Forbidden", message(a), a.code().name());
        }
        if (failure instanceof ConflictException c) {
            return Problem.of(409, "conflict", "Conflict", message(c), c.code().name());
        }
        if (failure instanceof StorageUnavailableException) {
            LOG.warn("storage unavailable", failure);
            return Problem.of(503, "storage-unavailable", "Service unavailable",
                    "the storage is unavailable for a while; retry later", "STORAGE_UNAVAILABLE")
                    .withHeader("Retry-After", Integer.toString(STORAGE_RETRY_AFTER_SECONDS));
        }
        if (failure instanceof SchemaException s) {
            return switch (s.problem()) {
                case UNKNOWN_OBJECT_TYPE -> Problem.of(404, "not-found", "Not found", message(s), s.code().name());
                case CONCURRENT_CHANGE -> Problem.of(409, "conflict", "Conflict", message(s), s.code().name());
                default -> Problem.of(422, "schema", "Schema change refused", message(s), s.code().name())
                        .withErrors(List.of(new Problem.FieldProblem(fieldNames.apply(s.field().orElse(s
                                .objectType())), s.problem().name(), message(s))));
            };
        }
        if (failure instanceof CrmException c) {
            switch (c.code()) {
                case DUPLICATE, ALREADY_CONVERTED, CONFLICT :
                    return Problem.of(409, "conflict", "Conflict", message(c), c.code().name());
                case NOT_FOUND :
                    return Problem.notFound(message(c));
                default :
                    break;
            }
        }
        return internal(failure);
    }

    /** A generic 500; the failure is logged under the id the body carries. */
    public static Problem internal(Throwable failure) {
        String id = UUID.randomUUID().toString();
        LOG.error("crm-rest request failed (problem id {})", id, failure);
        return Problem.of(500, "internal", "Internal server error",
                "the request failed on the server; problem id " + id, "INTERNAL");
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        return m == null ? "" : m;
    }

    private static Problem.FieldProblem fieldProblem(FieldError e, UnaryOperator<String> names) {
        return new Problem.FieldProblem(names.apply(e.field()), e.code().name(), e.message());
    }
}
