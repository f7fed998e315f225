package org.crmkit.storage.jdbc;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.PlainSQL;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * All SQL of the JDBC storage goes through jOOQ's typesafe API: names through {@code DSL.name(...)} (quoted, never
 * interpreted), values through bind variables. Nothing in the main code may call jOOQ's plain-SQL API (every
 * method or constructor jOOQ annotates with {@link PlainSQL}: {@code DSL.field(String)}, {@code DSL.condition
 * (String)}, {@code DSLContext.execute(String)}, {@code fetch(String)}...) or hand SQL text to JDBC itself
 * ({@code Statement.execute*}, {@code Connection.prepareStatement/createStatement/prepareCall/nativeSQL}), except
 * {@code RenderedStatement}, which prepares only what jOOQ rendered from a typesafe query.
 * Flyway's migration files are SQL by nature and are not Java code, so this test does not see them.
 *
 * <p>The test is guarded against passing vacuously: it checks that the import sees the storage's classes, and
 * that the same rules do catch offenders (classes below, compiled with the tests).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlainSqlBanTest {
    /**
     * Main classes (fully qualified; a top-level name covers its nested classes) allowed to use plain SQL.
     * Empty: nothing needs it today. A class gets on the list only with a comment here saying which call needs
     * plain SQL, why jOOQ's typesafe API cannot express it, and why no caller input can reach the SQL text.
     */
    private static final Set<String> PLAIN_SQL_ALLOWLIST = Set.of();

    /**
     * Main classes allowed to hand SQL text to JDBC, on the same terms as the list above. {@code RenderedStatement}:
     * prepares the text jOOQ rendered from a query built with its typesafe API (it takes no SQL text of its own, and
     * values only ever become binds), so the job queue's hot PostgreSQL statements are rendered once, not on every
     * job (the jOOQ manual's advice for hot statements), and H2's bulk inserts ({@code RenderedRows}: one
     * {@code INSERT} per table and columns, bound per row as a JDBC batch) skip jOOQ's per-value binding. It is the one
     * sanctioned place for rendered SQL text, and {@code RenderedStatementTest} checks what it may hold: no method or
     * constructor takes text, samples whose binds differ (a value inlined, another order) are refused, and a bulk
     * insert is one placeholder per column and no value. {@code CopyRows}: hands pgjdbc's {@code CopyManager} a
     * {@code COPY table (columns) FROM STDIN}, which jOOQ has no typesafe form for; the table and column names in it
     * are rendered by jOOQ from {@code DSL.name(...)} (quoted), and values only ever travel as the COPY data, escaped.
     * {@code OnlineDdl}: schema changes that must not block writers need {@code CREATE INDEX CONCURRENTLY},
     * {@code ADD CONSTRAINT ... NOT VALID}/{@code VALIDATE CONSTRAINT} (PostgreSQL), {@code ALGORITHM=INPLACE
     * LOCK=NONE} and {@code WAIT n} (MariaDB) and bounded lock waits ({@code SET lock_timeout}), none of which jOOQ can
     * express; the text is fixed keywords around names jOOQ renders from {@code DSL.name(...)} (quoted), with no
     * value in it (the one lookup binds its name).
     */
    private static final Set<String> JDBC_SQL_ALLOWLIST = Set.of(
            "org.crmkit.storage.jdbc.internal.RenderedStatement", "org.crmkit.storage.jdbc.internal.CopyRows",
            "org.crmkit.storage.jdbc.internal.OnlineDdl");

    private static final String MAIN_PACKAGE = "org.crmkit.storage.jdbc..";

    private JavaClasses main;

    @BeforeAll
    void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.crmkit.storage.jdbc");
    }

    @Test
    void theImportSeesTheStorageButNotTheTests() {
        assertThat(main.contain(JdbcStorage.class)).isTrue();
        assertThat(main.contain("org.crmkit.storage.jdbc.internal.JdbcTransaction")).isTrue();
        assertThat(main.contain("org.crmkit.storage.jdbc.internal.SchemaDdl")).isTrue();
        assertThat(main.contain(PlainSqlBanTest.class)).isFalse();
        assertThat(main.contain(TestDatabase.class)).isFalse();
    }

    @Test
    void mainCodeCallsNoPlainSqlApiOfJooq() {
        plainSqlRule().check(main);
    }

    @Test
    void mainCodeHandsNoSqlTextToJdbc() {
        jdbcSqlRule().check(main);
    }

    @Test
    void theAllowlistNamesOnlyExistingMainClasses() {
        for (String name : java.util.stream.Stream.concat(PLAIN_SQL_ALLOWLIST.stream(), JDBC_SQL_ALLOWLIST.stream())
                .toList()) {
            assertThat(main.contain(name)).as("allowlisted class %s exists", name).isTrue();
        }
    }

    /** The rules are not blind: they report the offenders below (imported on their own, not with the main code). */
    @Test
    void theRulesCatchOffenders() {
        JavaClasses offenders = new ClassFileImporter().importClasses(PlainSqlOffender.class, JdbcOffender.class);
        EvaluationResult plain = rule(PlainSqlOffender.class.getPackageName() + "..", true).evaluate(offenders);
        assertThat(plain.hasViolation()).isTrue();
        String report = plain.getFailureReport().toString();
        assertThat(report).contains("DSL.condition(java.lang.String)", "DSL.field(java.lang.String",
                "DSLContext.execute(java.lang.String)", "DSLContext.fetch(java.lang.String");
        assertThat(report).doesNotContain("DSL.name(");
        EvaluationResult jdbc = jdbcRule(PlainSqlOffender.class.getPackageName() + "..").evaluate(offenders);
        assertThat(jdbc.hasViolation()).isTrue();
        assertThat(jdbc.getFailureReport().toString()).contains("Connection.createStatement()",
                "Statement.executeUpdate(java.lang.String)", "Connection.prepareStatement(java.lang.String)");
        // the allowlist mechanism exempts a listed class
        EvaluationResult exempt = rule(PlainSqlOffender.class.getPackageName() + "..", true,
                Set.of(PlainSqlOffender.class.getName())).evaluate(offenders);
        assertThat(exempt.hasViolation()).isFalse();
        assertThat(jdbcRule(PlainSqlOffender.class.getPackageName() + "..", Set.of(JdbcOffender.class.getName()))
                .evaluate(offenders).hasViolation()).isFalse();
    }

    private static ArchRule plainSqlRule() {
        return rule(MAIN_PACKAGE, false);
    }

    private static ArchRule jdbcSqlRule() {
        return jdbcRule(MAIN_PACKAGE, JDBC_SQL_ALLOWLIST);
    }

    private static ArchRule rule(String packages, boolean allowEmpty) {
        return rule(packages, allowEmpty, PLAIN_SQL_ALLOWLIST);
    }

    private static ArchRule rule(String packages, boolean allowEmpty, Set<String> allowlist) {
        ArchRule r = noClasses().that().resideInAPackage(packages).and(notAllowlisted(allowlist))
                .should().callCodeUnitWhere(targetAnnotatedWithPlainSql())
                .because("all SQL goes through jOOQ's typesafe API; plain SQL needs an entry in PLAIN_SQL_ALLOWLIST");
        return allowEmpty ? r.allowEmptyShould(true) : r;
    }

    private static ArchRule jdbcRule(String packages) {
        return jdbcRule(packages, Set.of());
    }

    private static ArchRule jdbcRule(String packages, Set<String> allowlist) {
        return noClasses().that().resideInAPackage(packages).and(notAllowlisted(allowlist))
                .should().callCodeUnitWhere(jdbcSqlText())
                .because("all SQL goes through jOOQ; JDBC is used for connections, transactions and metadata only");
    }

    private static DescribedPredicate<JavaClass> notAllowlisted(Set<String> allowlist) {
        return DescribedPredicate.describe("are not on the plain-SQL allowlist", c -> {
            String name = c.getName();
            int nested = name.indexOf('$');
            return !allowlist.contains(name) && !allowlist.contains(nested < 0 ? name : name.substring(0, nested));
        });
    }

    /** A call of a jOOQ method or constructor annotated {@code @PlainSQL} (resolved through the class path). */
    private static DescribedPredicate<JavaCall<?>> targetAnnotatedWithPlainSql() {
        return DescribedPredicate.describe("target is annotated with @" + PlainSQL.class.getName(), call -> {
            Optional<? extends JavaCodeUnit> target = call.getTarget().resolveMember();
            return target.isPresent() && target.get().isAnnotatedWith(PlainSQL.class);
        });
    }

    /** A call that hands SQL text to JDBC (or pgjdbc's COPY API), or creates the statements that would run it. */
    private static DescribedPredicate<JavaCall<?>> jdbcSqlText() {
        return DescribedPredicate.describe("target runs or prepares SQL text through java.sql directly", call -> {
            JavaClass owner = call.getTarget().getOwner();
            String name = call.getTarget().getName();
            if (owner.isAssignableTo(java.sql.Statement.class)) {
                return name.startsWith("execute") || name.equals("addBatch");
            }
            if (owner.getName().equals("org.postgresql.copy.CopyManager")) {
                return name.startsWith("copy");
            }
            if (owner.isAssignableTo(Connection.class)) {
                return name.equals("prepareStatement") || name.equals("createStatement") || name.equals("prepareCall")
                        || name.equals("nativeSQL");
            }
            return false;
        });
    }

    /** Calls the plain-SQL API: the rule must report each call (but not {@code DSL.name}). */
    @SuppressWarnings("unused")
    static final class PlainSqlOffender {
        Object offend(DSLContext dsl, String userInput) {
            dsl.execute("delete from crm_contact where id = '" + userInput + "'");
            dsl.fetch("select * from crm_contact");
            return DSL.table(DSL.name("crm_contact")).where(DSL.condition("1 = 1")
                    .and(DSL.field("last_name").eq(userInput)));
        }
    }

    /** Hands SQL text to JDBC: the rule must report each call. */
    @SuppressWarnings("unused")
    static final class JdbcOffender {
        void offend(Connection c) throws SQLException {
            try (java.sql.Statement s = c.createStatement()) {
                s.executeUpdate("delete from crm_contact");
            }
            try (java.sql.PreparedStatement p = c.prepareStatement("select 1")) {
                p.executeQuery();
            }
        }
    }
}
