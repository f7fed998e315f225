package org.crmkit.relay;

/** What a relay is doing (see {@link RelayStatus}). */
public enum RelayState {
    /** Built, not yet started by its {@code Crm}. */
    NEW,
    /** Holds the lease and publishes (or waits for new entries). */
    RUNNING,
    /** Holds the lease, but the last attempt failed (broker or storage down): retrying with backoff. */
    RETRYING,
    /** Another node holds the lease of this relay name: waiting to take over when it lapses. */
    STANDBY,
    /** Closed. */
    STOPPED
}
