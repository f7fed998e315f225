package org.crmkit.error;

import java.util.Objects;

/**
 * The storage of this {@code Crm} declines an optional feature the operation needs (aggregate reports, say): choose a
 * storage that offers it. The code is {@link ErrorCode#CONFIGURATION}; {@link #feature()} names the feature.
 */
public class UnsupportedFeatureException extends CrmException {
    private static final long serialVersionUID = 1L;

    private final String feature;

    /**
     * @param feature the name of the feature declined (a {@code StorageFeature} constant's name)
     * @param message what needed it and what to do
     */
    public UnsupportedFeatureException(String feature, String message) {
        super(ErrorCode.CONFIGURATION, Objects.requireNonNull(message, "message"));
        this.feature = Objects.requireNonNull(feature, "feature");
    }

    /** The name of the feature the storage declines, such as {@code AGGREGATES}. */
    public String feature() {
        return feature;
    }
}
