package org.crmkit.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that tests set and advance by hand. Thread-safe; its zone is fixed at construction.
 * {@link #withZone(ZoneId)} returns a view in another zone that shares this clock's current instant.
 *
 * <pre>{@code
 * SettableClock clock = SettableClock.at(Instant.parse("2026-01-01T09:00:00Z"));
 * Crm crm = Crm.builder().storage(InMemoryStorage.create()).clock(clock).build();
 * clock.advance(Duration.ofDays(1));
 * }</pre>
 */
public final class SettableClock extends Clock {
    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    private SettableClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** A clock in UTC standing at {@code instant}. */
    public static SettableClock at(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        return at(instant, ZoneOffset.UTC);
    }

    /** A clock in {@code zone} standing at {@code instant}. */
    public static SettableClock at(Instant instant, ZoneId zone) {
        return new SettableClock(new AtomicReference<>(Objects.requireNonNull(instant, "instant")),
                Objects.requireNonNull(zone, "zone"));
    }

    /** A clock in UTC standing at the current system time (truncated to milliseconds). */
    public static SettableClock atSystemTime() {
        return at(Instant.ofEpochMilli(System.currentTimeMillis()));
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** A clock in {@code zone} that shares this clock's instant: setting either moves both. */
    @Override
    public SettableClock withZone(ZoneId newZone) {
        Objects.requireNonNull(newZone, "newZone");
        return newZone.equals(zone) ? this : new SettableClock(now, newZone);
    }

    /** The shared instant; set on construction and by every setter, never null. */
    private Instant current() {
        return Objects.requireNonNull(now.get(), "now");
    }

    @Override
    public Instant instant() {
        return current();
    }

    @Override
    public long millis() {
        return current().toEpochMilli();
    }

    /** Moves the clock to {@code instant} (backwards too). */
    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
    }

    /** Moves the clock by {@code amount} (negative moves it back) and returns the new instant. */
    public Instant advance(Duration amount) {
        Objects.requireNonNull(amount, "amount");
        return now.updateAndGet(i -> i.plus(amount));
    }

    /** {@link #advance(Duration)} by {@code millis} milliseconds. */
    public Instant advanceMillis(long millis) {
        return advance(Duration.ofMillis(millis));
    }

    @Override
    public String toString() {
        return "SettableClock[" + now.get() + "," + zone + "]";
    }
}
