package org.crmkit.rest.internal;

import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crmkit.RecordSet;
import org.crmkit.error.ConflictException;
import org.crmkit.error.NotFoundException;
import org.crmkit.error.ValidationException;
import org.crmkit.query.Page;
import org.crmkit.record.Record;

/**
 * Records of every object type of the live schema: {@code /objects/{type}} (list, create) and
 * {@code /objects/{type}/{id}} (get, update, delete, restore). Each call goes through the caller's session, so the
 * engine's access control, validation and concurrency checks apply as they do in Java.
 */
public final class RecordsResource implements RestResource {
    private static final Pattern ETAG = Pattern.compile("\"(\\d{1,18})\"");

    @Override
    public void register(RestRouter router) {
        router.get("/objects/{type}", this::list);
        router.post("/objects/{type}", this::create, true);
        router.get("/objects/{type}/{id}", this::get);
        router.patch("/objects/{type}/{id}", this::update);
        router.delete("/objects/{type}/{id}", this::delete);
        router.post("/objects/{type}/{id}/restore", this::restore, true);
    }

    private Reply list(Call call) {
        RestSettings s = call.settings();
        ListQuery q = ListQuery.parse(call.queryParams(), s.defaultPageSize(), s.maxPageSize(), s.json());
        Page<Record> page;
        try {
            page = records(call).query(q.query());
        } catch (ValidationException v) {
            throw new ProblemException(ProblemMapper.map(v, q::parameterOf, 400));
        }
        return Reply.json(200, s.json().write(RecordJson.page(page)));
    }

    private Reply get(Call call) {
        UUID id = id(call);
        Record r = records(call).find(id).orElseThrow(() -> new NotFoundException(call.pathParam("type"), id));
        String etag = RecordJson.etag(r);
        String ifNoneMatch = call.header("If-None-Match");
        if (ifNoneMatch != null && java.util.Arrays.stream(ifNoneMatch.split(",")).map(String::trim)
                .anyMatch(t -> t.equals(etag) || t.equals("W/" + etag) || t.equals("*"))) {
            return new Reply(304, Map.of("ETag", etag), null);
        }
        return ok(call, 200, r);
    }

    private Reply create(Call call) {
        Map<String, ?> values = call.jsonObject();
        Record r = records(call).create(values);
        return ok(call, 201, r).withHeader("Location", call.path() + "/" + r.id());
    }

    private Reply update(Call call) {
        UUID id = id(call);
        long expected = ifMatch(call);
        Map<String, ?> changes = call.jsonObject();
        return precondition(() -> ok(call, 200, records(call).update(id, expected, changes)));
    }

    private Reply delete(Call call) {
        UUID id = id(call);
        long expected = ifMatch(call);
        return precondition(() -> ok(call, 200, records(call).delete(id, expected)));
    }

    private Reply restore(Call call) {
        UUID id = id(call);
        long expected = ifMatch(call);
        return precondition(() -> ok(call, 200, records(call).restore(id, expected)));
    }

    private static Reply ok(Call call, int status, Record r) {
        return Reply.json(status, call.settings().json().write(RecordJson.of(r))).withHeader("ETag",
                RecordJson.etag(r));
    }

    private static RecordSet records(Call call) {
        return call.session().records(call.pathParam("type"));
    }

    /** A stale If-Match is 412 (the caller's precondition failed), not the 409 of other conflicts. */
    private static Reply precondition(java.util.function.Supplier<Reply> write) {
        try {
            return write.get();
        } catch (ConflictException c) {
            throw new ProblemException(Problem.of(412, "precondition-failed", "Precondition failed",
                    "the record changed since the ETag given in If-Match; fetch it again", c.code().name()));
        }
    }

    static UUID id(Call call) {
        String text = call.pathParam("id");
        try {
            if (text.length() == 36) {
                return UUID.fromString(text);
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        // an id that cannot exist: the same answer as a missing record
        throw new ProblemException(Problem.notFound(ListQuery.abbreviate(call.pathParam("type")) + " "
                + ListQuery.abbreviate(text) + " not found"));
    }

    static long ifMatch(Call call) {
        String header = call.header("If-Match");
        if (header == null || header.isBlank()) {
            throw new ProblemException(Problem.preconditionRequired("record"));
        }
        Matcher m = ETAG.matcher(header.trim());
        if (!m.matches()) {
            throw new ProblemException(Problem.badRequest("If-Match",
                    "If-Match must be one strong ETag of the record, as \"3\""));
        }
        return Long.parseLong(m.group(1));
    }
}
