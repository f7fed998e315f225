package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.crmkit.error.ConflictException;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.SchemaException;
import org.crmkit.error.ValidationException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.query.Filters;
import org.crmkit.record.Record;
import org.crmkit.schema.DataPolicy;
import org.crmkit.schema.Field;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Work in flight while the schema changes (issue 11, item 2): a transaction open while a field is deleted neither
 * fails with a raw storage error nor commits values of the deleted field; the only failure it may see is
 * {@link SchemaException} {@code CONCURRENT_CHANGE} (retry); listeners get concurrent commits in sequence order.
 */
public abstract class SchemaRaceContract extends ConformanceContract {
    private static final int WRITERS = 2;
    private static final int CYCLES = 6;
    private static final int MIN_WRITES = 20;

    @BeforeEach
    void widget() {
        defineWidget();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aTransactionThatWroteADeletedFieldIsRefusedWithARetryableError() throws Exception {
        Record existing = records(WIDGET).create(Map.of("name", "old", "notes", "n0"));
        long seq = crm().changeLog().lastSequence();
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch deleted = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> open = pool.submit(() -> system().inTransactionDo(s -> {
                s.records(WIDGET).create(Map.of("name", "new", "notes", "n1"));
                s.records(WIDGET).update(existing, Map.of("notes", "n2"));
                written.countDown();
                await(deleted);
            }));
            assertThat(written.await(30, TimeUnit.SECONDS)).isTrue();
            crm().schema().deleteField(WIDGET, "notes", DataPolicy.DISCARD_DATA);
            deleted.countDown();
            assertThatThrownBy(() -> open.get(30, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(SchemaException.class, e -> {
                        assertThat(e.problem()).isEqualTo(SchemaException.Problem.CONCURRENT_CHANGE);
                        assertThat(e.objectType()).isEqualTo(WIDGET);
                    });
        } finally {
            pool.shutdownNow();
        }
        assertThat(records(WIDGET).count(Filters.where("name").eq("new"))).isZero();
        assertThat(records(WIDGET).get(existing.id()).version()).isEqualTo(existing.version());
        assertThat(logAfter(seq)).isEmpty();
        Record retried = records(WIDGET).create(Map.of("name", "new"));
        assertThat(records(WIDGET).get(retried.id()).has("notes")).isFalse();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void writersAndReadersBesideRepeatedFieldChangesSeeOnlyTypedErrors() throws Exception {
        crm().schema().addField(WIDGET, Field.text("f0"));
        Queue<Long> delivered = new ConcurrentLinkedQueue<>();
        AutoCloseable subscription = crm().changeLog()
                .subscribe(batch -> batch.forEach(e -> delivered.add(e.sequence())));
        long start = crm().changeLog().lastSequence();
        Map<String, Long> deletedAt = new ConcurrentHashMap<>();
        Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        AtomicInteger retryable = new AtomicInteger();
        AtomicBoolean schemaDone = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                futures.add(pool.submit(() -> {
                    for (int i = 0; !schemaDone.get() || i < MIN_WRITES; i++) {
                        int n = i;
                        tolerate(() -> write(writer, n), unexpected, retryable);
                    }
                }));
            }
            futures.add(pool.submit(() -> {
                for (int i = 0; !schemaDone.get() || i < MIN_WRITES; i++) {
                    tolerate(() -> {
                        records(WIDGET).query(Filters.where("qty").gt(-1));
                        records(WIDGET).count(org.crmkit.query.Filter.ALL);
                    }, unexpected, retryable);
                }
            }));
            for (int c = 1; c <= CYCLES; c++) {
                crm().schema().addField(WIDGET, Field.text("f" + c));
                crm().schema().deleteField(WIDGET, "f" + (c - 1), DataPolicy.DISCARD_DATA);
                deletedAt.put("f" + (c - 1), crm().changeLog().lastSequence());
            }
            schemaDone.set(true);
            for (Future<?> f : futures) {
                f.get(100, TimeUnit.SECONDS);
            }
        } finally {
            schemaDone.set(true);
            pool.shutdownNow();
            subscription.close();
        }
        assertThat(unexpected).as("errors other than the typed retryable ones").isEmpty();
        List<ChangeLogEntry> log = logAfter(start);
        assertThat(log).isNotEmpty();
        for (ChangeLogEntry e : log) {
            for (FieldChange change : e.changes()) {
                Long deleted = deletedAt.get(change.field());
                assertThat(deleted == null || e.sequence() <= deleted)
                        .as("entry %d writes %s, deleted by entry %s", e.sequence(), change.field(), deleted).isTrue();
            }
        }
        List<Long> seen = new ArrayList<>(delivered);
        assertThat(seen).isSorted().doesNotHaveDuplicates();
        assertThat(seen).containsExactlyElementsOf(log.stream().map(ChangeLogEntry::sequence).toList());
    }

    /** Creates a widget with a value in every field {@code f<n>} the schema holds now, then updates them. */
    private void write(int writer, int i) {
        Map<String, Object> values = new HashMap<>();
        values.put("name", "w" + writer + "-" + i);
        values.put("qty", i);
        for (Field f : crm().schema().objectType(WIDGET).fields()) {
            if (f.name().matches("f[0-9]+")) {
                values.put(f.name(), "v" + i);
            }
        }
        Record r = records(WIDGET).create(values);
        values.replaceAll((k, v) -> k.equals("qty") ? i + 1 : v + "'");
        records(WIDGET).update(r, values);
    }

    /** Runs {@code work}, counting the retryable errors and keeping every other one. */
    private static void tolerate(Runnable work, Queue<Throwable> unexpected, AtomicInteger retryable) {
        try {
            work.run();
        } catch (SchemaException e) {
            if (e.problem() == SchemaException.Problem.CONCURRENT_CHANGE) {
                retryable.incrementAndGet();
            } else {
                unexpected.add(e);
            }
        } catch (ValidationException e) {
            // a field deleted after the writer read the schema: refused as unknown before it reaches storage
            if (e.errors().stream().allMatch(err -> err.code() == FieldErrorCode.UNKNOWN_FIELD)) {
                retryable.incrementAndGet();
            } else {
                unexpected.add(e);
            }
        } catch (ConflictException e) {
            retryable.incrementAndGet();
        } catch (RuntimeException e) {
            unexpected.add(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
