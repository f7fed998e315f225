package org.crmkit.internal.value.codec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.crmkit.schema.Field;
import org.crmkit.schema.PicklistOption;
import org.jspecify.annotations.Nullable;

/** Several options of a picklist (a list, or text separated by {@code ;}), kept once each in option order. */
final class MultiPicklistCodec implements FieldCodec {
    @Override
    public @Nullable List<String> write(Field field, Object raw, Problems p) {
        Collection<?> items;
        if (raw instanceof Collection<?> c) {
            items = c;
        } else if (raw instanceof String s) {
            items = s.isBlank() ? List.of() : List.of(s.split(";"));
        } else {
            return p.wrongType(raw, "a list of option values");
        }
        Set<String> chosen = new LinkedHashSet<>();
        int before = p.errorCount();
        for (Object item : items) {
            String value = item instanceof String s ? s.strip() : null;
            if (value == null) {
                p.wrongType(item, "an option value");
                continue;
            }
            if (PicklistCodec.activeOption(field, value, p) != null) {
                chosen.add(value);
            }
        }
        if (p.errorCount() > before || chosen.isEmpty()) {
            return null;
        }
        List<String> ordered = new ArrayList<>();
        for (PicklistOption o : field.options()) {
            if (chosen.contains(o.value())) {
                ordered.add(o.value());
            }
        }
        return List.copyOf(ordered);
    }

    /** A filter value is one option value, read as for a picklist. */
    @Override
    public @Nullable String filter(String path, @Nullable Field field, Object raw, Problems p) {
        return PicklistCodec.anyOption(path, field, raw, p);
    }
}
