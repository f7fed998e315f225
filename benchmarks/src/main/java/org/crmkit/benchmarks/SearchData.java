package org.crmkit.benchmarks;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import net.datafaker.Faker;
import org.jspecify.annotations.Nullable;

/**
 * The search suite's data: Datafaker contacts from a fixed seed (first and last name, an email made of them and
 * the row number, a valid US or UK phone, a job title), one in eight named from {@link WorldNames} instead (names
 * of many languages, accented, some of three letters; half the queries made of them typed without accents), and a query set made from sampled ("held-out") contacts
 * the way people mistype: one typo, two typos in a long word, a dropped or doubled letter, the words swapped, a
 * name spelled by its sound, the local part of the email, the last seven digits of the phone or its national form.
 * Every query knows which contacts answer it: those with the same values in the fields it was made from (a
 * common name has many), so recall does not punish an engine for returning another "John Smith".
 */
final class SearchData {
    /** The kinds of queries, made in turn. */
    enum Kind {
        TYPO, TWO_TYPOS, DROPPED, DOUBLED, SWAPPED, PHONETIC, EMAIL, PHONE, PHONE_NATIONAL
    }

    /** One contact's values as imported. */
    record Contact(String first, String last, String email, String phone, String title) {
        Map<String, Object> values() {
            return Map.of("first_name", first, "last_name", last, "email", email, "phone", phone, "title", title);
        }
    }

    /** A query, the contacts (by row number) that answer it, and whether it was made of a {@link WorldNames} name. */
    record QueryCase(Kind kind, String text, Set<Integer> answers, boolean world) {}

    private static final String[] US_AREAS = {"212", "213", "305", "312", "415", "503", "512", "617", "646", "702",
            "713", "718", "917", "206", "404"};
    private static final String[] DOMAINS = {"example.com", "example.org", "mail.example.net", "corp.example"};
    /** Spelling by sound: each pair rewrites the first to the second (and back, listed twice). */
    private static final String[][] SOUNDS = {{"ph", "f"}, {"f", "ph"}, {"y", "i"}, {"i", "y"}, {"ck", "k"},
            {"c", "k"}, {"k", "c"}, {"ee", "ea"}, {"ea", "ee"}, {"ou", "ow"}, {"tt", "t"}, {"ll", "l"}, {"s", "z"},
            {"z", "s"}, {"ie", "y"}, {"v", "ph"}, {"th", "t"}, {"oe", "o"}, {"ai", "ay"}, {"ey", "ay"}, {"mm", "m"},
            {"nn", "n"}, {"rr", "r"}, {"ss", "s"}, {"dt", "t"}, {"tz", "ts"}, {"w", "v"}, {"j", "g"}};

    /** One contact in this many has a name of {@link WorldNames} instead of Datafaker's. */
    private static final int WORLD_SHARE = 8;

    private SearchData() {}

