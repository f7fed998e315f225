package org.crmkit.storage.memory.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.event.Operation;
import org.junit.jupiter.api.Test;

class EntryLogTest {
    private static final Instant AT = Instant.parse("2026-12-07T10:15:30Z");
    private static final UUID A = new UUID(1, 1);
    private static final UUID B = new UUID(2, 2);

    private final EntryLog log = new EntryLog(new EntryCodec(new RowCodec(new Names())));

    private static ChangeLogEntry entry(long seq, UUID record) {
        return new ChangeLogEntry(seq, AT.plusSeconds(seq), "u-1", "contact", record, Operation.UPDATE, seq,
                List.of(new FieldChange("n", seq - 1, seq)), new UUID(seq, 0));
    }

    private static List<Long> sequences(Iterable<ChangeLogEntry> entries) {
        return StreamSupport.stream(entries.spliterator(), false).map(ChangeLogEntry::sequence).toList();
    }

    @Test
    void readsInOrderAfterASequenceAndPerRecord() {
        List<ChangeLogEntry> all = new ArrayList<>();
        for (long s = 1; s <= 600; s++) {
            ChangeLogEntry e = entry(s * 2, s % 3 == 0 ? A : B);
            log.add(e, null);
            all.add(e);
        }
        assertThat(log.after(Long.MIN_VALUE, Integer.MAX_VALUE)).isEqualTo(all);
        assertThat(log.after(11, 3)).extracting(ChangeLogEntry::sequence).containsExactly(12L, 14L, 16L);
        assertThat(log.after(12, 2)).extracting(ChangeLogEntry::sequence).containsExactly(14L, 16L);
        assertThat(log.after(1200, 5)).isEmpty();
        assertThat(log.of(A)).isEqualTo(all.stream().filter(e -> e.recordId().equals(A)).toList());
        assertThat(log.of(new UUID(9, 9))).isEmpty();
        assertThatThrownBy(() -> log.add(entry(1200, A), null)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aRecordsEntriesAreReadWhateverTheirCountAgainstItsArraysRoom() {
        UUID c = new UUID(3, 3);
        for (long s = 1; s <= 33; s++) {
            log.add(entry(s, c), null);
            assertThat(log.of(c)).extracting(ChangeLogEntry::sequence).hasSize((int) s).last().isEqualTo(s);
        }
        log.delete(33);
        log.delete(1);
        assertThat(log.of(c)).extracting(ChangeLogEntry::sequence).hasSize(31).startsWith(2L).endsWith(32L);
        log.add(entry(34, c), null);
        assertThat(log.of(c)).extracting(ChangeLogEntry::sequence).hasSize(32).endsWith(32L, 34L);
    }

    @Test
    void rewritesAndDeletesEntriesInBothViewsAndCompactsGaps() {
        for (long s = 1; s <= 3000; s++) {
            log.add(entry(s, s == 7 ? A : B), null);
        }
        List<FieldChange> redacted = List.of(new FieldChange("n", null, "x"));
        log.rewrite(7, redacted);
        log.rewrite(99_999, redacted);
        assertThat(log.of(A)).singleElement().satisfies(e -> assertThat(e.changes()).isEqualTo(redacted));
        assertThat(log.after(6, 1).get(0).changes()).isEqualTo(redacted);
        log.delete(7);
        log.delete(7);
        assertThat(log.of(A)).isEmpty();
        for (long s = 1; s <= 2000; s++) {
            log.delete(s);
        }
        assertThat(log.size()).isEqualTo(1000);
        assertThat(sequences(log.after(0))).first().isEqualTo(2001L);
        assertThat(log.of(B)).hasSize(1000).first().extracting(ChangeLogEntry::sequence).isEqualTo(2001L);
        List<ChangeLogEntry> frozen = log.frozen();
        log.add(entry(3001, A), null);
        assertThat(sequences(log.after(2999))).containsExactly(3000L, 3001L);
        assertThat(frozen).hasSize(1000).isEqualTo(log.after(0, 1000));
        assertThat(frozen.get(999).sequence()).isEqualTo(3000L);
        log.clear();
        assertThat(log.size()).isZero();
        assertThat(log.of(B)).isEmpty();
    }
}
