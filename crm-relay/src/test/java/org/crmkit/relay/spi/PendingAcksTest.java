package org.crmkit.relay.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PendingAcksTest {
    @Test
    void waitsForEveryAckAndForgetsThem() {
        PendingAcks acks = new PendingAcks("p");
        CompletableFuture<String> late = new CompletableFuture<>();
        acks.add(CompletableFuture.completedFuture("a"));
        acks.add(late);
        Thread.ofPlatform().start(() -> late.complete("b"));
        acks.await(Duration.ofSeconds(30));
        CompletableFuture<String> never = new CompletableFuture<>();
        acks.await(Duration.ofMillis(1)); // nothing pending any more
        acks.add(never);
        acks.cancel();
        assertThat(never).isCancelled();
        acks.await(Duration.ofMillis(1));
    }

    @Test
    void aRefusedOrMissingAckFailsNamingThePublisher() {
        PendingAcks acks = new PendingAcks("broker x");
        acks.add(CompletableFuture.completedFuture("ok"));
        acks.add(CompletableFuture.failedFuture(new IllegalArgumentException("nack 42")));
        assertThatThrownBy(() -> acks.await(Duration.ofSeconds(30))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("broker x: a publish was refused").hasMessageContaining("nack 42");
        acks.add(new CompletableFuture<>());
        assertThatThrownBy(() -> acks.await(Duration.ofMillis(20))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("broker x: no acks within");
        acks.await(Duration.ofMillis(1)); // the failed ones are forgotten
    }
}
