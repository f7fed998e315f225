package org.crmkit.testkit;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import net.datafaker.Faker;
import org.jspecify.annotations.Nullable;

/**
 * A labelled set of contacts for measuring duplicate detection, made with Datafaker from a fixed seed: {@code people}
 * originals (names, e-mail, US phone; some without e-mail or phone), for a share of them a variant typed the way people
 * re-enter a contact (one or two of: a typo in a name, first and last name swapped, a nickname, the phone formatted
 * differently, the e-mail in other case, the e-mail or the phone left out), and as many fresh people who are nobody's
 * duplicate (some share a last name, or a first name, with an original). Same spec, same rows.
 *
 * @param people       how many originals
 * @param variantShare the share of originals that get a variant (0 to 1)
 * @param seed         the random seed
 */
public record DuplicateSamples(int people, double variantShare, long seed) {
    private static final String[] AREAS = {"212", "415", "650", "312", "617", "303", "206", "512", "404", "305"};
    private static final String[] DOMAINS = {"gmail.com", "example.org", "mail.com", "acme.io", "outlook.com"};
    private static final String[][] NICKNAMES = {{"William", "Bill"}, {"Robert", "Bob"}, {"Richard", "Rick"},
            {"James", "Jim"}, {"Michael", "Mike"}, {"Thomas", "Tom"}, {"Joseph", "Joe"}, {"Elizabeth", "Liz"},
            {"Margaret", "Maggie"}, {"Katherine", "Kate"}, {"Jennifer", "Jen"}, {"Daniel", "Dan"},
            {"Christopher", "Chris"}, {"Anthony", "Tony"}, {"Patricia", "Pat"}, {"Susan", "Sue"}};

    /** 1,000 originals, 40% with a variant, seed 42. */
    public static DuplicateSamples standard() {
        return new DuplicateSamples(1000, 0.4, 42);
    }

    /**
     * One row to create or to check.
     *
     * @param person the original it stands for (its index in {@link Labelled#originals()}), or -1 for nobody's duplicate
     * @param values field values of a contact
     */
    public record Row(int person, Map<String, Object> values) {
        public Row {
            values = Map.copyOf(values);
        }
    }

    /**
     * The set: originals to load, variants (each labelled with its original) and fresh people to check.
     *
     * @param originals the stored contacts
     * @param variants  probes that duplicate an original
     * @param fresh     probes that duplicate none
     */
    public record Labelled(List<Row> originals, List<Row> variants, List<Row> fresh) {}

    /**
     * Precision and recall of a duplicate finder on a set.
     *
     * @param precision      right candidates among all candidates returned
     * @param recall         variants whose original was among their candidates
     * @param truePositives  right candidates returned
     * @param falsePositives wrong candidates returned (another original, for a variant or a fresh person)
     * @param missed         variants whose original was not found
     */
    public record Quality(double precision, double recall, int truePositives, int falsePositives, int missed) {}

    /**
     * Checks every variant and fresh person of {@code set} with {@code find} (values to candidate ids), knowing that
     * original {@code i} was stored as {@code originalIds.get(i)}.
     */
    public static Quality measure(Labelled set, List<UUID> originalIds,
            Function<Map<String, Object>, List<UUID>> find) {
        int tp = 0;
        int fp = 0;
        int missed = 0;
        for (Row probe : set.variants()) {
            UUID expected = originalIds.get(probe.person());
            List<UUID> got = find.apply(probe.values());
            boolean hit = got.contains(expected);
            tp += hit ? 1 : 0;
            missed += hit ? 0 : 1;
            fp += got.size() - (hit ? 1 : 0);
        }
        for (Row probe : set.fresh()) {
            fp += find.apply(probe.values()).size();
        }
        double precision = tp + fp == 0 ? 1 : (double) tp / (tp + fp);
        double recall = set.variants().isEmpty() ? 1 : (double) tp / set.variants().size();
        return new Quality(precision, recall, tp, fp, missed);
    }

