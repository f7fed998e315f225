package org.crmkit.schema;

import java.util.Objects;

/**
 * One option of a picklist or multi-picklist. An inactive option stays valid on records that hold it but is
 * refused on new writes.
 */
public record PicklistOption(String value, String label, boolean active) {
    public PicklistOption {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(label, "label");
    }

    /** An active option whose label is its value. */
    public static PicklistOption of(String value) {
        return new PicklistOption(value, value, true);
    }

    public static PicklistOption of(String value, String label) {
        return new PicklistOption(value, label, true);
    }

    public PicklistOption deactivated() {
        return new PicklistOption(value, label, false);
    }
}
