package org.crmkit.storage.jdbc.internal;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.crmkit.error.ConfigurationException;
import org.jooq.SQLDialect;

/**
 * The databases CRMKit runs on, as detected from the JDBC driver: each one's jOOQ dialect, short name and Flyway
 * migrations, and its {@link DatabaseStrategy} ({@link #strategy()}), which holds everything CRMKit does
 * differently there.
 */
public enum Dialect {
    H2(SQLDialect.H2, "h2", "migration/h2", H2Strategy::new),
    POSTGRES(SQLDialect.POSTGRES, "postgresql", "migration/postgresql", PostgresStrategy::new),
    MARIADB(SQLDialect.MARIADB, "mariadb", "migration/mariadb", MariaDbStrategy::new);

    /** MariaDB Connector/J's {@code sessionVariables} for the pool CRMKit opens (see {@link MariaDbStrategy}). */
    public static final String MARIADB_SESSION_VARIABLES = MariaDbStrategy.SESSION_VARIABLES;

    private final SQLDialect sqlDialect;
    private final String shortName;
    private final String migrationFolder;
    private final Supplier<DatabaseStrategy> strategy;

    Dialect(SQLDialect sqlDialect, String shortName, String migrationFolder, Supplier<DatabaseStrategy> strategy) {
        this.sqlDialect = sqlDialect;
        this.shortName = shortName;
        this.migrationFolder = migrationFolder;
        this.strategy = strategy;
    }

    /** The dialect of a database, from {@code DatabaseMetaData.getDatabaseProductName()}. */
    public static Dialect ofProduct(String productName) {
        String p = productName.toLowerCase(Locale.ROOT);
        if (p.contains("h2")) {
            return H2;
        }
        if (p.contains("postgres")) {
            return POSTGRES;
        }
        if (p.contains("mariadb") || p.contains("mysql")) {
            return MARIADB;
        }
        throw new ConfigurationException(List.of("CRMKit's JDBC storage runs on H2, PostgreSQL and MariaDB/MySQL, "
                + "not on " + productName));
    }

    public SQLDialect sqlDialect() {
        return sqlDialect;
    }

    /** The storage's short name ("h2", "postgresql", "mariadb"). */
    public String shortName() {
        return shortName;
    }

    /** Flyway location of this dialect's migrations for the system tables. */
    public String migrationLocation() {
        return "classpath:org/crmkit/storage/jdbc/" + migrationFolder;
    }

    /** A new instance of this database's strategy, one per store (H2's keeps the bulk inserts it rendered). */
    public DatabaseStrategy strategy() {
        return strategy.get();
    }
}
