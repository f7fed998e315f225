package org.crmkit.internal.csv;

import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.crmkit.error.FieldError;
import org.crmkit.internal.value.ReadRow;

/** The values of one CSV row, by field, with the problems reading its cells found ({@link ReadRow}). */
final class CsvRow extends AbstractMap<String, Object> implements ReadRow {
    private final Map<String, Object> values;
    private final List<FieldError> readErrors;

    CsvRow(Map<String, Object> values, List<FieldError> readErrors) {
        this.values = Map.copyOf(values);
        this.readErrors = List.copyOf(readErrors);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return values.entrySet();
    }

    @Override
    public List<FieldError> readErrors() {
        return readErrors;
    }
}
