package org.crmkit.benchmarks.jmh;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.BiPredicate;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.jspecify.annotations.Nullable;

/**
 * The data of {@link RuleMatchBenchmark}: 100 conditions on {@code deal}, each as CEL and as the equivalent Java
 * predicate, in five shapes (amount threshold, stage and probability, name prefix, close date before a timestamp,
 * stage changed to), and repeatable change events (before, after) that exercise them.
 */
final class DealRules {
    static final int RULES = 100;
    private static final String[] STAGES = {"prospecting", "qualification", "proposal", "negotiation", "closed_won",
            "closed_lost"};

    private DealRules() {}

    /** One of the 100 conditions, as CEL and as the equivalent Java predicate over (before, after). */
    record Condition(String cel, BiPredicate<@Nullable Record, Record> java) {}

    /** A change event: the record before (null for a create) and after. */
    record Event(@Nullable Record before, Record after) {}

    static List<Condition> conditions() {
        List<Condition> out = new ArrayList<>();
        for (int i = 0; i < RULES; i++) {
            int k = i / 5;
            switch (i % 5) {
                case 0 -> {
                    double min = 1_000.0 * k;
                    out.add(new Condition("amount != null && amount > " + min,
                            (b, a) -> a.get("amount") != null && amount(a) > min));
                }
                case 1 -> {
                    String stage = STAGES[k % STAGES.length];
                    double p = 5.0 * k;
                    out.add(new Condition("stage == '" + stage + "' && probability != null && probability >= " + p,
                            (b, a) -> stage.equals(a.get("stage")) && a.get("probability") instanceof BigDecimal d
                                    && d.doubleValue() >= p));
                }
                case 2 -> {
                    String prefix = String.valueOf((char) ('A' + k));
                    out.add(new Condition("name.startsWith('" + prefix + "')",
                            (b, a) -> a.get("name") instanceof String s && s.startsWith(prefix)));
                }
                case 3 -> {
                    LocalDate limit = LocalDate.of(2026, 1 + k % 12, 15);
                    out.add(new Condition("close_date != null && close_date < timestamp('" + limit + "T00:00:00Z')",
                            (b, a) -> a.get("close_date") instanceof LocalDate d && d.isBefore(limit)));
                }
                default -> {
                    String stage = STAGES[k % STAGES.length];
                    out.add(new Condition("'stage' in changed && stage == '" + stage + "'",
                            (b, a) -> stage.equals(a.get("stage")) && (b == null || !stage.equals(b.get("stage")))));
                }
            }
        }
        return out;
    }

    private static double amount(Record r) {
        return r.get("amount") instanceof Money m ? m.amount().doubleValue() : Double.NaN;
    }

    /** {@code n} events from {@code seed}: a fifth creates, the rest updates, half of them changing the stage. */
    static List<Event> events(int n, long seed) {
        Random rnd = new Random(seed);
        List<Event> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Map<String, Object> v = new HashMap<>();
            v.put("name", (char) ('A' + rnd.nextInt(26)) + "deal " + i);
            v.put("pipeline", "sales");
            v.put("stage", STAGES[rnd.nextInt(STAGES.length)]);
            if (rnd.nextInt(10) > 0) {
                v.put("amount", Money.of(BigDecimal.valueOf(rnd.nextInt(30_000_000), 2).toPlainString(), "USD"));
            }
            v.put("probability", BigDecimal.valueOf(rnd.nextInt(101)).setScale(2));
            if (rnd.nextBoolean()) {
                v.put("close_date", LocalDate.of(2026, 1 + rnd.nextInt(12), 1 + rnd.nextInt(28)));
            }
            UUID id = new UUID(rnd.nextLong(), rnd.nextLong());
            Record after = deal(id, 2, v);
            Map<String, Object> old = new HashMap<>(v);
            old.put("stage", rnd.nextBoolean() ? v.get("stage") : STAGES[rnd.nextInt(STAGES.length)]);
            Record before = rnd.nextInt(5) == 0 ? null : deal(id, 1, old);
            out.add(new Event(before, after));
        }
        return out;
    }

    private static Record deal(UUID id, long version, Map<String, Object> values) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return new Record(id, "deal", version, "u-1", null, t, "u-1", t, "u-1", null, values);
    }
}
