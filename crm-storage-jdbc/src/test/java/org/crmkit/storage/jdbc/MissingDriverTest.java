package org.crmkit.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.crmkit.error.ConfigurationException;
import org.junit.jupiter.api.Test;

/**
 * A URL whose JDBC driver is not on the class path is a {@link ConfigurationException} naming the artifact to add,
 * not HikariCP's "No suitable driver" as a connection failure. The server drivers are optional dependencies of
 * crm-storage-jdbc, so an application that forgets its driver meets exactly this.
 */
class MissingDriverTest {
    @Test
    void aMysqlUrlWithoutMysqlsDriverNamesTheArtifactsToAdd() {
        // MariaDB Connector/J (on this class path) refuses jdbc:mysql: URLs unless told to take them
        assertThatThrownBy(() -> JdbcStorage.builder().url("jdbc:mysql://127.0.0.1:1/crm?user=u&password=hunter2")
                .build()).isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.problems()).singleElement().asString()
                            .contains("no JDBC driver", "jdbc:mysql:", "com.mysql:mysql-connector-j",
                                    "org.mariadb.jdbc:mariadb-java-client");
                    assertThat(e.getMessage()).doesNotContain("hunter2");
                });
    }

    @Test
    void anUnknownDatabaseIsAConfigurationProblemReportedWithTheOthers() {
        assertThatThrownBy(() -> JdbcStorage.builder().url("jdbc:nosuchdb://host/db").maxPoolSize(0).build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.problems()).hasSize(2);
                    assertThat(e.problems())
                            .anyMatch(p -> p.contains("no JDBC driver") && p.contains("jdbc:nosuchdb:"));
                    assertThat(e.problems()).anyMatch(p -> p.contains("maxPoolSize"));
                });
    }

    /**
     * PostgreSQL's driver is on this module's test class path, so the storage is loaded here by a class loader that
     * sees everything else: what an application that did not add {@code org.postgresql:postgresql} sees.
     */
    @Test
    void aPostgresUrlWithoutTheDriverNamesOrgPostgresqlPostgresql() throws Exception {
        String pgJar = File.separator + Path.of("org", "postgresql", "postgresql") + File.separator;
        URL[] urls = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> !p.contains(pgJar)).map(MissingDriverTest::url).toArray(URL[]::new);
        assertThat(urls.length).as("the class path without the driver").isLessThan(
                System.getProperty("java.class.path").split(File.pathSeparator).length);
        try (URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
            Class<?> storage = loader.loadClass(JdbcStorage.class.getName());
            Object builder = storage.getMethod("builder").invoke(null);
            builder.getClass().getMethod("url", String.class).invoke(builder, "jdbc:postgresql://127.0.0.1:1/crm");
            Throwable thrown = null;
            try {
                builder.getClass().getMethod("build").invoke(builder);
            } catch (InvocationTargetException e) {
                thrown = e.getCause();
            }
            assertThat(thrown).isNotNull();
            assertThat(thrown.getClass().getName()).isEqualTo(ConfigurationException.class.getName());
            assertThat(thrown.getMessage()).contains("no JDBC driver", "jdbc:postgresql:", "org.postgresql:postgresql");
        }
    }

    private static URL url(String path) {
        try {
            return Path.of(path).toUri().toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException(path, e);
        }
    }
}
