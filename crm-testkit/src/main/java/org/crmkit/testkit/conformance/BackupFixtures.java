package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.Crm;
import org.crmkit.CrmStorage;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.plugin.spi.Installation;
import org.crmkit.query.Metric;
import org.crmkit.query.Query;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.report.ReportDefinition;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.Principal;
import org.crmkit.storage.spi.DocumentStore;
import org.crmkit.storage.spi.Storage;
import org.crmkit.storage.spi.StorageFeature;
import org.crmkit.storage.spi.StorageTransaction;
import org.crmkit.storage.support.StorageJson;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;

/**
 * What the backup contracts share: target {@code Crm}s on fresh storages of the kind under test, a temporary
 * directory, sample data of every kind an archive holds, and the comparison of everything two {@code Crm}s hold.
 */
abstract class BackupFixtures extends ConformanceContract {
    private static final StorageJson JSON = new StorageJson();
    private final List<Crm> targets = new ArrayList<>();
    private final List<CrmStorage> targetStorages = new ArrayList<>();
    private @Nullable Path dir;

    /** A new {@code Crm} on a fresh storage of the kind under test, closed after the test. */
    protected final Crm newTarget() {
        return newTarget(newStorage());
    }

    /** A new {@code Crm} on {@code s}, closed after the test. */
    protected final Crm newTarget(CrmStorage s) {
        Crm c = Crm.builder().storage(s).build();
        targets.add(c);
        targetStorages.add(s);
        return c;
    }

    /** The storage SPI object under a target built by {@link #newTarget()}. */
    protected final Storage storageOf(Crm crm) {
        if (crm == crm()) {
            return storageUnderTest();
        }
        return Installation.storageOf(targetStorages.get(targets.indexOf(crm)));
    }

