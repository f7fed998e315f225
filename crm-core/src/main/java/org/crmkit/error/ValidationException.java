package org.crmkit.error;

import java.util.List;
import java.util.stream.Collectors;

/** A write or query was refused because of its input; {@link #errors()} holds every problem found, at once. */
public class ValidationException extends CrmException {
    private static final long serialVersionUID = 1L;

    private final String objectType;
    @SuppressWarnings("serial") // a List.copyOf; serializing the exception needs FieldError to be Serializable
    private final List<FieldError> errors;

    public ValidationException(String objectType, List<FieldError> errors) {
        super(ErrorCode.VALIDATION_FAILED, describe(objectType, errors));
        this.objectType = objectType;
        this.errors = List.copyOf(errors);
    }

    public ValidationException(String objectType, FieldError error) {
        this(objectType, List.of(error));
    }

    /** The object type of the write or query. */
    public String objectType() {
        return objectType;
    }

    /** Every problem, in field order; never empty. */
    public List<FieldError> errors() {
        return errors;
    }

    /** Whether some error concerns this field. */
    public boolean hasErrorOn(String field) {
        return errors.stream().anyMatch(e -> e.field().equals(field));
    }

    private static String describe(String objectType, List<FieldError> errors) {
        return "invalid " + objectType + ": "
                + errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
    }
}
