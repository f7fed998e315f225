package org.crmkit.rest.internal;

/**
 * A group of routes (records, and later the change feed, the OpenAPI document...). Each registers its endpoints on
 * the router, which adds authentication, limits, CORS and problem responses around them.
 */
public interface RestResource {
    void register(RestRouter router);
}