    /** A path for a new file in this test's directory. */
    protected final Path file(String name) {
        try {
            if (dir == null) {
                dir = Files.createTempDirectory("crmkit-backup-test");
            }
            return dir.resolve(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterEach
    final void closeTargets() throws IOException {
        targets.forEach(Crm::close);
        targets.clear();
        targetStorages.clear();
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
            dir = null;
        }
    }

    /**
     * Fills the source with a bit of everything: a custom type, references, lists, money, updates, a soft delete, a
     * purge, a merge (with its link), an import (with its ledger) and a report saved twice.
     */
    protected final void fill() {
        defineWidget();
        Record acme = records("company").create(Map.of("name", "Acme"));
        Record globex = records("company").create(Map.of("name", "Globex"));
        Record initech = records("company").create(Map.of("name", "Initech"));
        List<Record> contacts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            contacts.add(records("contact").create(Map.of("first_name", "Ada" + i, "last_name", "Lovelace",
                    "email", "ada" + i + "@example.com", "company", i % 2 == 0 ? acme.id() : globex.id())));
        }
        for (int i = 0; i < 6; i++) {
            Record w = records(WIDGET).create(values("name", "w" + i, "qty", (long) i, "price",
                    new java.math.BigDecimal(i + ".50"), "color", "red", "tags", List.of("a", "c"), "code", "W-" + i,
                    "company", initech.id()));
            if (i % 2 == 0) {
                records(WIDGET).update(w, Map.of("qty", 100L + i, "notes", "updated"));
            }
        }
        for (int i = 0; i < 5; i++) {
            records("deal").create(Map.of("name", "deal" + i, "amount", Money.of(i + "000.00", "USD"), "company",
                    acme.id()));
        }
        Record gone = records("contact").get(contacts.get(3).id());
        records("contact").delete(gone.id(), gone.version());
        Record purged = records(WIDGET).query(Query.all()).items().get(0);
        records(WIDGET).purge(purged.id());
        if (supports(StorageFeature.MERGE_LINKS)) {
            records("company").merge(globex.id(), List.of(initech.id()));
        }
        if (supports(StorageFeature.IMPORT_LEDGER)) {
            records("contact").importRecords("imp-1", List.of(Map.of("last_name", "Imported1"),
                    Map.of("last_name", "Imported2")));
        }
        if (storageUnderTest().extension(DocumentStore.class).isPresent()) {
            system().reports().save(ReportDefinition.builder("by_stage", "deal").groupBy("stage")
                    .metric(Metric.count()).build());
            system().reports().save(ReportDefinition.builder("by_stage", "deal").groupBy("stage")
                    .groupBy("amount.currency").metric(Metric.count()).build().withVersion(1));
        }
    }

    /** Every record of every type, soft-deleted ones included, by type then id. */
    protected static List<Record> everyRecord(Crm crm) {
        List<Record> out = new ArrayList<>();
        for (ObjectType t : crm.schema().snapshot().types()) {
            List<Record> rs = new ArrayList<>(all(crm.as(Principal.SYSTEM).records(t.name()),
                    Query.all().deleted(Query.Deleted.INCLUDE).limit(Query.MAX_LIMIT)));
            rs.sort(Comparator.comparing(Record::id));
            out.addAll(rs);
        }
        return out;
    }

    /** The whole change log. */
    protected static List<ChangeLogEntry> changeLog(Crm crm) {
        List<ChangeLogEntry> out = new ArrayList<>();
        long after = 0;
        while (true) {
            List<ChangeLogEntry> page = crm.changeLog().read(after, 1000);
            if (page.isEmpty()) {
                return out;
            }
            out.addAll(page);
            after = page.get(page.size() - 1).sequence();
        }
    }

    /** The schema and its history as text (as storages persist them), comparable across storages. */
    protected final List<String> schemaText(Crm crm) {
        List<String> out = new ArrayList<>();
        out.add(JSON.writeSnapshot(crm.schema().snapshot()));
        storageOf(crm).schemaHistory().forEach(e -> out.add(e.version() + " " + e.at() + " " + e.principalId() + " "
                + JSON.writeSchemaChange(e.change())));
        return out;
    }

    /** Every version of the saved reports. */
    protected final List<DocumentStore.StoredDocument> reports(Crm crm) {
        DocumentStore docs = storageOf(crm).extension(DocumentStore.class).orElse(null);
        if (docs == null) {
            return List.of();
        }
        List<DocumentStore.StoredDocument> out = new ArrayList<>();
        for (DocumentStore.StoredDocument d : docs.list("report")) {
            out.addAll(docs.history("report", d.name()));
        }
        return out;
    }

    /** Each soft-deleted record's merge link (its survivor), or none. */
    protected final Map<UUID, @Nullable UUID> mergeLinks(Crm crm) {
        Map<UUID, @Nullable UUID> out = new java.util.TreeMap<>();
        if (!supports(StorageFeature.MERGE_LINKS)) {
            return out;
        }
        try (StorageTransaction tx = storageOf(crm).begin()) {
            for (Record r : everyRecord(crm)) {
                if (r.isDeleted()) {
                    out.put(r.id(), tx.mergedInto(r.type(), r.id()).orElse(null));
                }
            }
        }
        return out;
    }

    /** Asserts that two {@code Crm}s hold the same data: records, change log, schema and history, reports, links. */
    protected final void assertSameData(Crm restored, Crm original) {
        assertThat(everyRecord(restored)).isEqualTo(everyRecord(original));
        assertThat(changeLog(restored)).isEqualTo(changeLog(original));
        assertThat(schemaText(restored)).isEqualTo(schemaText(original));
        assertThat(reports(restored)).isEqualTo(reports(original));
        assertThat(mergeLinks(restored)).isEqualTo(mergeLinks(original));
    }

    /** Asserts that a target holds nothing: no records, no change log, and the schema it was built with. */
    protected final void assertEmpty(Crm target, List<String> freshSchema) {
        assertThat(everyRecord(target)).isEmpty();
        assertThat(target.changeLog().lastSequence()).isZero();
        assertThat(reports(target)).isEmpty();
        assertThat(schemaText(target).get(0)).isEqualTo(freshSchema.get(0));
    }
}
