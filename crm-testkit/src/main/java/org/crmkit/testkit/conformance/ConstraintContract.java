package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.UUID;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.query.Filters;
import org.crmkit.record.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What storage enforces: unique values, valid references; and that a refused write writes nothing. */
public abstract class ConstraintContract extends ConformanceContract {

    @BeforeEach
    void widget() {
        defineWidget();
    }

    private void assertNothingWritten(long count, long sequence) {
        assertThat(records(WIDGET).count(Filters.all())).isEqualTo(count);
        assertThat(crm().changeLog().lastSequence()).isEqualTo(sequence);
    }

    @Test
    void duplicateUniqueValueIsRefusedOnCreate() {
        records(WIDGET).create(Map.of("name", "one", "code", "C-1"));
        long seq = crm().changeLog().lastSequence();
        assertThatThrownBy(() -> records(WIDGET).create(Map.of("name", "two", "code", "C-1")))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(hasError(e, "code", FieldErrorCode.NOT_UNIQUE)).isTrue();
                    assertThat(e.objectType()).isEqualTo(WIDGET);
                });
        assertNothingWritten(1, seq);
        // other values and empty values are fine
        records(WIDGET).create(Map.of("name", "three", "code", "C-2"));
        records(WIDGET).create(Map.of("name", "four"));
        records(WIDGET).create(Map.of("name", "five"));
        assertThat(records(WIDGET).count(Filters.all())).isEqualTo(4);
    }

    @Test
    void duplicateUniqueValueIsRefusedOnUpdate() {
        records(WIDGET).create(Map.of("name", "one", "code", "C-1"));
        Record two = records(WIDGET).create(Map.of("name", "two", "code", "C-2"));
        long seq = crm().changeLog().lastSequence();
        assertThatThrownBy(() -> records(WIDGET).update(two, Map.of("code", "C-1", "qty", 5)))
                .matches(error("code", FieldErrorCode.NOT_UNIQUE));
        assertNothingWritten(2, seq);
        assertThat(records(WIDGET).get(two.id())).isEqualTo(two);
    }

    @Test
    void uniqueValueIsFreedWhenItsHolderChangesOrIsPurged() {
        Record one = records(WIDGET).create(Map.of("name", "one", "code", "C-1"));
        Record deleted = records(WIDGET).create(Map.of("name", "gone", "code", "C-9"));
        records(WIDGET).delete(deleted.id(), 1);
        // soft-deleted records keep their unique values
        assertThatThrownBy(() -> records(WIDGET).create(Map.of("name", "x", "code", "C-9")))
                .matches(error("code", FieldErrorCode.NOT_UNIQUE));
        records(WIDGET).purge(deleted.id());
        records(WIDGET).create(Map.of("name", "x", "code", "C-9"));
        records(WIDGET).update(one, Map.of("code", "C-1b"));
        Record reuse = records(WIDGET).create(Map.of("name", "y", "code", "C-1"));
        assertThat(reuse.getString("code")).isEqualTo("C-1");
    }

    @Test
    void duplicatesWithinOneTransactionAreRefusedAndRollBackEverything() {
        long seq = crm().changeLog().lastSequence();
        assertThatThrownBy(() -> system().inTransactionDo(s -> {
            s.records(WIDGET).create(Map.of("name", "one", "code", "T-1"));
            s.records(WIDGET).create(Map.of("name", "two", "code", "T-1"));
        })).matches(error("code", FieldErrorCode.NOT_UNIQUE));
        assertNothingWritten(0, seq);
    }

    @Test
    void referenceToMissingRecordIsRefused() {
        UUID missing = UUID.randomUUID();
        long seq = crm().changeLog().lastSequence();
        assertThatThrownBy(() -> records(WIDGET).create(Map.of("name", "w", "company", missing)))
                .matches(error("company", FieldErrorCode.INVALID_REFERENCE));
        Record contact = records("contact").create(Map.of("last_name", "Not a company"));
        seq = crm().changeLog().lastSequence();
        assertThatThrownBy(() -> records(WIDGET).create(Map.of("name", "w", "company", contact.id())))
                .matches(error("company", FieldErrorCode.INVALID_REFERENCE));
        Record gone = records("company").create(Map.of("name", "Gone"));
        records("company").delete(gone.id(), 1);
        seq = crm().changeLog().lastSequence();
        assertThatThrownBy(() -> records(WIDGET).create(Map.of("name", "w", "company", gone.id())))
                .matches(error("company", FieldErrorCode.INVALID_REFERENCE));
        assertThatThrownBy(() -> records("deal").create(Map.of("name", "d", "contacts", java.util.List.of(missing))))
                .matches(error("contacts", FieldErrorCode.INVALID_REFERENCE));
        assertNothingWritten(0, seq);
        Record acme = records("company").create(Map.of("name", "Acme"));
        assertThat(records(WIDGET).create(Map.of("name", "w", "company", acme.id())).getReference("company"))
                .isEqualTo(acme.id());
    }

    @Test
    void everyProblemOfAWriteIsReportedAtOnce() {
        long seq = crm().changeLog().lastSequence();
        assertThatThrownBy(() -> records(WIDGET).create(values("qty", "many", "color", "purple",
                "company", UUID.randomUUID(), "nope", 1)))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(hasError(e, "name", FieldErrorCode.REQUIRED)).isTrue();
                    assertThat(hasError(e, "qty", FieldErrorCode.WRONG_TYPE)).isTrue();
                    assertThat(hasError(e, "color", FieldErrorCode.UNKNOWN_OPTION)).isTrue();
                    assertThat(hasError(e, "nope", FieldErrorCode.UNKNOWN_FIELD)).isTrue();
                });
        assertNothingWritten(0, seq);
    }
}