    static List<Contact> contacts(int count, long seed) {
        Faker faker = new Faker(Locale.US, new Random(seed));
        Random random = new Random(seed ^ 0x9E3779B97F4A7C15L);
        Random world = new Random(seed * 31 + 7); // its own sequence: Datafaker's contacts stay those of before
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        List<Contact> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String first = faker.name().firstName();
            String last = faker.name().lastName();
            if (world.nextInt(WORLD_SHARE) == 0) {
                String[] name = WorldNames.pick(world);
                first = name[0];
                last = name[1];
            }
            String email = local(first) + "." + local(last) + "." + i + "@" + DOMAINS[random.nextInt(DOMAINS.length)];
            out.add(new Contact(first, last, email, phone(util, random), faker.job().title()));
        }
        return out;
    }

    /** A valid phone in E.164: mostly US numbers, a fifth London ones. */
    private static String phone(PhoneNumberUtil util, Random random) {
        while (true) {
            String e164 = random.nextInt(5) == 0
                    ? "+4420" + (3 + random.nextInt(2) * 4)
                            + String.format(Locale.ROOT, "%07d", random.nextInt(10_000_000))
                    : "+1" + US_AREAS[random.nextInt(US_AREAS.length)] + (200 + random.nextInt(800))
                            + String.format(Locale.ROOT, "%04d", random.nextInt(10_000));
            try {
                Phonenumber.PhoneNumber n = util.parse(e164, "ZZ");
                if (util.isValidNumber(n)) {
                    return e164;
                }
            } catch (com.google.i18n.phonenumbers.NumberParseException e) {
                // try another
            }
        }
    }

    private static String local(String name) {
        String s = ascii(name).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return s.isEmpty() ? "x" : s;
    }

    /** As typed on a keyboard without accents: "Łukasz Wiśniewski" is "Lukasz Wisniewski", "Søren" "Soren". */
    static String ascii(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : Normalizer.normalize(s, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "").toCharArray()) {
            switch (c) {
                case 'ł' -> sb.append('l');
                case 'Ł' -> sb.append('L');
                case 'ø' -> sb.append('o');
                case 'Ø' -> sb.append('O');
                case 'đ' -> sb.append('d');
                case 'Đ' -> sb.append('D');
                case 'þ' -> sb.append("th");
                case 'Þ' -> sb.append("Th");
                case 'ı' -> sb.append('i');
                case 'ß' -> sb.append("ss");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    static String fold(String s) {
        return Normalizer.normalize(s.toLowerCase(Locale.ROOT), Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
    }

    /**
     * {@code count} queries from contacts sampled with {@code seed}, the kinds in turn; a sampled contact that
     * cannot make its kind (no word long enough for two typos, no sound to rewrite) is passed over.
     */
    static List<QueryCase> queries(List<Contact> contacts, int count, long seed) {
        Random random = new Random(seed * 7919 + 1);
        Map<String, List<Integer>> byName = index(contacts, c -> fold(c.first()) + " " + fold(c.last()));
        Map<String, List<Integer>> byLocal = index(contacts, c -> c.email().substring(0, c.email().indexOf('@')));
        Map<String, List<Integer>> byLast7 = index(contacts, c -> digits(c.phone()).substring(
                digits(c.phone()).length() - 7));
        Map<String, List<Integer>> byNational = index(contacts, c -> national(c.phone()));
        Kind[] kinds = Kind.values();
        List<QueryCase> out = new ArrayList<>(count);
        int attempts = 0;
        while (out.size() < count && attempts++ < count * 50) {
            Kind kind = kinds[out.size() % kinds.length];
            int row = random.nextInt(contacts.size());
            Contact c = contacts.get(row);
            String first = c.first();
            String last = c.last();
            String text = switch (kind) {
                case TYPO -> random.nextBoolean() ? edit(first, 1, random) + " " + last : first + " " + edit(last, 1,
                        random);
                case TWO_TYPOS -> last.length() >= 8 ? first + " " + edit(last, 2, random)
                        : first.length() >= 8 ? edit(first, 2, random) + " " + last : null;
                case DROPPED -> drop(random.nextBoolean() ? first : last, random, first, last);
                case DOUBLED -> doubled(random.nextBoolean() ? first : last, random, first, last);
                case SWAPPED -> last + " " + first;
                case PHONETIC -> sound(first, last, random);
                case EMAIL -> c.email().substring(0, c.email().indexOf('@'));
                case PHONE -> digits(c.phone()).substring(digits(c.phone()).length() - 7);
                case PHONE_NATIONAL -> national(c.phone());
            };
            if (text == null) {
                continue;
            }
            if (!isAscii(first + last) && kind.ordinal() <= Kind.PHONETIC.ordinal() && random.nextBoolean()) {
                text = ascii(text); // half the accented names typed without their accents
            }
            List<Integer> answers = switch (kind) {
                case EMAIL -> byLocal.get(text);
                case PHONE -> byLast7.get(text);
                case PHONE_NATIONAL -> byNational.get(text);
                default -> byName.get(fold(first) + " " + fold(last));
            };
            out.add(new QueryCase(kind, text, Set.copyOf(answers), WorldNames.holds(first)));
        }
        return out;
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }

    private static Map<String, List<Integer>> index(List<Contact> contacts, Function<Contact, String> key) {
        Map<String, List<Integer>> out = new HashMap<>();
        for (int i = 0; i < contacts.size(); i++) {
            out.computeIfAbsent(key.apply(contacts.get(i)), k -> new ArrayList<>(1)).add(i);
        }
        return out;
    }

    static String digits(String s) {
        return s.replaceAll("[^0-9]", "");
    }

    /** The national form as people type it: "(212) 555-0142", "020 7946 0958". */
    static String national(String e164) {
        String d = digits(e164);
        if (e164.startsWith("+1")) {
            return "(" + d.substring(1, 4) + ") " + d.substring(4, 7) + "-" + d.substring(7);
        }
        return "0" + d.substring(2, 4) + " " + d.substring(4, 8) + " " + d.substring(8);
    }

    /** The word with {@code edits} typing errors (substitution, insertion, deletion, swap of neighbours). */
    static String edit(String word, int edits, Random random) {
        String w = word;
        for (int e = 0; e < edits; e++) {
            int n = w.length();
            int at = 1 + random.nextInt(Math.max(1, n - 1));
            w = switch (random.nextInt(4)) {
                case 0 -> w.substring(0, at - 1) + letter(random) + w.substring(at);
                case 1 -> w.substring(0, at) + letter(random) + w.substring(at);
                case 2 -> n > 3 ? w.substring(0, at - 1) + w.substring(at) : w + letter(random);
                default -> at < n ? w.substring(0, at - 1) + w.charAt(at) + w.charAt(at - 1) + w.substring(at + 1)
                        : w.substring(0, n - 1) + letter(random);
            };
        }
        return w;
    }

    private static char letter(Random random) {
        return (char) ('a' + random.nextInt(26));
    }

    private static @Nullable String drop(String word, Random random, String first, String last) {
        if (word.length() < 5) {
            return null;
        }
        int at = 1 + random.nextInt(word.length() - 1);
        String w = word.substring(0, at) + word.substring(at + 1);
        return word.equals(first) ? w + " " + last : first + " " + w;
    }

    private static String doubled(String word, Random random, String first, String last) {
        int at = random.nextInt(word.length());
        String w = word.substring(0, at + 1) + word.charAt(at) + word.substring(at + 1);
        return word.equals(first) ? w + " " + last : first + " " + w;
    }

    /** A name written as it sounds: one rewrite of {@link #SOUNDS} in the first or last name. */
    private static @Nullable String sound(String first, String last, Random random) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String[] s : SOUNDS) {
            for (String name : List.of(first, last)) {
                String lower = name.toLowerCase(Locale.ROOT);
                int at = lower.indexOf(s[0], 1);
                if (at > 0) {
                    String rewritten = name.substring(0, at) + s[1] + name.substring(at + s[0].length());
                    options.put(name.equals(first) ? rewritten + " " + last : first + " " + rewritten, "");
                }
            }
        }
        if (options.isEmpty()) {
            return null;
        }
        List<String> list = new ArrayList<>(options.keySet());
        return list.get(random.nextInt(list.size()));
    }
}
