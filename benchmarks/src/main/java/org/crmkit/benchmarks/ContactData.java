package org.crmkit.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import net.datafaker.Faker;

/**
 * Repeatable contact data made with Datafaker from a fixed seed: the standard contact fields plus the custom
 * fields of {@link #CUSTOM_FIELDS}. Phone numbers are US numbers in the fictional 555-01xx range under real
 * area codes ("+1 212 555 0142"), which libphonenumber accepts as valid.
 */
final class ContactData {
    /** Custom fields the suites add to {@code contact} before they run. */
    static final List<String> CUSTOM_FIELDS = List.of("nickname", "lead_score", "segment");
    static final String[] SEGMENTS = {"smb", "mid_market", "enterprise"};

    private static final String[] AREA_CODES = {"212", "213", "312", "415", "512", "617", "646", "702", "718", "917"};

    private ContactData() {}

    static List<Map<String, Object>> contacts(int count, long seed) {
        Faker faker = new Faker(Locale.US, new Random(seed));
        Random random = new Random(seed ^ 0x5DEECE66DL);
        List<Map<String, Object>> contacts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String first = faker.name().firstName();
            String last = faker.name().lastName();
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("first_name", first);
            c.put("last_name", last);
            c.put("email", emailLocalPart(first) + "." + emailLocalPart(last) + "." + i + "@example.com");
            c.put("phone", "+1 " + AREA_CODES[random.nextInt(AREA_CODES.length)] + " 555 01"
                    + String.format(Locale.ROOT, "%02d", random.nextInt(100)));
            c.put("title", faker.job().title());
            c.put("nickname", faker.name().firstName());
            c.put("lead_score", (long) random.nextInt(101));
            c.put("segment", SEGMENTS[random.nextInt(SEGMENTS.length)]);
            contacts.add(Map.copyOf(c));
        }
        return List.copyOf(contacts);
    }

    private static String emailLocalPart(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return s.isEmpty() ? "x" : s;
    }
}
