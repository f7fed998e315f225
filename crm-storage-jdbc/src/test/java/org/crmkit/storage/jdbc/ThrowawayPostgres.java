package org.crmkit.storage.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of a test's own: {@code initdb} in a temporary directory, {@code pg_ctl start} on a free port
 * with its socket in that directory, {@code pg_ctl stop -m immediate} as the crash (every server process quits at
 * once, no checkpoint, recovery from the WAL at the next start). The programs are found through
 * {@code pg_config --bindir}, then {@code /usr/lib/postgresql/<newest>/bin}, then PATH. PostgreSQL refuses to run as
 * root: as root the programs run as the {@code postgres} user ({@code runuser -u postgres --}), which owns the data
 * directory.
 *
 * <p>Commits wait for their WAL to reach the operating system ({@code synchronous_commit} stays on; the tests'
 * {@code synchronous_commit=off} of {@link TestDatabase} would lose acknowledged commits at an immediate stop);
 * {@code fsync=off} only skips the flush to disk, which a killed process does not need.
 */
final class ThrowawayPostgres extends ThrowawayServer {
    private final Path bin;
    private final Path data;
    private final Path log;

    ThrowawayPostgres() {
        super("pg");
        this.bin = findBin().orElseThrow(() -> missing("PostgreSQL's initdb and pg_ctl"));
        this.data = dir.resolve("data");
        this.log = dir.resolve("postgres.log");
    }

    private static Optional<Path> findBin() {
        List<Path> candidates = new ArrayList<>();
        try {
            candidates.add(Path.of(run(List.of("pg_config", "--bindir")).trim()));
        } catch (RuntimeException e) {
            // no pg_config on PATH (Debian ships it with libpq-dev only): try the usual places
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            versions.sorted(Comparator.comparing(ThrowawayPostgres::majorVersion).reversed())
                    .forEach(v -> candidates.add(v.resolve("bin")));
        } catch (IOException | UncheckedIOException e) {
            // not a Debian layout
        }
        onPath("initdb").forEach(p -> candidates.add(p.getParent()));
        return candidates.stream().filter(d -> Files.isExecutable(d.resolve("initdb"))
                && Files.isExecutable(d.resolve("pg_ctl"))).findFirst();
    }

    private static int majorVersion(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    @Override
    void create() {
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.createDirectories(data);
            if (isRoot()) {
                run(List.of("chown", "postgres:", data.toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(asPostgres(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust",
                "-E", "UTF8", "--locale=C", "--no-sync"));
    }

    @Override
    public void startAgain() {
        if (isRoot()) {
            run(List.of("touch", log.toString()));
            run(List.of("chown", "postgres:", log.toString()));
        }
        run(asPostgres(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", log.toString(), "-w", "-t",
                Long.toString(PATIENCE.toSeconds()), "-o", "-p " + port + " -k " + data
                        + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40",
                "start"));
        awaitAnswer(url(), log, () -> Files.exists(data.resolve("postmaster.pid")));
    }

    @Override
    public void crash() {
        run(asPostgres(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
    }

    @Override
    void stopQuietly() {
        if (!Files.exists(data.resolve("postmaster.pid"))) {
            return;
        }
        try {
            crash();
        } catch (RuntimeException e) {
            // already down
        }
    }

    /** The command as the {@code postgres} user when this JVM is root. */
    private static List<String> asPostgres(String... command) {
        List<String> out = new ArrayList<>();
        if (isRoot()) {
            out.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        out.addAll(List.of(command));
        return out;
    }
}
