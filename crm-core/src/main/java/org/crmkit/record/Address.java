package org.crmkit.record;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A structured postal address: the value of {@link org.crmkit.schema.FieldType#ADDRESS} fields. Each part may be
 * null; filters reach a part as {@code "billing_address.city"}.
 */
public record Address(@Nullable String street, @Nullable String city, @Nullable String region,
        @Nullable String postalCode, @Nullable String country) {

    /** The part names as used in filter paths, in order. */
    public static final java.util.List<String> PARTS = java.util.List.of("street", "city", "region", "postal_code",
            "country");

    public @Nullable String part(String name) {
        return switch (name) {
            case "street" -> street;
            case "city" -> city;
            case "region" -> region;
            case "postal_code" -> postalCode;
            case "country" -> country;
            default -> throw new IllegalArgumentException("no address part " + name);
        };
    }

    /** The non-null parts by name. */
    public Map<String, String> parts() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String p : PARTS) {
            String v = part(p);
            if (v != null) {
                out.put(p, v);
            }
        }
        return out;
    }

    public boolean isEmpty() {
        return parts().isEmpty();
    }
}
