package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.Crm;
import org.crmkit.CrmBuilder;
import org.crmkit.backup.RestorePoint;
import org.crmkit.backup.RestoreResult;
import org.crmkit.error.BackupException;
import org.crmkit.error.BackupException.Problem;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.query.Filters;
import org.crmkit.query.Metric;
import org.crmkit.query.Query;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.report.ReportDefinition;
import org.crmkit.storage.spi.BackupSupport;
import org.crmkit.storage.spi.StorageFeature;
import org.crmkit.testkit.SettableClock;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Point-in-time restore ({@code restore(path, RestorePoint.at(t))}): "someone deleted half the deals at 14:02". The
 * state restored at t (every record with all its fields, version, owner, time stamps and deletion; the change log,
 * which ends at t; reports; merge links) equals the state that was live at t, after deletes, purges, updates,
 * creates, a merge, an import and a report saved after t; a sequence gives the same; points the archive cannot reach
 * are refused, leaving the target empty.
 */
public abstract class PointInTimeContract extends BackupFixtures {
    private final SettableClock clock = SettableClock.at(Instant.parse("2030-03-02T09:00:00Z"));

    @Override
    protected CrmBuilder configure(CrmBuilder builder) {
        return super.configure(builder).clock(clock);
    }

    @BeforeEach
    void needsBackupSupport() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                storageUnderTest().extension(BackupSupport.class).isPresent(), "the storage offers no backups");
    }

    /** The live state at a moment. */
    private record Live(List<Record> records, List<ChangeLogEntry> log, Object reports,
            Map<UUID, @Nullable UUID> links) {}

    private Live live(Crm crm) {
        return new Live(everyRecord(crm), changeLog(crm), reports(crm), mergeLinks(crm));
    }

    private void assertState(Crm restored, Live expected) {
        assertThat(everyRecord(restored)).isEqualTo(expected.records());
        assertThat(changeLog(restored)).isEqualTo(expected.log());
        assertThat((Object) reports(restored)).isEqualTo(expected.reports());
        assertThat(mergeLinks(restored)).isEqualTo(expected.links());
    }

    private Instant tick() {
        return clock.advance(Duration.ofSeconds(1));
    }

    /** Fills, writes deals until t, captures the live state, then deletes half the deals and more after t. */
    private Instant history(Live[] atT) {
        fill();
        tick();
        for (int i = 0; i < 10; i++) {
            Record d = records("deal").create(Map.of("name", "big" + i, "amount", Money.of(i + "00.00", "EUR")));
            tick();
            if (i % 3 == 0) {
                records("deal").update(d, Map.of("name", "bigger" + i));
                tick();
            }
        }
        Instant t = clock.instant();
        atT[0] = live(crm());
        tick(); // 14:02
        List<Record> deals = all(records("deal"), Query.where(Filters.where("name").startsWith("big")));
        for (int i = 0; i < deals.size() / 2; i++) {
            records("deal").delete(deals.get(i).id(), deals.get(i).version());
        }
        tick();
        records("deal").purge(deals.get(deals.size() - 1).id());
        Record kept = records("deal").get(deals.get(deals.size() - 2).id());
        records("deal").update(kept, Map.of("name", "renamed", "amount", Money.of("1.00", "EUR")));
        records("deal").create(Map.of("name", "new after t"));
        tick();
        List<Record> companies = all(records("company"), Query.all());
        if (supports(StorageFeature.MERGE_LINKS) && companies.size() >= 2) {
            records("company").merge(companies.get(0).id(), List.of(companies.get(1).id()));
        }
        if (supports(StorageFeature.IMPORT_LEDGER)) {
            records("contact").importRecords("imp-2", List.of(Map.of("last_name", "Late")));
        }
        if (!reports(crm()).isEmpty()) {
            system().reports().save(ReportDefinition.builder("late", "deal").groupBy("stage").metric(Metric.count())
                    .build());
        }
        tick();
        return t;
    }

    @Test
    void aRestoreAtAnInstantGivesWhatWasLiveThen() {
        Live[] atT = new Live[1];
        Instant t = history(atT);
        Path archive = file("a.zip");
        crm().admin().backup(archive);
        long total = crm().changeLog().lastSequence();

        Crm target = newTarget();
        RestoreResult r = target.admin().restore(archive, RestorePoint.at(t));
        assertThat(r.restoredSequence()).isEqualTo(atT[0].log().size());
        assertThat(r.undoneEntries()).isEqualTo(total - atT[0].log().size());
        assertState(target, atT[0]);

        Record after = target.as(org.crmkit.security.Principal.SYSTEM).records("deal")
                .create(Map.of("name", "after the restore"));
        assertThat(target.changeLog().read(r.restoredSequence(), 10)).singleElement()
                .satisfies(e -> assertThat(e.recordId()).isEqualTo(after.id()));
    }

    @Test
    void aRestoreAtTheSequenceOfAnInstantGivesTheSame() {
        Live[] atT = new Live[1];
        history(atT);
        Path archive = file("a.zip");
        crm().admin().backup(archive);
        Crm target = newTarget();
        target.admin().restore(archive, RestorePoint.sequence(atT[0].log().size()));
        assertState(target, atT[0]);
    }

    @Test
    void pointsTheArchiveCannotReachAreRefused() {
        fill();
        tick();
        if (supports(StorageFeature.IMPORT_LEDGER)) {
            records("contact").importRecords("imp-3", List.of(Map.of("last_name", "A"), Map.of("last_name", "B")));
        }
        Path archive = file("a.zip");
        crm().admin().backup(archive);
        long last = crm().changeLog().lastSequence();
        Crm target = newTarget();
        List<String> fresh = schemaText(target);
        List<RestorePoint> refused = new java.util.ArrayList<>(List.of(RestorePoint.at(clock.instant().plusSeconds(60)),
                RestorePoint.sequence(last + 1), RestorePoint.at(Instant.parse("2000-01-01T00:00:00Z"))));
        if (supports(StorageFeature.IMPORT_LEDGER)) {
            refused.add(RestorePoint.sequence(last - 1)); // inside the import's transaction
        }
        for (RestorePoint p : refused) {
            assertThatThrownBy(() -> target.admin().restore(archive, p)).as(p.toString())
                    .isInstanceOfSatisfying(BackupException.class, e -> {
                        assertThat(e.problem()).isEqualTo(Problem.POINT_UNREACHABLE);
                        assertThat(e.getMessage()).contains(p.toString());
                    });
            assertEmpty(target, fresh);
        }
        target.admin().restore(archive, RestorePoint.sequence(last));
        assertSameData(target, crm());
    }

    /**
     * A change log pruned by retention ({@code privacy().retain} and {@code prune}) has gaps: its archive restores
     * whole, and a point-in-time restore reaches back to the last gap and no further (undoing needs every entry
     * after the point).
     */
    @Test
    void aPrunedChangeLogRestoresAndItsPointsReachBackToTheLastGap() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                storageUnderTest().extension(org.crmkit.storage.spi.PrivacyStore.class).isPresent(),
                "the storage cannot prune its change log");
        fill();
        clock.advance(Duration.ofDays(40));
        Record recent = records("contact").create(Map.of("last_name", "Recent"));
        tick();
        records("contact").update(recent, Map.of("last_name", "Recent, renamed"));
        tick();
        long beforeTheLast = crm().changeLog().lastSequence();
        records("contact").create(Map.of("last_name", "Last"));
        system().privacy().retain("contact", Duration.ofDays(30));
        assertThat(system().privacy().prune().total()).as("old contact entries pruned").isPositive();
        List<ChangeLogEntry> kept = changeLog(crm());
        long firstKept = kept.get(0).sequence();
        assertThat(kept.size()).as("a log with gaps").isLessThan((int) crm().changeLog().lastSequence());

        Path archive = file("pruned.zip");
        crm().admin().backup(archive);
        Crm whole = newTarget();
        whole.admin().restore(archive);
        assertSameData(whole, crm());
        assertThat(changeLog(whole)).isEqualTo(kept);

        Crm earlier = newTarget();
        earlier.admin().restore(archive, RestorePoint.sequence(beforeTheLast));
        assertThat(all(earlier.as(org.crmkit.security.Principal.SYSTEM).records("contact"),
                Query.where(Filters.where("last_name").eq("Last")))).isEmpty();

        Crm tooEarly = newTarget();
        List<String> fresh = schemaText(tooEarly);
        RestorePoint before = RestorePoint.sequence(Math.max(0, firstKept - 2));
        assertThatThrownBy(() -> tooEarly.admin().restore(archive, before))
                .isInstanceOfSatisfying(BackupException.class, e -> {
                    assertThat(e.problem()).isEqualTo(Problem.POINT_UNREACHABLE);
                    assertThat(e.getMessage()).contains("pruned");
                });
        assertEmpty(tooEarly, fresh);
    }
}
