package org.crmkit.benchmarks;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import net.datafaker.Faker;
import org.crmkit.Crm;
import org.crmkit.record.Address;
import org.crmkit.schema.Field;
import org.crmkit.storage.memory.InMemoryStorage;

/**
 * Repeatable contact data made with Datafaker from a fixed seed: the standard contact fields plus the custom
 * fields of {@link #CUSTOM_FIELDS} ({@link #contacts}), or of {@link #STORAGE_FIELDS} ({@link #storageContacts}).
 * Phone numbers are US numbers in the fictional 555-01xx range under real area codes ("+1 212 555 0142"), which
 * libphonenumber accepts as valid. Public for the JMH benchmarks of {@code org.crmkit.benchmarks.jmh}.
 */
public final class ContactData {
    /** Custom fields the suites add to {@code contact} before they run. */
    static final List<String> CUSTOM_FIELDS = List.of("nickname", "lead_score", "segment");
    static final String[] SEGMENTS = {"smb", "mid_market", "enterprise"};

    private static final String[] AREA_CODES = {"212", "213", "312", "415", "512", "617", "646", "702", "718", "917"};

    /** Custom fields of {@link #storageContacts}: a picklist, an integer and a decimal (scale 2). */
    static final List<String> STORAGE_FIELDS = List.of("tier", "lifetime_orders", "score");
    /** Options of {@code tier}, drawn with weights 50/30/15/5. */
    static final String[] TIERS = {"bronze", "silver", "gold", "platinum"};

    private ContactData() {}

    /** An in-memory {@code Crm} whose {@code contact} has the {@link #CUSTOM_FIELDS} that {@link #contacts} fill. */
    public static Crm inMemoryCrm() {
        return crm(InMemoryStorage.create());
    }

    /** A {@code Crm} on {@code storage} whose {@code contact} has the {@link #CUSTOM_FIELDS}. */
    static Crm crm(org.crmkit.CrmStorage storage) {
        Crm crm = Crm.builder().storage(storage).build();
        crm.schema().addField("contact", Field.text("nickname"));
        crm.schema().addField("contact", Field.integer("lead_score").range(BigDecimal.ZERO, BigDecimal.valueOf(100)));
        crm.schema().addField("contact", Field.picklist("segment", SEGMENTS));
        return crm;
    }

    /** {@code count} contacts with the standard fields and the {@link #CUSTOM_FIELDS}, the same for the same seed. */
    public static List<Map<String, Object>> contacts(int count, long seed) {
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

    /**
     * Contacts with every standard field that holds a value of its own (first and last name, email, phone, mobile
     * for half of them, title, a US postal address, do_not_contact, a description for a third of them; no company)
     * plus {@code tier}, {@code lifetime_orders} (about exponential, mean 12) and {@code score} (0.00 to 99.99).
     * Every value is already in CRMKit's canonical form (phones in E.164, decimals at scale 2, blank parts left
     * out), so what CRMKit stores equals what a raw insert of the same values stores. Empty fields are absent.
     */
    static List<Map<String, Object>> storageContacts(int count, long seed) {
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
            c.put("phone", e164(random));
            if (random.nextBoolean()) {
                c.put("mobile", e164(random));
            }
            c.put("title", faker.job().title());
            c.put("address", new Address(faker.address().streetAddress(), faker.address().city(),
                    faker.address().stateAbbr(), faker.address().zipCode(), "US"));
            c.put("do_not_contact", random.nextInt(10) == 0);
            if (random.nextInt(3) == 0) {
                c.put("description", faker.lorem().sentence(12));
            }
            int t = random.nextInt(100);
            c.put("tier", TIERS[t < 50 ? 0 : t < 80 ? 1 : t < 95 ? 2 : 3]);
            c.put("lifetime_orders", (long) Math.floor(-Math.log(1 - random.nextDouble()) * 12));
            c.put("score", BigDecimal.valueOf(random.nextInt(10_000), 2));
            contacts.add(Map.copyOf(c));
        }
        return List.copyOf(contacts);
    }

    /** A US number in E.164 ("+12125550142"), CRMKit's canonical form of a phone. */
    static String e164(Random random) {
        return "+1" + AREA_CODES[random.nextInt(AREA_CODES.length)] + "55501"
                + String.format(Locale.ROOT, "%02d", random.nextInt(100));
    }

    static String emailLocalPart(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return s.isEmpty() ? "x" : s;
    }
}
