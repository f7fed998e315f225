package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.crmkit.query.Filters.where;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.RecordSet;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.lead.ConversionResult;
import org.crmkit.query.Query;
import org.crmkit.record.ImportResult;
import org.crmkit.record.Record;
import org.crmkit.record.UpsertResult;
import org.crmkit.security.FieldAccess;
import org.crmkit.testkit.conformance.AccessMatrixContract.Relationship;
import org.crmkit.testkit.conformance.MatrixPaths.PathCheck;

/**
 * The write paths of the access matrix, each on a fresh record in the relationship: the write succeeds exactly
 * when the relationship lets the viewer write; otherwise it fails (as for a missing record when the viewer cannot
 * even read it), changes nothing, and its error names nothing of the record.
 */
final class MatrixWritePaths {
    private final MatrixPaths m;
    private final RecordSet records;

    MatrixWritePaths(MatrixPaths m) {
        this.m = m;
        this.records = m.viewer.records(AccessMatrixContract.WRITES);
    }

    /** A record made for one write: its name, secret and code are its own. */
    private record Fresh(Record record, String canary) {
        UUID id() {
            return record.id();
        }

        String[] secrets() {
            return new String[] {canary, record.id().toString(), String.valueOf(record.get("name"))};
        }
    }

    private Fresh fresh(Relationship r) {
        String token = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Record created = r.arrange().create(m.system.get(), AccessMatrixContract.WRITES, Map.of(
                "name", "fresh " + token, "secret", "canary" + token, "qty", 1, "code", "code-" + token));
        return new Fresh(created, "canary" + token);
    }

    /** The record as stored, deleted or not. */
    private Record stored(UUID id) {
        return m.system.get().records(AccessMatrixContract.WRITES).query(Query.where(where("id").eq(id.toString()))
                .deleted(Query.Deleted.INCLUDE)).items().get(0);
    }

    private void unchanged(String path, Fresh f) {
        assertThat(stored(f.id())).as("%s changed a record it may not write", path).isEqualTo(f.record());
    }

    /** A write the viewer may not make: refused (as for a missing record when out of reach), nothing changed. */
    private void refused(String path, Relationship r, Fresh f, java.util.function.Function<UUID, ?> write) {
        if (!r.reads()) {
            MatrixPaths.failsAsMissing(path, f.id(), write);
        } else {
            Throwable t = catchThrowable(() -> write.apply(f.id()));
            assertThat(t).as("%s of a record the viewer may only read", path).isNotNull();
            if (m.level == FieldAccess.HIDDEN) {
                MatrixPaths.doesNotReveal(path, String.valueOf(t.getMessage()), f.canary);
            }
        }
        unchanged(path, f);
    }

