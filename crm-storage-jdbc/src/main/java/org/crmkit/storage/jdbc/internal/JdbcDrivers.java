package org.crmkit.storage.jdbc.internal;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds out, before any pool is made, whether a JDBC driver on the class path accepts a URL, and if not, which
 * dependency the application has to add. crm-storage-jdbc ships H2 (the embedded default) and leaves the server
 * drivers to the application; without this check a forgotten driver shows up as HikariCP's "No suitable driver".
 */
public final class JdbcDrivers {
    private JdbcDrivers() {}

    /** The problem with {@code url}'s driver, or empty when a registered driver accepts it. */
    public static Optional<String> problem(String url) {
        try {
            DriverManager.getDriver(url);
            return Optional.empty();
        } catch (SQLException e) {
            String scheme = scheme(url);
            return Optional.of("no JDBC driver for " + scheme + " URLs on the class path: add the dependency "
                    + artifact(scheme));
        }
    }

    /** {@code jdbc:postgresql:} of a URL; never the rest, which may hold a password. */
    private static String scheme(String url) {
        int colon = url.indexOf(':', "jdbc:".length());
        return (colon < 0 ? url : url.substring(0, colon + 1)).toLowerCase(Locale.ROOT);
    }

    private static String artifact(String scheme) {
        return switch (scheme) {
            case "jdbc:postgresql:" -> "org.postgresql:postgresql";
            case "jdbc:mariadb:" -> "org.mariadb.jdbc:mariadb-java-client";
            case "jdbc:mysql:" -> "com.mysql:mysql-connector-j (or use a jdbc:mariadb: URL with "
                    + "org.mariadb.jdbc:mariadb-java-client)";
            case "jdbc:h2:" -> "com.h2database:h2";
            default -> "of that database (CRMKit runs on H2, PostgreSQL and MariaDB/MySQL)";
        };
    }
}
