package org.crmkit.keys;

import java.util.concurrent.CompletionStage;

/** A re-encryption running in the background ({@link EncryptionAdmin#rotate()}). */
public interface RotationJob {
    /** The latest progress, reported after each batch and once at the end. */
    RotationProgress progress();

    /**
     * Completes with the last progress when every stored value was looked at; exceptionally with a
     * {@link java.util.concurrent.CancellationException} when cancelled (or its {@code Crm} closed), or with the
     * {@link org.crmkit.error.CrmException} that ended it.
     */
    CompletionStage<RotationProgress> result();

    /**
     * Stops before the next batch; batches done stay done.
     *
     * @return whether it was still running
     */
    boolean cancel();
}
