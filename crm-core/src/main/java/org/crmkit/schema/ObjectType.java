package org.crmkit.schema;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.crmkit.duplicate.DuplicateRules;
import org.jspecify.annotations.Nullable;

/**
 * An object type (contact, deal, or a custom type) with its fields and record rules. Immutable.
 *
 * @param name   API name; custom types are stored under it as they are
 * @param label  what people see
 * @param custom defined by the host application rather than CRMKit
 * @param fields field definitions in display order (without the record's system properties such as id)
 * @param rules  record rules checked on every write
 * @param duplicateRules the matching rules set with {@link Schema#setDuplicateRules}, or null when none were set (a
 *                       standard type then has its built-in rules, see {@link Schema#duplicateRules(String)})
 */
public record ObjectType(String name, String label, boolean custom, List<Field> fields, List<ValidationRule> rules,
        @Nullable DuplicateRules duplicateRules) {
    public ObjectType {
        Objects.requireNonNull(fields, "fields");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(label, "label");
        fields = List.copyOf(fields);
        rules = List.copyOf(rules);
    }

    /** A type without duplicate rules of its own. */
    public ObjectType(String name, String label, boolean custom, List<Field> fields, List<ValidationRule> rules) {
        this(name, label, custom, fields, rules, null);
    }

    /** A custom object type definition to pass to {@link Schema#addObjectType(ObjectType)}. */
    public static ObjectType custom(String name, String label, Field... fields) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(fields, "fields");
        return new ObjectType(name, label, true, List.of(fields), List.of());
    }

    public Optional<Field> findField(String fieldName) {
        Objects.requireNonNull(fieldName, "fieldName");
        for (Field f : fields) {
            if (f.name().equals(fieldName)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    public Optional<ValidationRule> findRule(String ruleName) {
        Objects.requireNonNull(ruleName, "ruleName");
        return rules.stream().filter(r -> r.name().equals(ruleName)).findFirst();
    }

    public ObjectType withFields(List<Field> newFields) {
        Objects.requireNonNull(newFields, "newFields");
        return new ObjectType(name, label, custom, newFields, rules, duplicateRules);
    }

    public ObjectType withRules(List<ValidationRule> newRules) {
        Objects.requireNonNull(newRules, "newRules");
        return new ObjectType(name, label, custom, fields, newRules, duplicateRules);
    }

    /** A copy with other duplicate rules (null: none of its own). */
    public ObjectType withDuplicateRules(@Nullable DuplicateRules newRules) {
        return new ObjectType(name, label, custom, fields, rules, newRules);
    }
}
