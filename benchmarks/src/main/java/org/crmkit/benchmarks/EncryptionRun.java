package org.crmkit.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.keys.KeyProviders;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.security.Principal;
import org.crmkit.storage.jdbc.JdbcStorage;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * The encrypted-field lines of {@link SecuritySuite} on one database: two {@code Crm}s on it, each under a table
 * prefix of its own ({@code e} and {@code u}), both built with keys from {@link KeyProviders#generated()}, and both
 * with the same five custom fields on {@code contact} ({@link #fields}): {@code tax_id} (text, indexed),
 * {@code iban}, {@code passport_no} (text), {@code private_email} (email) and {@code private_phone} (phone). On one
 * they are flagged {@code encrypted} ({@code tax_id} then gets AES-256-SIV, being indexed, the other four
 * AES-256-GCM), on the other not. Both import the same {@link #contacts}, then:
 *
 * <ul>
 *   <li>{@code security.<db>.encrypted_get}: {@code get(id)} as the system principal of random contacts (the same on
 *       both sides), reading a decrypted value of each;</li>
 *   <li>{@code security.<db>.encrypted_update}: {@code update(id, version, Map.of("iban", v))} of random contacts at
 *       their version, each with a new value.</li>
 * </ul>
 *
 * Each reports the median time per operation of {@link BenchConfig#rounds()} (at least {@value #MIN_ROUNDS}) rounds of {@code --ops} operations,
 * the two sides' rounds alternating ({@link Timing#interleavedMedians}). Before timing, a sample of rows must hold
 * ciphertext ({@code crmk:ed:}/{@code crmk:ea:}) in the encrypted side's table and the plaintext in the other's,
 * and read back as written on both; after the updates, both sides must be at the same versions with the same
 * values.
 */
final class EncryptionRun {
    static final String UPDATED = "iban";
    static final int CHECKED_ROWS = 200;
    /**
     * Untimed passes of each side before the timed rounds: more than {@link SecuritySuite#WARMUPS}, because on H2
     * the encrypted side's first passes after the import ran up to 2.3 times as long as its later ones (its bigger
     * rows fill the page cache later; its cipher code is compiled later), and settled after about four passes of
     * 2,000 updates: with two, the median mixed warm-up with steady state and swung from 0.8 to 1.8 from one run to
     * the next.
     */
    static final int WARMUPS = 5;
    /**
     * The fewest timed rounds: on H2 whole rounds of either side ran up to 1.4 times as long as their neighbours,
     * CPU-bound through the whole stack (not GC, not file writes), so a median of five rounds still swung between
     * 0.84 and 1.46 for the same build; of eleven, it held within 0.9 to 1.15.
     */
    static final int MIN_ROUNDS = 11;
    private static final String[] FIRST_NAMES = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances",
            "John", "Margaret", "Niklaus"};

    private final BenchDatabase db;
    private final String name;
    private final long seed;
    private final int rounds;
    private final int n;
    private final int ops;

    EncryptionRun(BenchDatabase db, BenchConfig config, int contacts, int ops) {
        this.db = db;
        this.name = "security." + db.name;
        this.seed = config.seed();
        this.rounds = Math.max(config.rounds(), MIN_ROUNDS);
        this.n = contacts;
        this.ops = ops;
    }

    /** The five custom fields, flagged {@code encrypted} or not. */
    static List<Field> fields(boolean encrypted) {
        return List.of(Field.text("tax_id").maxLength(11).indexed(true), Field.text("iban").maxLength(34),
                Field.text("passport_no").maxLength(9), Field.email("private_email"), Field.phone("private_phone"))
                .stream().map(f -> f.encrypted(encrypted)).toList();
    }

    /**
     * {@code count} contacts, the same for the same seed: a first and a last name and the five fields, each value in
     * CRMKit's canonical form (emails in lower case, phones in E.164), so the plain side stores exactly these.
     */
    static List<Map<String, Object>> contacts(int count, long seed) {
        Random random = new Random(seed ^ 0x5EC0DEL);
        List<Map<String, Object>> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("first_name", FIRST_NAMES[random.nextInt(FIRST_NAMES.length)]);
            row.put("last_name", String.format(Locale.ROOT, "Person %07d", i + 1));
            row.put("tax_id", String.format(Locale.ROOT, "%03d-%02d-%04d", 100 + random.nextInt(800),
                    10 + random.nextInt(90), random.nextInt(10_000)));
            row.put("iban", String.format(Locale.ROOT, "DE%02d%09d%09d", random.nextInt(100),
                    random.nextInt(1_000_000_000), random.nextInt(1_000_000_000)));
            row.put("passport_no", String.format(Locale.ROOT, "%c%c%07d", (char) ('C' + random.nextInt(20)),
                    (char) ('C' + random.nextInt(20)), random.nextInt(10_000_000)));
            row.put("private_email", "person" + (i + 1) + "@mail.example.org");
            row.put("private_phone", ContactData.e164(random));
            rows.add(Map.copyOf(row));
        }
        return rows;
    }

    void run(BenchOutput out) throws Exception {
        List<Map<String, Object>> rows = contacts(n, seed);
        try (HikariDataSource pool = db.baselinePool();
                Side encrypted = new Side("encrypted", db, "e", true);
                Side plain = new Side("unencrypted", db, "u", false)) {
            for (Side side : List.of(plain, encrypted)) {
                long t0 = System.nanoTime();
                side.load(rows);
                SecuritySuite.note(name, "%s: %d contacts imported in %.1f s", side.label, n,
                        (System.nanoTime() - t0) / 1e9);
                db.analyze(pool, side.table);
            }
            check(pool, encrypted, plain, rows, sample(0));
            SecuritySuite.note(name, "the fields of %d sampled contacts are ciphertext in %s, plaintext in %s, and "
                    + "read back as written on both", CHECKED_ROWS, encrypted.table, plain.table);
            out.report(measure("encrypted_get", encrypted, plain, this::gets));
            out.report(measure("encrypted_update", encrypted, plain, this::updates));
            if (!Arrays.equals(encrypted.versions, plain.versions)) {
                throw new IllegalStateException("after the updates the two sides' contacts are at different versions");
            }
            for (int i : sample(1)) { // the value the updates left, which the check expects on both sides
                rows.set(i, withValue(rows.get(i), plain.contacts.get(plain.ids[i]).getString(UPDATED)));
            }
            check(pool, encrypted, plain, rows, sample(1));
        }
    }

    private static Map<String, Object> withValue(Map<String, Object> row, @Nullable String v) {
        Map<String, Object> copy = new LinkedHashMap<>(row);
        copy.put(UPDATED, Objects.requireNonNull(v, "an updated value"));
        return copy;
    }

    /** {@value #CHECKED_ROWS} row numbers: the first, the last and random ones. */
    private int[] sample(int salt) {
        int[] rows = new Random(seed * 13 + salt).ints(CHECKED_ROWS, 0, n).toArray();
        rows[0] = 0;
        rows[rows.length - 1] = n - 1;
        return rows;
    }

    /**
     * For each of {@code sample}: the encrypted side's table holds a deterministic ciphertext of {@code tax_id} and a
     * randomised one of the other four fields, never the value; the plain side's holds the values; both read back
     * {@code rows}' values. The updated field is checked against the plain side's stored value.
     */
    private void check(HikariDataSource pool, Side encrypted, Side plain, List<Map<String, Object>> rows,
            int[] sample) throws Exception {
        for (int i : sample) {
            Map<String, Object> row = rows.get(i);
            Map<String, String> cipher = stored(pool, encrypted, encrypted.ids[i]);
            Map<String, String> clear = stored(pool, plain, plain.ids[i]);
            for (Field f : fields(false)) {
                String field = f.name();
                String c = cipher.get(field);
                String prefix = field.equals("tax_id") ? "crmk:ed:" : "crmk:ea:";
                if (c == null || !c.startsWith(prefix) || c.contains(String.valueOf(row.get(field)))) {
                    throw new IllegalStateException("row " + (i + 1) + ": " + encrypted.table + "." + field
                            + " is not " + prefix + " ciphertext: " + c);
                }
                if (!Objects.equals(clear.get(field), row.get(field))) {
                    throw new IllegalStateException("row " + (i + 1) + ": " + plain.table + "." + field + " holds "
                            + clear.get(field) + ", written as " + row.get(field));
                }
            }
            for (Side side : List.of(encrypted, plain)) {
                Record r = side.contacts.get(side.ids[i]);
                for (Map.Entry<String, Object> e : row.entrySet()) {
                    if (!Objects.equals(r.get(e.getKey()), e.getValue())) {
                        throw new IllegalStateException("row " + (i + 1) + " on the " + side.label + " side reads "
                                + e.getKey() + " back as " + r.get(e.getKey()) + ", written as " + e.getValue());
                    }
                }
            }
        }
    }

    /** The five fields' stored text of one row, read with plain SQL. */
    private Map<String, String> stored(HikariDataSource pool, Side side, UUID id) throws Exception {
        try (Connection c = pool.getConnection()) {
            org.jooq.Record r = DSL.using(c, db.dialect)
                    .select(fields(false).stream().map(f -> DSL.field(DSL.name(f.name()), String.class)).toList())
                    .from(DSL.table(DSL.name(side.table)))
                    .where(DSL.field(DSL.name("id"), UUID.class).eq(id))
                    .fetchOne();
            if (r == null) {
                throw new IllegalStateException(side.table + " has no row " + id);
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (Field f : fields(false)) {
                values.put(f.name(), r.get(f.name(), String.class));
            }
            return values;
        }
    }

    // ---- measuring ---------------------------------------------------------------------------------------

    /** One side's pass of {@code ops} operations. */
    @FunctionalInterface
    private interface PassOf {
        Timing.Pass on(Side side);
    }

    private BenchLine measure(String figure, Side encrypted, Side plain, PassOf pass) throws Exception {
        Timing.Pair t = Timing.interleavedMedians(WARMUPS, rounds, ops, pass.on(encrypted),
                pass.on(plain));
        SecuritySuite.note(name, "%s: %d operations per round, %d rounds", figure, ops, rounds);
        return new BenchLine(name + "." + figure, t.crmkit(), t.baseline());
    }

    /** Row numbers to work on in pass {@code pass}, the same for both sides. */
    private int[] picks(long pass) {
        return new Random(seed * 31 + pass).ints(ops, 0, n).toArray();
    }

    private Timing.Pass gets(Side side) {
        return pass -> {
            int[] rows = picks(pass);
            long sum = 0;
            long t0 = System.nanoTime();
            for (int i : rows) {
                Record r = side.contacts.get(side.ids[i]);
                sum += r.version() + String.valueOf(r.get(UPDATED)).length();
            }
            long elapsed = System.nanoTime() - t0;
            Timing.consume(sum);
            return elapsed;
        };
    }

    /** Updates of {@value #UPDATED}, each to a value no earlier update wrote. */
    private Timing.Pass updates(Side side) {
        return pass -> {
            int[] rows = picks(pass + 1_000_000L);
            String[] values = new String[rows.length];
            for (int k = 0; k < rows.length; k++) {
                values[k] = String.format(Locale.ROOT, "DE%02d%018d", pass % 100, pass * 1_000_000L + k);
            }
            long t0 = System.nanoTime();
            for (int k = 0; k < rows.length; k++) {
                int i = rows[k];
                side.versions[i] = side.contacts.update(side.ids[i], side.versions[i], Map.of(UPDATED, values[k]))
                        .version();
            }
            return System.nanoTime() - t0;
        };
    }

    /** One {@code Crm} of the comparison and what the run keeps of its contacts. */
    private static final class Side implements AutoCloseable {
        final String label;
        final Crm crm;
        final RecordSet contacts;
        final String table;
        UUID[] ids = new UUID[0];
        long[] versions = new long[0];

        Side(String label, BenchDatabase db, String role, boolean encrypted) {
            this.label = label;
            JdbcStorage storage = db.crmkitStorage(role);
            this.crm = Crm.builder().storage(storage).keys(KeyProviders.generated()).build();
            for (Field f : fields(encrypted)) {
                crm.schema().addField("contact", f);
            }
            this.contacts = crm.as(Principal.SYSTEM).records("contact");
            this.table = storage.tablePrefix() + "crm_contact";
        }

        void load(List<Map<String, Object>> rows) {
            ids = DealCrm.ids(contacts.importRecords("bench-contacts", rows, DealCrm.IMPORT), rows.size());
            versions = new long[rows.size()];
            Arrays.fill(versions, 1L);
        }

        @Override
        public void close() {
            crm.close();
        }
    }
}
