package org.crmkit.rest.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What an endpoint answers: a status, headers and a JSON body (null for none). Immutable, so an idempotent replay can
 * send it again as it was.
 */
public record Reply(int status, Map<String, String> headers, byte @Nullable [] body) {
    public Reply {
        headers = Map.copyOf(headers);
    }

    public static Reply json(int status, byte[] body) {
        return new Reply(status, Map.of(), body);
    }

    public Reply withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Reply(status, h, body);
    }
}
