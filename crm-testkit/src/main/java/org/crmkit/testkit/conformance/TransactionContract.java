package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.query.Filters.where;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.crmkit.error.ValidationException;
import org.crmkit.query.Filters;
import org.crmkit.query.Query;
import org.crmkit.record.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code inTransaction}: all or nothing, read-your-writes, isolation from other sessions, nesting. */
public abstract class TransactionContract extends ConformanceContract {

    @BeforeEach
    void widget() {
        defineWidget();
    }

    @Test
    void exceptionRollsBackEveryWrite() {
        Record existing = records(WIDGET).create(Map.of("name", "existing", "qty", 1));
        long seq = crm().changeLog().lastSequence();
        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> system().inTransactionDo(s -> {
            s.records(WIDGET).create(Map.of("name", "a"));
            s.records(WIDGET).update(existing, Map.of("qty", 2));
            s.records("company").create(Map.of("name", "Acme"));
            Record b = s.records(WIDGET).create(Map.of("name", "b"));
            s.records(WIDGET).delete(b.id(), 1);
            throw boom;
        })).isSameAs(boom);
        assertThat(records(WIDGET).count(Filters.all())).isEqualTo(1);
        assertThat(records(WIDGET).query(Query.all().deleted(Query.Deleted.INCLUDE)).items()).hasSize(1);
        assertThat(records("company").count(Filters.all())).isZero();
        assertThat(records(WIDGET).get(existing.id())).isEqualTo(existing);
        assertThat(crm().changeLog().lastSequence()).isEqualTo(seq);
    }

    @Test
    void failedValidationInsideRollsBackEarlierWrites() {
        assertThatThrownBy(() -> system().inTransactionDo(s -> {
            s.records(WIDGET).create(Map.of("name", "a", "code", "X"));
            s.records(WIDGET).create(Map.of("qty", 1));
        })).isInstanceOf(ValidationException.class);
        assertThat(records(WIDGET).count(Filters.all())).isZero();
        records(WIDGET).create(Map.of("name", "again", "code", "X"));
    }

    @Test
    void transactionSeesItsOwnWrites() {
        Record result = system().inTransaction(s -> {
            Record a = s.records(WIDGET).create(Map.of("name", "a", "qty", 1));
            assertThat(s.records(WIDGET).get(a.id())).isEqualTo(a);
            Record a2 = s.records(WIDGET).update(a, Map.of("qty", 5));
            assertThat(s.records(WIDGET).get(a.id()).getLong("qty")).isEqualTo(5L);
            assertThat(s.records(WIDGET).count(where("qty").eq(5))).isEqualTo(1);
            assertThat(s.records(WIDGET).query(where("name").eq("a")).items()).containsExactly(a2);
            Record b = s.records(WIDGET).create(Map.of("name", "b"));
            s.records(WIDGET).purge(b.id());
            assertThat(s.records(WIDGET).find(b.id())).isEmpty();
            return a2;
        });
        assertThat(records(WIDGET).get(result.id())).isEqualTo(result);
        assertThat(records(WIDGET).count(Filters.all())).isEqualTo(1);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void otherSessionsDoNotSeeUncommittedWrites() throws Exception {
        Record existing = records(WIDGET).create(Map.of("name", "existing", "qty", 1));
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Record> writer = pool.submit(() -> system().inTransaction(s -> {
                Record r = s.records(WIDGET).create(Map.of("name", "pending", "qty", 9));
                s.records(WIDGET).update(existing, Map.of("qty", 2));
                written.countDown();
                try {
                    checked.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return r;
            }));
            assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(records(WIDGET).count(Filters.all())).isEqualTo(1);
            assertThat(records(WIDGET).count(where("name").eq("pending"))).isZero();
            assertThat(records(WIDGET).get(existing.id())).isEqualTo(existing);
            long seq = crm().changeLog().lastSequence();
            checked.countDown();
            Record pending = writer.get(10, TimeUnit.SECONDS);
            assertThat(records(WIDGET).get(pending.id()).getLong("qty")).isEqualTo(9L);
            assertThat(records(WIDGET).get(existing.id()).getLong("qty")).isEqualTo(2L);
            assertThat(crm().changeLog().lastSequence()).isEqualTo(seq + 2);
        } finally {
            checked.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void nestedTransactionsJoinTheOuterOne() {
        IllegalStateException boom = new IllegalStateException("outer fails");
        assertThatThrownBy(() -> system().inTransactionDo(outer -> {
            Record inner = outer.inTransaction(s -> s.records(WIDGET).create(Map.of("name", "inner")));
            assertThat(outer.records(WIDGET).get(inner.id())).isEqualTo(inner);
            throw boom;
        })).isSameAs(boom);
        assertThat(records(WIDGET).count(Filters.all())).isZero();

        Record kept = system().inTransaction(outer -> {
            outer.records(WIDGET).create(Map.of("name", "one"));
            return outer.inTransaction(s -> s.records(WIDGET).create(Map.of("name", "two")));
        });
        assertThat(records(WIDGET).get(kept.id()).getString("name")).isEqualTo("two");
        assertThat(records(WIDGET).count(Filters.all())).isEqualTo(2);
        assertThat(records(WIDGET).timeline(kept.id()).get(0).transactionId())
                .isEqualTo(crm().changeLog().read(crm().changeLog().lastSequence() - 2, 1).get(0).transactionId());
    }
}
