package org.crmkit.health;

/** How a part of a {@code Crm}, or the whole, is doing; ordered from best to worst. */
public enum HealthStatus {
    /** Working as it should. */
    UP,
    /** Working, but something needs attention: a lag over its bound, dead letters, a relay retrying. */
    DEGRADED,
    /** Not working: the storage cannot be reached, the {@code Crm} is closed. */
    DOWN;

    /** The worse of this and {@code other}. */
    public HealthStatus worst(HealthStatus other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