    List<PathCheck> all() {
        return List.of(
                new PathCheck("update", r -> {
                    Fresh f = fresh(r);
                    if (!r.writes()) {
                        refused("update", r, f, id -> records.update(id, f.record().version(), Map.of("qty", 7)));
                        return;
                    }
                    Record updated = records.update(f.id(), f.record().version(), Map.of("qty", 7));
                    assertThat(updated.getLong("qty")).isEqualTo(7L);
                    assertThat(updated.has("secret")).isEqualTo(m.level != FieldAccess.HIDDEN);
                    assertThat(stored(f.id()).get("secret")).as("the secret kept").isEqualTo(f.canary);
                }),
                new PathCheck("update of secret", this::updateSecret),
                new PathCheck("delete", r -> {
                    Fresh f = fresh(r);
                    if (!r.writes()) {
                        refused("delete", r, f, id -> records.delete(id, f.record().version()));
                        return;
                    }
                    records.delete(f.id(), f.record().version());
                    assertThat(stored(f.id()).deletedAt()).isNotNull();
                }),
                new PathCheck("upsert by a unique field", r -> {
                    Fresh f = fresh(r);
                    UpsertResult result = records.upsert("code", List.of(Map.of("code", f.record().get("code"),
                            "name", "upserted")));
                    if (r.writes()) {
                        assertThat(result.updatedIds()).containsValue(f.id());
                        return;
                    }
                    assertThat(result.updatedIds()).isEmpty();
                    assertThat(result.createdIds()).isEmpty();
                    if (!r.reads()) {
                        MatrixPaths.doesNotReveal("upsert", result, f.secrets());
                    } else {
                        assertThat(result.errors()).singleElement().satisfies(e -> assertThat(e.errors())
                                .anySatisfy(fe -> assertThat(fe.code()).isEqualTo(FieldErrorCode.READ_ONLY)));
                    }
                    unchanged("upsert", f);
                }),
                new PathCheck("import", r -> {
                    Fresh f = fresh(r);
                    ImportResult result = records.importRecords("matrix-" + UUID.randomUUID(),
                            List.of(Map.of("name", "imported", "code", f.record().get("code"))));
                    assertThat(result.createdIds()).as("a row whose unique value is taken").isEmpty();
                    assertThat(result.errors()).singleElement().satisfies(e -> assertThat(e.errors())
                            .anySatisfy(fe -> assertThat(fe.code()).isEqualTo(FieldErrorCode.NOT_UNIQUE)));
                    if (!r.reads()) {
                        MatrixPaths.doesNotReveal("import", result, f.secrets());
                    }
                    unchanged("import", f);
                }),
                new PathCheck("merge", r -> {
                    Fresh f = fresh(r);
                    Record survivor = records.create(Map.of("name", "survivor " + UUID.randomUUID()));
                    if (!r.writes()) {
                        refused("merge", r, f, id -> records.merge(survivor.id(), List.of(id)));
                        return;
                    }
                    records.merge(survivor.id(), List.of(f.id()));
                    assertThat(stored(f.id()).deletedAt()).as("the merged record").isNotNull();
                }),
                new PathCheck("lead conversion", this::convert));
    }

    private void updateSecret(Relationship r) {
        Fresh f = fresh(r);
        if (!r.writes()) {
            refused("update of secret", r, f, id -> records.update(id, f.record().version(), Map.of("secret", "x")));
            return;
        }
        if (m.level == FieldAccess.EDITABLE) {
            assertThat(records.update(f.id(), f.record().version(), Map.of("secret", "x")).get("secret"))
                    .isEqualTo("x");
            return;
        }
        Throwable t = catchThrowable(() -> records.update(f.id(), f.record().version(), Map.of("secret", "x")));
        assertThat(t).isInstanceOf(ValidationException.class);
        assertThat(((ValidationException) t).errors()).anySatisfy(e -> {
            assertThat(e.field()).isEqualTo("secret");
            if (m.level == FieldAccess.READ_ONLY) {
                assertThat(e.code()).isEqualTo(FieldErrorCode.READ_ONLY);
            }
        });
        MatrixPaths.doesNotReveal("update of secret", t.getMessage() + ((ValidationException) t).errors(),
                f.canary);
        unchanged("update of secret", f);
    }

    private void convert(Relationship r) {
        String token = UUID.randomUUID().toString().substring(0, 8);
        Record lead = r.arrange().create(m.system.get(), "lead", Map.of("last_name", "Lead " + token,
                "company_name", "Company " + token));
        if (!r.writes()) {
            Throwable probe = null;
            if (!r.reads()) {
                MatrixPaths.failsAsMissing("lead conversion", lead.id(), id -> m.viewer.leads().convert(id));
            } else {
                probe = catchThrowable(() -> m.viewer.leads().convert(lead.id()));
                assertThat(probe).isNotNull();
            }
            assertThat(m.system.get().records("lead").get(lead.id())).as("the lead").isEqualTo(lead);
            return;
        }
        ConversionResult result = m.viewer.leads().convert(lead.id());
        assertThat(m.system.get().records("contact").get(result.contactId()).get("last_name"))
                .isEqualTo("Lead " + token);
    }
}
