package org.crmkit.event;

import org.jspecify.annotations.Nullable;

/** One field's value before and after a change (null for empty). */
public record FieldChange(String field, @Nullable Object oldValue, @Nullable Object newValue) {}
