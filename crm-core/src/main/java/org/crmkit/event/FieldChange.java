package org.crmkit.event;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** One field's value before and after a change (null for empty). */
public record FieldChange(String field, @Nullable Object oldValue, @Nullable Object newValue) {
    public FieldChange {
        Objects.requireNonNull(field, "field");
    }
}
