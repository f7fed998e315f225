package org.crmkit.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The idempotency store and the token bucket, on their own (a fake clock for the bucket). */
class StoresTest {
    @Test
    void aKeyStillRunningIs409AndA5xxIsNotKept() {
        IdempotencyStore store = new IdempotencyStore(10, Duration.ofHours(1));
        ProblemException[] inner = new ProblemException[1];
        Reply first = store.once("ada", "k", "f", () -> {
            try {
                store.once("ada", "k", "f", () -> Reply.json(201, new byte[0]));
            } catch (ProblemException e) {
                inner[0] = e;
            }
            return Reply.json(201, new byte[] {'1'});
        });
        assertThat(inner[0]).isNotNull();
        assertThat(inner[0].problem().status()).isEqualTo(409);
        assertThat(first.status()).isEqualTo(201);

        AtomicInteger runs = new AtomicInteger();
        store.once("ada", "k5", "f", () -> {
            runs.incrementAndGet();
            return Reply.json(503, new byte[0]);
        });
        Reply second = store.once("ada", "k5", "f", () -> {
            runs.incrementAndGet();
            return Reply.json(201, new byte[0]);
        });
        assertThat(runs).hasValue(2);
        assertThat(second.status()).isEqualTo(201);
        assertThatThrownBy(() -> store.once("ada", "k5", "other", () -> Reply.json(201, new byte[0])))
                .isInstanceOf(ProblemException.class);
    }

    @Test
    void keysAreBoundedInNumber() {
        IdempotencyStore store = new IdempotencyStore(5, Duration.ofHours(1));
        for (int i = 0; i < 200; i++) {
            store.once("ada", "k" + i, "f", () -> Reply.json(201, new byte[0]));
        }
        assertThat(store.size()).isLessThanOrEqualTo(5);
    }

    @Test
    void theBucketRefillsOneTokenPerPeriodUpToItsCapacity() {
        AtomicLong now = new AtomicLong(0);
        RateLimiter limiter = new RateLimiter(2, Duration.ofSeconds(10), now::get);
        assertThat(limiter.acquire("ada")).isEmpty();
        assertThat(limiter.acquire("ada")).isEmpty();
        assertThat(limiter.acquire("ada")).isEqualTo(OptionalLong.of(10));
        now.addAndGet(Duration.ofSeconds(4).toNanos());
        assertThat(limiter.acquire("ada")).isEqualTo(OptionalLong.of(6));
        now.addAndGet(Duration.ofSeconds(6).toNanos());
        assertThat(limiter.acquire("ada")).isEmpty();
        assertThat(limiter.acquire("ada")).isPresent();
        now.addAndGet(Duration.ofHours(1).toNanos());
        assertThat(limiter.acquire("ada")).isEmpty();
        assertThat(limiter.acquire("ada")).isEmpty();
        assertThat(limiter.acquire("ada")).isPresent(); // capacity 2, however long the rest
        assertThat(limiter.acquire("bob")).isEmpty();
    }
}
