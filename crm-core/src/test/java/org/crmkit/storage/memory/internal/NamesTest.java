package org.crmkit.storage.memory.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamesTest {
    @Test
    void givesEachNameOneNumberAndOneSharedCopyPastItsFirstCapacity() {
        Names names = new Names();
        for (int i = 0; i < 1000; i++) {
            String s = "name-" + i;
            assertThat(names.intern(new String(s))).isEqualTo(s);
            assertThat(names.name(names.code(s))).isEqualTo(s);
        }
        String first = names.intern("name-3");
        assertThat(names.intern(new String("name-3"))).isSameAs(first);
        assertThat(names.code("name-999")).isEqualTo(999);
    }
}
