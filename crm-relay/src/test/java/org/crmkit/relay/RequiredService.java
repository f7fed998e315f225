package org.crmkit.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Assumptions;

/**
 * The broker a test needs must answer: when it does not, the test is skipped with a message saying so, or fails
 * when {@code CRMKIT_TEST_REQUIRE_SERVICES=true} (as {@code .ci/run} sets it), as crm-storage-jdbc's
 * {@code TestDatabase.requireAvailable} does for databases.
 */
public final class RequiredService {
    private RequiredService() {}

    public static void requireAvailable(String service, String host, int port) {
        String why;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            return;
        } catch (IOException e) {
            why = e.toString();
        }
        String message = service + " does not answer at " + host + ":" + port + " (" + why + "); start it to run "
                + "these tests (.ci/run starts it)";
        if ("true".equalsIgnoreCase(System.getenv("CRMKIT_TEST_REQUIRE_SERVICES"))) {
            throw new AssertionError(message + " [CRMKIT_TEST_REQUIRE_SERVICES=true, so this is a failure]");
        }
        Assumptions.abort(message);
    }
}
