package org.crmkit.storage.jdbc;

import com.google.common.testing.NullPointerTester;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The public methods of {@link JdbcStorage} refuse a null argument at their entry with a
 * {@link NullPointerException} naming the parameter (crm-core's {@code NullArgumentsTest} states the convention);
 * the builder's settings are {@code @Nullable} and reported by {@code build()} with the other problems.
 */
class NullArgumentsTest {

    @Test
    void staticFactories() {
        new NullPointerTester().setDefault(Path.class, Path.of("target", "null-arguments"))
                .testAllPublicStaticMethods(JdbcStorage.class);
    }

    @Test
    void aStorageAndItsBuilder() {
        try (JdbcStorage storage = JdbcStorage.h2Memory("null-arguments")) {
            new NullPointerTester().testAllPublicInstanceMethods(storage);
        }
        new NullPointerTester().testAllPublicInstanceMethods(JdbcStorage.builder());
    }
}
