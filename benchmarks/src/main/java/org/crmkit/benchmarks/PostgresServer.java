package org.crmkit.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The PostgreSQL server behind a JDBC URL, for the {@code data} suite: whole databases made and dropped through the
 * URL's own database (the maintenance database), and {@code pg_dump} / {@code pg_restore} run as processes against
 * them with the URL's host, port, user and password.
 */
final class PostgresServer {
    private final String url;
    private final String host;
    private final int port;
    private final String database;
    private final @Nullable String user;
    private final @Nullable String password;
    /** The URL's query, e.g. {@code ?user=postgres}, kept for the URLs of other databases ("" when none). */
    private final String query;

    private PostgresServer(String url, String host, int port, String database, @Nullable String user,
            @Nullable String password, String query) {
        this.url = url;
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
        this.query = query;
    }

    /** Parses {@code jdbc:postgresql://host[:port]/database[?user=...&password=...]}. */
    static PostgresServer of(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("not a jdbc:postgresql:// URL: " + BenchDatabase.shown(jdbcUrl));
        }
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        String path = Objects.requireNonNullElse(uri.getPath(), "");
        String db = path.startsWith("/") ? path.substring(1) : path;
        Map<String, String> params = new LinkedHashMap<>();
        String rawQuery = uri.getRawQuery();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(pair.substring(0, eq),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        String host = uri.getHost() == null ? "localhost" : uri.getHost();
        return new PostgresServer(jdbcUrl, host, uri.getPort() < 0 ? 5432 : uri.getPort(),
                db.isEmpty() ? "postgres" : db, params.get("user"), params.get("password"),
                rawQuery == null ? "" : "?" + rawQuery);
    }

    /** The JDBC URL of another database on this server, with the same parameters. */
    String urlOf(String db) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + db + query;
    }

    /** Creates an empty database {@code name} (lower-case letters, digits and '_'). */
    void createDatabase(String name) throws SQLException {
        execute("create database " + checked(name));
    }

    /** Drops the database {@code name} if it exists, ending its sessions (PostgreSQL 13+). */
    void dropDatabase(String name) throws SQLException {
        execute("drop database if exists " + checked(name) + " with (force)");
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String checked(String name) {
        if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        return name;
    }

    /** Null when {@code tool} (e.g. {@code pg_dump}) runs with {@code --version}, else why not. */
    static @Nullable String missingTool(String tool) {
        try {
            Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0 ? null : tool + " --version exited with " + p.exitValue();
        } catch (IOException e) {
            return tool + " is not on the PATH (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The first line {@code tool --version} prints, for notes. */
    static String version(String tool) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        return out.lines().findFirst().orElse(tool);
    }

    /**
     * Runs {@code tool} (pg_dump, pg_restore) with the connection options of this server and {@code args}; throws
     * with the tool's output when it exits with anything but 0.
     */
    void run(String tool, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(tool, "-h", host, "-p", Integer.toString(port)));
        if (user != null) {
            command.add("-U");
            command.add(user);
        }
        command.add("--no-password");
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (password != null) {
            pb.environment().put("PGPASSWORD", password);
        }
        Path log = Files.createTempFile("crmkit-bench-" + tool + "-", ".log");
        try {
            Process p = pb.redirectOutput(log.toFile()).start();
            int exit = p.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(tool + " exited with " + exit + ": " + Files.readString(log).strip());
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** The database of the URL (the maintenance database the others are made from). */
    String database() {
        return database;
    }
}
