package org.crmkit.storage.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A MariaDB server of a test's own: {@code mariadb-install-db} into a temporary directory, {@code mariadbd} run by
 * the test on a free port with its own socket, pid file and data directory (no option file read), killed with
 * SIGKILL as the crash (InnoDB recovers from its redo log at the next start). The programs are found on PATH, then
 * in {@code /usr/sbin} and {@code /usr/bin}. The server runs without grant tables, so {@code root} connects over TCP
 * without a password; as root it needs {@code --user=root}.
 *
 * <p>{@code innodb_flush_log_at_trx_commit=2} writes the redo log to the operating system at each commit and skips
 * only the flush to disk, which a killed process does not need.
 */
final class ThrowawayMariaDb extends ThrowawayServer {
    private static final String DATABASE = "crm";

    private final Path installDb;
    private final Path mariadbd;
    private final Path data;
    private final Path log;
    private @Nullable Process server;
    private boolean databaseMade;

    ThrowawayMariaDb() {
        super("mariadb");
        this.installDb = executable(Stream.of("mariadb-install-db", "mysql_install_db").flatMap(p -> Stream.concat(
                onPath(p), Stream.of(Path.of("/usr/bin", p), Path.of("/usr/local/bin", p)))))
                .orElseThrow(() -> missing("mariadb-install-db"));
        this.mariadbd = executable(Stream.of("mariadbd", "mysqld").flatMap(p -> Stream.concat(onPath(p),
                Stream.of(Path.of("/usr/sbin", p), Path.of("/usr/local/sbin", p), Path.of("/usr/libexec", p)))))
                .orElseThrow(() -> missing("mariadbd"));
        this.data = dir.resolve("data");
        this.log = dir.resolve("mariadbd.log");
    }

    @Override
    public String url() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + DATABASE + "?user=root";
    }

    private String serverUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/?user=root";
    }

    @Override
    void create() {
        List<String> command = new ArrayList<>(List.of(installDb.toString(), "--no-defaults",
                "--datadir=" + data, "--skip-test-db", "--auth-root-authentication-method=normal"));
        if (ThrowawayServer.isRoot()) {
            command.add("--user=root");
        }
        run(command);
    }

    @Override
    public synchronized void startAgain() {
        List<String> command = new ArrayList<>(List.of(mariadbd.toString(), "--no-defaults", "--datadir=" + data,
                "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + dir.resolve("mariadb.sock"),
                "--pid-file=" + dir.resolve("mariadb.pid"), "--log-error=" + log, "--skip-grant-tables",
                "--skip-log-bin", "--innodb-buffer-pool-size=64M", "--innodb-flush-log-at-trx-commit=2",
                "--max-connections=60"));
        if (ThrowawayServer.isRoot()) {
            command.add("--user=root");
        }
        Process started;
        try {
            started = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mariadbd.out").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = started;
        awaitAnswer(serverUrl(), log, started::isAlive);
        if (!databaseMade) {
            try (Connection c = DriverManager.getConnection(serverUrl()); Statement s = c.createStatement()) {
                s.execute("create database " + DATABASE + " character set utf8mb4 collate utf8mb4_unicode_ci");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create the database: " + e.getMessage(), e);
            }
            databaseMade = true;
        }
    }

    @Override
    public synchronized void crash() {
        Process p = server;
        if (p == null) {
            throw new IllegalStateException("not running");
        }
        p.destroyForcibly(); // SIGKILL
        try {
            if (!p.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("mariadbd did not die within " + PATIENCE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        server = null;
    }

    @Override
    synchronized void stopQuietly() {
        Process p = server;
        if (p != null) {
            p.destroyForcibly();
            try {
                p.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
    }
}
