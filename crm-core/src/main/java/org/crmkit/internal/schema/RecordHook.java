package org.crmkit.internal.schema;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.crmkit.error.FieldError;
import org.crmkit.record.Record;
import org.crmkit.schema.SchemaSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * Rules of one object type that the write pipeline runs on every create and update of its records, after the input
 * is converted and defaults are applied, before the required, reference and record-rule checks (so its errors come
 * back in the same batch as theirs). The per-type counterpart of jOOQ's {@code RecordListener#insertStart}; the
 * standard schema registers the hooks of its types ({@link StandardSchema#recordHooks()}).
 */
public interface RecordHook {
    /**
     * Checks and completes a write in progress.
     *
     * @param schema the schema the write is checked against
     * @param before the stored record an update starts from; null for a create
     * @param values the record's values after this write, converted; the hook may add or change values
     * @param given the fields the caller set in this write (a hook does not override them)
     * @param errors the problems found so far; the hook adds its own
     */
    void beforeChecks(SchemaSnapshot schema, @Nullable Record before, Map<String, Object> values, Set<String> given,
            List<FieldError> errors);
}
