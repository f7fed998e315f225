package org.crmkit.storage.memory.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdSetTest {
    @Test
    void behavesAsAHashSetUnderAnyAddsAndRemoves() {
        // ids from a small range so that adds and removes collide; negative numbers remove
        qt().withExamples(300).forAll(lists().of(integers().between(-60, 60)).ofSizeBetween(0, 400))
                .checkAssert(ops -> {
                    Set<UUID> expected = new HashSet<>();
                    IdSet actual = new IdSet();
                    for (int op : ops) {
                        UUID id = new UUID(Math.abs(op) % 7, Math.abs(op));
                        if (op < 0) {
                            assertThat(actual.remove(id)).isEqualTo(expected.remove(id));
                        } else {
                            assertThat(actual.add(id)).isEqualTo(expected.add(id));
                        }
                        assertThat(actual.contains(id)).isEqualTo(expected.contains(id));
                    }
                    assertThat(actual).hasSameSizeAs(expected).containsExactlyInAnyOrderElementsOf(expected);
                });
    }

    @Test
    void holdsManyIds() {
        IdSet ids = new IdSet();
        for (int i = 0; i < 100_000; i++) {
            ids.add(new UUID(i, i * 31L));
        }
        for (int i = 0; i < 100_000; i += 2) {
            ids.remove(new UUID(i, i * 31L));
        }
        assertThat(ids).hasSize(50_000).contains(new UUID(1, 31)).doesNotContain(new UUID(2, 62));
        assertThat(ids.contains("not an id")).isFalse();
    }
}
