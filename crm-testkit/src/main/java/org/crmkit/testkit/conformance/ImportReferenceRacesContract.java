package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.crmkit.CrmBuilder;
import org.crmkit.error.ConflictException;
import org.crmkit.query.Filters;
import org.crmkit.query.Query;
import org.crmkit.record.ImportOptions;
import org.crmkit.record.ImportResult;
import org.crmkit.record.Record;
import org.crmkit.record.ReferenceLookup;
import org.crmkit.record.UpsertResult;
import org.crmkit.schema.Field;
import org.crmkit.storage.spi.StorageFeature;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Imports and upserts that create missing referenced records ({@code ReferenceLookup.createMissing}) racing each
 * other: the unique key decides, so two runs naming the same missing company create exactly one and both link to
 * it. One race is staged exactly: the record id generator runs a second import to its end at the moment the first
 * takes the id for the company it is creating (after its lookup found none), so the first loses at its insert and
 * must find the winner's company; the other is free-running, four imports at once over the same keys.
 */
public abstract class ImportReferenceRacesContract extends ConformanceContract {
    /** Batches of one row: a lost race cannot be answered by redoing the batch row by row. */
    private static final ImportOptions CREATING = ImportOptions.defaults().batchSize(1).resolve("company",
            ReferenceLookup.by("erp_number").createMissing());

    private final RacingIds ids = new RacingIds();

    @Override
    protected CrmBuilder configure(CrmBuilder builder) {
        return super.configure(builder).idGenerator(ids);
    }

    @BeforeEach
    void keys() {
        crm().schema().addField("company", Field.externalId("erp_number"));
        crm().schema().addField("contact", Field.externalId("crm_id"));
    }

    private Record only(String erp) {
        List<Record> found = all(records("company"), Query.where(Filters.where("erp_number").eq(erp))
                .limit(Query.MAX_LIMIT));
        assertThat(found).as("companies with erp_number " + erp).hasSize(1);
        return found.get(0);
    }

    @Test
    void anImportThatLosesTheRaceForAMissingParentLinksToTheWinners() {
        assumeSupported(StorageFeature.IMPORT_LEDGER);
        staged(false);
    }

    @Test
    void anUpsertThatLosesTheRaceForAMissingParentLinksToTheWinners() {
        staged(true);
    }

    /** Three contacts of {@code who} naming company {@code key}; imported (or upserted), every row written. */
    private void write(boolean upsert, String key, String who) {
        List<Map<String, @Nullable Object>> rows = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rows.add(values("last_name", who + i, "crm_id", key + "/" + who + i, "company", key, "company.name",
                    "By " + who));
        }
        if (upsert) {
            UpsertResult r = records("contact").upsert("crm_id", rows, CREATING);
            assertThat(r.errors()).as(who).isEmpty();
            assertThat(r.created()).as(who).isEqualTo(3);
        } else {
            ImportResult r = records("contact").importRecords(key + "/" + who, rows, CREATING);
            assertThat(r.errors()).as(who).isEmpty();
            assertThat(r.created()).as(who).isEqualTo(3);
        }
    }

    private void staged(boolean upsert) {
        // which of the ids a run draws is the one of the company it creates
        ids.watch(Thread.currentThread(), 0, () -> {});
        write(upsert, "R-0", "a");
        int at = ids.drawn().indexOf(only("R-0").id()) + 1;
        assertThat(at).as("the created company's id is one the run drew").isPositive();

        ids.watch(Thread.currentThread(), at, () -> write(upsert, "R-1", "b"));
        write(upsert, "R-1", "a");

        ids.rethrowRaceFailure();
        Record winner = only("R-1");
        assertThat(ids.drawn()).hasSizeGreaterThanOrEqualTo(at);
        assertThat(winner.id()).as("the staged race ran: the first run's company is not the one that stayed")
                .isNotEqualTo(ids.drawn().get(at - 1));
        assertThat(winner.get("name")).isEqualTo("By b");
        assertThat(records("contact").count(Filters.where("company").eq(winner.id()))).isEqualTo(6);
        assertThat(records("contact").count(Filters.where("last_name").startsWith("a"))).isEqualTo(6);
    }

    @Test
    void fourImportsAtOnceCreateEachMissingParentOnce() throws Exception {
        assumeSupported(StorageFeature.IMPORT_LEDGER);
        int threads = 4;
        int keys = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    List<Map<String, @Nullable Object>> rows = new ArrayList<>();
                    for (int i = 0; i < 4 * keys; i++) {
                        String key = "K-" + (i + thread) % keys;
                        rows.add(values("last_name", "t" + thread + "-" + i, "company", key, "company.name",
                                "Company " + key));
                    }
                    for (int attempt = 0;; attempt++) {
                        try {
                            ImportResult r = records("contact").importRecords("free-" + thread, rows,
                                    CREATING.batchSize(3));
                            assertThat(r.errors()).isEmpty();
                            return null;
                        } catch (ConflictException e) {
                            if (attempt > 20) {
                                throw e; // as documented: run it again (the ledger skips what is done)
                            }
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        long linked = 0;
        for (int k = 0; k < keys; k++) {
            Record company = only("K-" + k);
            assertThat(company.get("name")).isEqualTo("Company K-" + k);
            linked += records("contact").count(Filters.where("company").eq(company.id()));
        }
        assertThat(linked).isEqualTo(threads * 4L * keys);
        assertThat(records("contact").count(Filters.all())).isEqualTo(threads * 4L * keys);
    }

    /**
     * Random record ids that remember those drawn on one watched thread and, at its {@code at}-th draw, run a race
     * on another thread to its end before handing the id out.
     */
    private static final class RacingIds implements Supplier<UUID> {
        private volatile @Nullable Thread watched;
        private volatile int at;
        private volatile Runnable race = () -> {};
        private final List<UUID> drawn = new CopyOnWriteArrayList<>();
        private final AtomicReference<@Nullable Throwable> raceFailure = new AtomicReference<>();

        void watch(Thread thread, int draw, Runnable work) {
            drawn.clear();
            at = draw;
            race = work;
            watched = thread;
        }

        List<UUID> drawn() {
            return List.copyOf(drawn);
        }

        void rethrowRaceFailure() {
            Throwable t = raceFailure.getAndSet(null);
            if (t != null) {
                throw new AssertionError("the racing import failed", t);
            }
        }

        @Override
        public UUID get() {
            UUID id = UUID.randomUUID();
            if (Thread.currentThread() == watched) {
                drawn.add(id);
                if (drawn.size() == at) {
                    Thread other = new Thread(() -> {
                        try {
                            race.run();
                        } catch (Throwable t) {
                            raceFailure.set(t);
                        }
                    }, "racing-import");
                    other.start();
                    try {
                        other.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while the racing import ran", e);
                    }
                }
            }
            return id;
        }
    }
}
