package org.crmkit.benchmarks.jmh;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.crmkit.error.FieldError;
import org.crmkit.internal.value.ValueConverter;
import org.crmkit.record.Money;
import org.crmkit.schema.Field;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * {@code value.convert}: time to turn one imported row of text (twelve fields, one of each common field type:
 * text, integer, decimal, currency, percent, boolean, date, date-time, email, phone, URL, picklist) into canonical
 * values through CRMKit's {@link ValueConverter} (region US, currency USD), against a hand-written parse of the same
 * text ({@code Long.parseLong}, {@code BigDecimal}, {@code LocalDate.parse}, libphonenumber's parse and E.164
 * format, {@code URI}...). The setup checks that both sides give equal values for every row. This is the only
 * class of the benchmarks that uses CRMKit's internal API: the public write path adds storage, access and change
 * log work that would hide the conversion.
 */
public class ValueConversionBenchmark extends ComparisonBenchmark {
    private static final String[] TIERS = {"bronze", "silver", "gold", "platinum"};
    private static final String[] AREA_CODES = {"212", "312", "415", "617", "718"};
    private static final List<Field> FIELDS = List.of(
            Field.text("title"),
            Field.integer("employees"),
            Field.decimal("discount"),
            Field.currency("amount"),
            Field.percent("probability"),
            Field.bool("active"),
            Field.date("close_date"),
            Field.datetime("last_contacted"),
            Field.email("email"),
            Field.phone("phone"),
            Field.url("website"),
            Field.picklist("tier", TIERS));

    /** Distinct rows cycled through. */
    @Param("1000")
    public int rows;

    /** Seed of the rows. */
    @Param("42")
    public long seed;

    private final ValueConverter converter = new ValueConverter("US", "USD");
    private final List<FieldError> errors = new ArrayList<>();
    private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
    private final Set<String> tiers = Set.of(TIERS);
    private String[][] text;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Random rnd = new Random(seed);
        text = new String[rows][];
        for (int i = 0; i < rows; i++) {
            text[i] = new String[] {
                    "Head of Sales " + i,
                    String.valueOf(1 + rnd.nextInt(100_000)),
                    BigDecimal.valueOf(rnd.nextInt(10_000), 2).toPlainString(),
                    BigDecimal.valueOf(rnd.nextInt(10_000_000), 2).toPlainString(),
                    String.valueOf(rnd.nextInt(101)),
                    String.valueOf(rnd.nextBoolean()),
                    LocalDate.of(2026, 1 + rnd.nextInt(12), 1 + rnd.nextInt(28)).toString(),
                    Instant.parse("2026-01-01T00:00:00Z").plusSeconds(rnd.nextInt(31_536_000)).toString(),
                    " Contact." + i + "@Example" + rnd.nextInt(50) + ".COM",
                    "(" + AREA_CODES[rnd.nextInt(AREA_CODES.length)] + ") 555-01" + (10 + rnd.nextInt(90)),
                    "https://www.example" + rnd.nextInt(50) + ".com/p/" + i,
                    TIERS[rnd.nextInt(TIERS.length)]};
        }
        for (String[] row : text) {
            Object[] a = convert(row);
            Object[] b = parse(row);
            for (int f = 0; f < FIELDS.size(); f++) {
                if (a[f] == null || !Objects.equals(a[f], b[f])) {
                    throw new IllegalStateException("value.convert: " + FIELDS.get(f).name() + " '" + row[f]
                            + "' gives " + a[f] + " through ValueConverter, " + b[f] + " by hand; " + errors);
                }
            }
        }
        System.err.printf("# value.convert: %d rows of %d fields, ValueConverter and the hand-written parse agree%n",
                rows, FIELDS.size());
    }

    private String[] nextRow() {
        String[] row = text[next];
        next = next + 1 == rows ? 0 : next + 1;
        return row;
    }

    private Object[] convert(String[] row) {
        Object[] out = new Object[row.length];
        for (int f = 0; f < row.length; f++) {
            out[f] = converter.convert(FIELDS.get(f), row[f], errors);
        }
        return out;
    }

    /** The same fields by hand: what an application would write without CRMKit's codecs. */
    private Object[] parse(String[] row) throws NumberParseException, URISyntaxException {
        String title = row[0].strip();
        String email = row[8].strip();
        int at = email.lastIndexOf('@');
        Phonenumber.PhoneNumber phone = phones.parse(row[9], "US");
        URI website = new URI(row[10].strip());
        String tier = row[11].strip();
        return new Object[] {
                title.length() <= 255 ? title : null,
                Long.parseLong(row[1].strip()),
                new BigDecimal(row[2].strip()).setScale(2, RoundingMode.UNNECESSARY),
                new Money(new BigDecimal(row[3].strip()).setScale(2, RoundingMode.UNNECESSARY), "USD"),
                new BigDecimal(row[4].strip()).setScale(2, RoundingMode.UNNECESSARY),
                Boolean.valueOf(row[5].strip().equalsIgnoreCase("true")),
                LocalDate.parse(row[6].strip()),
                Instant.parse(row[7].strip()),
                at > 0 ? email.substring(0, at) + email.substring(at).toLowerCase(Locale.ROOT) : null,
                phones.isValidNumber(phone) ? phones.format(phone, PhoneNumberUtil.PhoneNumberFormat.E164) : null,
                website.getHost() != null && website.getScheme().startsWith("http") ? website.toString() : null,
                tiers.contains(tier) ? tier : null};
    }

    @Benchmark
    public Object[] crmkit() {
        return convert(nextRow());
    }

    @Benchmark
    public Object[] baseline() throws Exception {
        return parse(nextRow());
    }
}
