package org.crmkit.internal.value;

import java.util.List;
import java.util.Map;
import org.crmkit.error.FieldError;

/**
 * A row of an import whose values were read from text (a CSV line) before they reached the engine, with the problems
 * that reading found: a cell that could not be read is left out of the values and named here. The importer checks
 * the rest of the row as usual and refuses it with both sets of errors, so a row is reported whole, once.
 */
public interface ReadRow extends Map<String, Object> {
    /** The problems found while reading the row; empty when every cell was read. */
    List<FieldError> readErrors();
}
