package org.crmkit.rest.internal;

/** One operation of a resource: it runs as the authenticated caller and answers a {@link Reply}. */
@FunctionalInterface
public interface Endpoint {
    Reply handle(Call call);
}
