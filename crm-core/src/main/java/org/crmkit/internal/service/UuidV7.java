package org.crmkit.internal.service;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.UUIDClock;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;

/** Time-ordered UUIDv7 ids (RFC 9562) drawn from the engine's clock, monotonic within a millisecond. */
final class UuidV7 implements Supplier<UUID> {
    private final com.fasterxml.uuid.impl.TimeBasedEpochGenerator generator;

    UuidV7(Clock clock) {
        UUIDClock uuidClock = new UUIDClock() {
            @Override
            public long currentTimeMillis() {
                return clock.millis();
            }
        };
        this.generator = Generators.timeBasedEpochGenerator(new java.security.SecureRandom(), uuidClock);
    }

    @Override
    public UUID get() {
        return generator.generate();
    }
}
