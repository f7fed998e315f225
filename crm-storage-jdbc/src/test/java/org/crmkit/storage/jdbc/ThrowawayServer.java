package org.crmkit.storage.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A database server of a test's own, for tests that crash the database: made in a temporary directory, listening
 * on a free loopback port (never the shared servers' 5432 and 3306), crashed, started again on the same data, and
 * removed by {@link #close()} (the server stopped, the directory deleted), also when the JVM exits first.
 * {@link ThrowawayPostgres} makes one with {@code initdb} and {@code pg_ctl}, {@link ThrowawayMariaDb} with
 * {@code mariadb-install-db} and {@code mariadbd}.
 *
 * <p>When the programs are missing the calling test is skipped with a message, unless
 * {@code CRMKIT_TEST_REQUIRE_DATABASES=true} (as in {@code .ci/run}), where it fails, as {@link TestDatabase} does.
 */
public abstract sealed class ThrowawayServer implements AutoCloseable permits ThrowawayPostgres, ThrowawayMariaDb {
    /** How long a server may take to start or stop on a busy machine: generous, only a bound against hanging. */
    static final Duration PATIENCE = Duration.ofSeconds(120);

    /** The temporary directory that holds everything of the server. */
    final Path dir;
    /** The loopback port it listens on. */
    final int port;
    private final Thread cleanUpAtExit = new Thread(this::cleanUp);
    private boolean closed;

    ThrowawayServer(String name) {
        try {
            this.dir = Files.createTempDirectory("crmkit-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.port = freePort();
        Runtime.getRuntime().addShutdownHook(cleanUpAtExit);
    }

    /** A throwaway server of the given database (PostgreSQL or MariaDB), made and started. */
    public static ThrowawayServer start(TestDatabase db) {
        ThrowawayServer server = switch (db) {
            case POSTGRES -> new ThrowawayPostgres();
            case MARIADB -> new ThrowawayMariaDb();
            case H2 -> throw new IllegalArgumentException("H2 runs in the test's JVM");
        };
        try {
            server.create();
            server.startAgain();
            return server;
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    /** A JDBC URL of an empty database on this server, for a storage. */
    public abstract String url();

    /** Starts the server on its data directory (again, after {@link #crash()}) and waits until it answers. */
    public abstract void startAgain();

    /** Kills the server at once, as a crash would: no clean shutdown, sessions cut, nothing flushed on the way. */
    public abstract void crash();

    /** Makes the data directory (and the database {@link #url()} names, where that needs the server running). */
    abstract void create();

    /** Stops the server however it can (it may be down already); must not throw. */
    abstract void stopQuietly();

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanUpAtExit);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook runs anyway
        }
    }

    private void cleanUp() {
        stopQuietly();
        deleteRecursively(dir);
    }

    /**
     * Waits until a plain JDBC connection to {@code url} works; fails with the server's log after PATIENCE, or at
     * once when {@code alive} says the server process is gone.
     */
    void awaitAnswer(String url, Path log, java.util.function.BooleanSupplier alive) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline && alive.getAsBoolean()) {
            try (Connection c = DriverManager.getConnection(url)) {
                if (c.isValid(5)) {
                    return;
                }
            } catch (SQLException e) {
                last = e;
            }
            sleep(100);
        }
        throw new IllegalStateException("the throwaway server at " + url + " did not answer within " + PATIENCE
                + (alive.getAsBoolean() ? "" : " (its process ended)") + ": " + (last == null ? "" : last.getMessage())
                + "\n" + tail(log), last);
    }

    /** Runs a program to its end; fails with its output unless it exits 0. */
    static String run(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not end within " + PATIENCE);
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ":\n"
                        + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether this JVM runs as root (PostgreSQL refuses to; MariaDB wants {@code --user=root}). */
    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The first of {@code candidates} that is an executable file. */
    static Optional<Path> executable(Stream<Path> candidates) {
        return candidates.filter(Files::isExecutable).findFirst();
    }

    /** {@code program} in each directory of PATH. */
    static Stream<Path> onPath(String program) {
        String path = System.getenv("PATH");
        List<Path> out = new ArrayList<>();
        for (String d : (path == null ? "" : path).split(java.io.File.pathSeparator)) {
            if (!d.isBlank()) {
                out.add(Path.of(d, program));
            }
        }
        return out.stream();
    }

    /** Skips the calling test (or fails it where databases are required) because {@code what} is missing. */
    static AssertionError missing(String what) {
        String message = what + " not found, so the database crash tests cannot make a throwaway server; install "
                + "the server packages (CONTRIBUTING.md, \"Tests on real servers\")";
        if ("true".equalsIgnoreCase(System.getenv("CRMKIT_TEST_REQUIRE_DATABASES"))) {
            throw new AssertionError(message + " [CRMKIT_TEST_REQUIRE_DATABASES=true, so this is a failure]");
        }
        Assumptions.abort(message);
        return new AssertionError(message); // not reached
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The last lines of a server's log, for a failure message. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log at " + log + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a socket or file the server removes itself as it goes; the directory is temporary anyway
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort: a temporary directory
        }
    }
}
