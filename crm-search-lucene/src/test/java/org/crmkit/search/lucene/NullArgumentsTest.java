package org.crmkit.search.lucene;

import com.google.common.testing.NullPointerTester;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The public methods of {@link LuceneSearch} refuse a null argument at their entry with a
 * {@link NullPointerException} naming the parameter (crm-core's {@code NullArgumentsTest} states the convention);
 * the builder's settings are {@code @Nullable} and reported by {@code build()} with the other problems.
 */
class NullArgumentsTest {

    @Test
    void staticFactories() {
        new NullPointerTester().setDefault(Path.class, Path.of("target", "null-arguments"))
                .testAllPublicStaticMethods(LuceneSearch.class);
    }

    @Test
    void aSearchAndItsBuilder() {
        try (LuceneSearch search = LuceneSearch.inMemory()) {
            new NullPointerTester().testAllPublicInstanceMethods(search);
        }
        new NullPointerTester().testAllPublicInstanceMethods(LuceneSearch.builder());
    }
}
