package org.crmkit.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** A broker test skips when its broker does not answer, and fails instead under CRMKIT_TEST_REQUIRE_SERVICES=true. */
class RequiredServiceTest {
    @Test
    void aServiceThatDoesNotAnswerSkipsOrFailsAsTheEnvironmentSays() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Throwable t = catchThrowable(() -> RequiredService.requireAvailable("Nothing", "127.0.0.1", port));
        if ("true".equalsIgnoreCase(System.getenv("CRMKIT_TEST_REQUIRE_SERVICES"))) {
            assertThat(t).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("CRMKIT_TEST_REQUIRE_SERVICES=true, so this is a failure");
        } else {
            assertThat(t).isInstanceOf(TestAbortedException.class).hasMessageContaining("Nothing does not answer");
        }
    }

    @Test
    void aServiceThatAnswersPasses() throws Exception {
        try (ServerSocket open = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            RequiredService.requireAvailable("Something", "127.0.0.1", open.getLocalPort());
        }
    }
}
