package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.crmkit.error.ErrorCode;
import org.crmkit.error.NotFoundException;
import org.crmkit.error.RecordMergedException;
import org.crmkit.error.UnsupportedFeatureException;
import org.crmkit.query.AggregateRow;
import org.crmkit.query.Aggregation;
import org.crmkit.query.Filters;
import org.crmkit.query.Metric;
import org.crmkit.schema.Field;
import org.crmkit.record.ImportResult;
import org.crmkit.record.Record;
import org.crmkit.storage.spi.StorageFeature;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The optional features of {@link org.crmkit.storage.spi.StorageFeature}: each one the storage lists in its
 * capabilities works; each one it declines is refused with an {@link UnsupportedFeatureException} naming it (never a
 * {@code NullPointerException} or {@code UnsupportedOperationException} from inside). The contracts that need a
 * feature skip their tests when it is declined ({@link #assumeSupported}).
 */
public abstract class OptionalFeaturesContract extends ConformanceContract {

    @BeforeEach
    void fixture() {
        defineWidget();
        records(WIDGET).create(values("name", "w", "qty", 2));
    }

    @Test
    void aggregatesWorkOrAreRefusedByName() {
        if (supports(StorageFeature.AGGREGATES)) {
            List<AggregateRow> rows = records(WIDGET).aggregate(Aggregation.total().sum("qty"), Filters.all());
            assertThat(rows).singleElement().satisfies(r -> assertThat(r.count()).isEqualTo(1));
        } else {
            assertRefused(StorageFeature.AGGREGATES, () -> records(WIDGET).aggregate(Aggregation.total().sum("qty"),
                    Filters.all()));
        }
    }

    @Test
    void importsWorkOrAreRefusedByName() {
        List<java.util.Map<String, ?>> rows = List.of(values("name", "a"), values("name", "b"));
        if (supports(StorageFeature.IMPORT_LEDGER)) {
            ImportResult result = records(WIDGET).importRecords("features", rows);
            assertThat(result.createdIds()).hasSize(2);
        } else {
            assertRefused(StorageFeature.IMPORT_LEDGER, () -> records(WIDGET).importRecords("features", rows));
        }
        assertThat(records(WIDGET).count(Filters.all())).isEqualTo(supports(StorageFeature.IMPORT_LEDGER) ? 3 : 1);
    }

    @Test
    void csvImportsWorkOrAreRefusedByName() {
        String csv = "name\na\nb\n";
        if (supports(StorageFeature.IMPORT_LEDGER)) {
            assertThat(system().csvImport(WIDGET).run("csv", new java.io.StringReader(csv)).created()).isEqualTo(2);
        } else {
            assertRefused(StorageFeature.IMPORT_LEDGER, () -> system().csvImport(WIDGET).run("csv",
                    new java.io.StringReader(csv)));
        }
        assertThat(records(WIDGET).count(Filters.all())).isEqualTo(supports(StorageFeature.IMPORT_LEDGER) ? 3 : 1);
    }

    @Test
    void mergesWorkOrAreRefusedByName() {
        Record a = records(WIDGET).create(values("name", "a"));
        Record b = records(WIDGET).create(values("name", "b", "qty", 3));
        if (supports(StorageFeature.MERGE_LINKS)) {
            assertThat(records(WIDGET).merge(a.id(), List.of(b.id())).survivor().getLong("qty")).isEqualTo(3L);
            assertThatThrownBy(() -> records(WIDGET).get(b.id())).isInstanceOf(RecordMergedException.class);
        } else {
            assertRefused(StorageFeature.MERGE_LINKS, () -> records(WIDGET).merge(a.id(), List.of(b.id())));
            assertThat(records(WIDGET).get(b.id()).version()).isEqualTo(b.version());
            // a deleted record is plainly not found: no merge link is asked for
            records(WIDGET).delete(b.id(), b.version());
            assertThatThrownBy(() -> records(WIDGET).get(b.id())).isExactlyInstanceOf(NotFoundException.class);
        }
    }

    @Test
    void rollUpsWorkOrAreRefusedByName() {
        Field count = Field.rollup("widget_count", WIDGET, "company", Metric.count(), null);
        if (supports(StorageFeature.AGGREGATES) && supports(StorageFeature.ROW_LOCKS)) {
            crm().schema().addField("company", count);
            Record acme = records("company").create(values("name", "Acme"));
            records(WIDGET).create(values("name", "w", "company", acme.id()));
            assertThat(records("company").get(acme.id()).getLong("widget_count")).isEqualTo(1L);
        } else {
            assertRefused(supports(StorageFeature.AGGREGATES) ? StorageFeature.ROW_LOCKS : StorageFeature.AGGREGATES,
                    () -> crm().schema().addField("company", count));
            assertThat(crm().schema().objectType("company").findField("widget_count")).isEmpty();
        }
    }

    private static void assertRefused(StorageFeature feature, Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(UnsupportedFeatureException.class, e -> {
            assertThat(e.feature()).isEqualTo(feature.name());
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION);
            assertThat(e.getMessage()).contains(feature.name());
        });
    }
}
