package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.crmkit.Crm;
import org.crmkit.CrmStorage;
import org.crmkit.error.BackupException;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.Principal;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Backups across storage kinds: an archive taken from each kind restores into every other one with every record,
 * change-log entry, schema version and history entry, report version and merge link the same, and the restored
 * {@code Crm} goes on writing. A storage module lists its kinds (a kind whose database is absent skips its cells).
 */
public abstract class BackupMatrixContract extends BackupFixtures {
    private Supplier<CrmStorage> source = () -> {
        throw new IllegalStateException("no source chosen");
    };

    /** Every storage kind by name, each giving a fresh, empty storage. */
    protected abstract Map<String, Supplier<CrmStorage>> kinds();

    @Override
    protected final CrmStorage newStorage() {
        return source.get();
    }

    /** Runs one cell with a fresh source and targets, closing them after it (dynamic tests have no AfterEach). */
    private DynamicTest cell(String name, Executable body) {
        return DynamicTest.dynamicTest(name, () -> {
            try {
                body.execute();
            } finally {
                closeCrm();
                closeTargets();
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> everyPair() {
        List<DynamicTest> out = new ArrayList<>();
        for (String from : kinds().keySet()) {
            for (String to : kinds().keySet()) {
                if (!from.equals(to)) {
                    out.add(cell(from + " to " + to, () -> everythingComesBack(from, to)));
                }
            }
        }
        return out.stream();
    }

    private void everythingComesBack(String from, String to) {
        source = java.util.Objects.requireNonNull(kinds().get(from), from);
        fill();
        Path archive = file(from + ".zip");
        crm().admin().backup(archive);
        Crm target = newTarget(java.util.Objects.requireNonNull(kinds().get(to), to).get());
        target.admin().restore(archive);
        assertSameData(target, crm());
        long last = target.changeLog().lastSequence();
        Record c = target.as(Principal.SYSTEM).records("company").create(Map.of("name", "Umbrella"));
        assertThat(target.changeLog().read(last, 10)).singleElement()
                .satisfies(e -> assertThat(e.recordId()).isEqualTo(c.id()));
    }

    /** A type with more columns than a SQL table takes is refused before anything is written. */
    @TestFactory
    Stream<DynamicTest> aTypeTooWideForTheTargetIsRefused() {
        return kinds().keySet().stream().filter(k -> !k.equals("memory"))
                .map(to -> cell("memory to " + to, () -> tooWide(to)));
    }

    private void tooWide(String to) {
        source = java.util.Objects.requireNonNull(kinds().get("memory"), "memory");
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < 1_700; i++) {
            fields.add(Field.integer("f" + i));
        }
        crm().schema().addObjectType(ObjectType.custom("wide", "Wide", fields.toArray(Field[]::new)));
        Path archive = file("wide.zip");
        crm().admin().backup(archive);
        Crm target = newTarget(java.util.Objects.requireNonNull(kinds().get(to), to).get());
        List<String> fresh = schemaText(target);
        assertThatThrownBy(() -> target.admin().restore(archive)).isInstanceOfSatisfying(BackupException.class, e -> {
            assertThat(e.problem()).isEqualTo(BackupException.Problem.TARGET_CANNOT_HOLD);
            assertThat(e.getMessage()).contains("wide", "columns");
        });
        assertEmpty(target, fresh);
    }
}