    /** Makes the set. */
    public Labelled generate() {
        Faker faker = new Faker(Locale.US, new Random(seed));
        Random random = new Random(seed * 31 + 7);
        List<Row> originals = new ArrayList<>();
        for (int i = 0; i < people; i++) {
            originals.add(new Row(i, person(faker, random, random.nextInt(8) == 0 ? nick(random)[0] : null)));
        }
        List<Row> variants = new ArrayList<>();
        for (Row o : originals) {
            if (random.nextDouble() < variantShare) {
                variants.add(new Row(o.person(), variant(random, o.values())));
            }
        }
        List<Row> fresh = new ArrayList<>();
        for (int i = 0; i < variants.size(); i++) {
            Map<String, Object> v = person(faker, random, null);
            Row other = originals.get(random.nextInt(originals.size()));
            switch (random.nextInt(3)) { // a namesake in part: same last name, or same first name
                case 0 -> v.put("last_name", other.values().get("last_name"));
                case 1 -> v.put("first_name", other.values().get("first_name"));
                default -> {}
            }
            fresh.add(new Row(-1, v));
        }
        return new Labelled(originals, variants, fresh);
    }

    private static Map<String, Object> person(Faker faker, Random random, @Nullable String first) {
        Map<String, Object> v = new HashMap<>();
        String f = first != null ? first : faker.name().firstName();
        String l = faker.name().lastName();
        v.put("first_name", f);
        v.put("last_name", l);
        if (random.nextInt(10) < 8) {
            v.put("email", ascii(f) + "." + ascii(l) + (random.nextBoolean() ? random.nextInt(100) : "") + "@"
                    + DOMAINS[random.nextInt(DOMAINS.length)]);
        }
        if (random.nextInt(10) < 8 || !v.containsKey("email")) {
            v.put("phone", "+1 " + AREAS[random.nextInt(AREAS.length)] + " " + (200 + random.nextInt(700)) + " "
                    + String.format(Locale.ROOT, "%04d", random.nextInt(10000)));
        }
        return v;
    }

    private static String[] nick(Random random) {
        return NICKNAMES[random.nextInt(NICKNAMES.length)];
    }

    private static Map<String, Object> variant(Random random, Map<String, Object> original) {
        Map<String, Object> v = new HashMap<>(original);
        int changes = 1 + random.nextInt(2);
        for (int c = 0; c < changes; c++) {
            switch (random.nextInt(7)) {
                case 0 -> v.computeIfPresent("last_name", (k, n) -> typo(random, (String) n));
                case 1 -> v.computeIfPresent("first_name", (k, n) -> typo(random, (String) n));
                case 2 -> {
                    Object f = v.get("first_name");
                    Object l = v.get("last_name");
                    if (f != null && l != null) {
                        v.put("first_name", l);
                        v.put("last_name", f);
                    }
                }
                case 3 -> {
                    for (String[] n : NICKNAMES) {
                        if (n[0].equals(v.get("first_name"))) {
                            v.put("first_name", n[1]);
                        }
                    }
                }
                case 4 -> v.computeIfPresent("phone", (k, p) -> formatted(random, (String) p));
                case 5 -> v.computeIfPresent("email", (k, e) -> random.nextBoolean()
                        ? ((String) e).toUpperCase(Locale.ROOT)
                        : Character.toUpperCase(((String) e).charAt(0)) + ((String) e).substring(1));
                default -> v.remove(v.containsKey("phone") && random.nextBoolean() ? "phone" : "email");
            }
        }
        return v;
    }

    private static String typo(Random random, String s) {
        if (s.length() < 3) {
            return s;
        }
        int i = 1 + random.nextInt(s.length() - 1);
        char x = (char) ('a' + random.nextInt(26));
        return switch (random.nextInt(4)) {
            case 0 -> s.substring(0, i) + s.substring(i + 1); // deleted
            case 1 -> s.substring(0, i) + x + s.substring(i); // inserted
            case 2 -> s.substring(0, i) + x + s.substring(i + 1); // replaced
            default -> i < s.length() - 1 ? s.substring(0, i) + s.charAt(i + 1) + s.charAt(i) + s.substring(i + 2)
                    : s.substring(0, i); // swapped, or the last letter lost
        };
    }

    private static String formatted(Random random, String e164ish) {
        String d = e164ish.replaceAll("[^0-9]", "");
        d = d.substring(d.length() - 10);
        String[] p = {"1", d.substring(0, 3), d.substring(3, 6), d.substring(6)};
        return switch (random.nextInt(3)) {
            case 0 -> "(" + p[1] + ") " + p[2] + "-" + p[3];
            case 1 -> p[1] + "." + p[2] + "." + p[3];
            default -> "+1-" + p[1] + "-" + p[2] + "-" + p[3];
        };
    }

    private static String ascii(String s) {
        String d = Normalizer.normalize(s, Normalizer.Form.NFKD).toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder();
        for (char c : d.toCharArray()) {
            if (c >= 'a' && c <= 'z') {
                b.append(c);
            }
        }
        return b.toString();
    }
}
