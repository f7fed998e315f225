package org.crmkit.duplicate;

import java.util.List;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;
import org.jspecify.annotations.Nullable;

/**
 * A create or update of a type in {@link DuplicateMode#BLOCK} would have made a duplicate; nothing was written.
 * {@link #candidates()} lists the matching records the caller may see (never empty: a duplicate the caller cannot see
 * does not block them, see {@link org.crmkit.RecordSet#findDuplicates}). Code {@link ErrorCode#DUPLICATE}.
 */
public class DuplicateException extends CrmException {
    private static final long serialVersionUID = 1L;

    private final String objectType;
    private final transient List<DuplicateCandidate> candidates;

    public DuplicateException(String objectType, java.util.@Nullable UUID recordId,
            List<DuplicateCandidate> candidates) {
        super(ErrorCode.DUPLICATE, objectType + (recordId == null ? "" : " " + recordId) + " would duplicate "
                + candidates.stream().map(c -> c.record().id().toString()).toList());
        this.objectType = objectType;
        this.candidates = List.copyOf(candidates);
    }

    public String objectType() {
        return objectType;
    }

    /** The records it would have duplicated, best first. */
    public List<DuplicateCandidate> candidates() {
        return candidates;
    }
}
