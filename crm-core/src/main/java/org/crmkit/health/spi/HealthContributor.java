package org.crmkit.health.spi;

import org.crmkit.health.HealthBounds;
import org.crmkit.health.HealthComponent;

/**
 * A part of the health check a plug-in adds (the workflow's job queue, a relay), registered with
 * {@code EngineContext.addHealthContributor}. {@link #check} must not throw: a part it cannot reach is
 * {@link org.crmkit.health.HealthStatus#DOWN} (the engine reports a throwing contributor as down all the same).
 */
public interface HealthContributor {
    /** The component's name in {@link org.crmkit.health.Health#components()}: short, fixed, no record data. */
    String name();

    /** The part's health now, judged against {@code bounds}. */
    HealthComponent check(HealthBounds bounds);
}
