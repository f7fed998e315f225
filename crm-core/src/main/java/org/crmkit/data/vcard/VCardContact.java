package org.crmkit.data.vcard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One vCard read as a contact (see {@link VCards} for the mapping).
 *
 * @param number      the card's position in the file, from 1
 * @param values      the contact's field values by API name, ready for {@code records("contact").create(...)} or
 *                    {@code importRecords(...)}; only fields of the standard contact type, never a null value
 * @param companyName the card's organisation ({@code ORG}, its first unit), for the caller to resolve into the
 *                    contact's {@code company} reference; null if the card has none
 * @param warnings    what of the card was not imported and why (a photo, a second email, an unknown property), in
 *                    card order; empty if everything was
 */
public record VCardContact(int number, Map<String, Object> values, @Nullable String companyName,
        List<String> warnings) {
    public VCardContact {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(values, "values")));
        warnings = List.copyOf(warnings);
        for (Map.Entry<String, Object> e : values.entrySet()) {
            Objects.requireNonNull(e.getValue(), e.getKey());
        }
    }
}
