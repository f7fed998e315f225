package org.crmkit.schema;

import org.crmkit.duplicate.DuplicateRules;
import org.jspecify.annotations.Nullable;
import java.util.Objects;

/** One change to the schema, as applied by storages and recorded in {@link Schema#history()}. */
public sealed interface SchemaChange {
    /** The object type the change concerns (for pipeline changes: {@code "deal"}). */
    String objectType();

    /** A short human description, e.g. {@code "add field contact.nickname"}. */
    String describe();

    record AddObjectType(ObjectType type) implements SchemaChange {
        public AddObjectType {
            Objects.requireNonNull(type, "type");
        }

        public String objectType() {
            return type.name();
        }

        public String describe() {
            return "add object type " + type.name();
        }
    }

    record DeleteObjectType(ObjectType type) implements SchemaChange {
        public DeleteObjectType {
            Objects.requireNonNull(type, "type");
        }

        public String objectType() {
            return type.name();
        }

        public String describe() {
            return "delete object type " + type.name();
        }
    }

    record AddField(String objectType, Field field) implements SchemaChange {
        public AddField {
            Objects.requireNonNull(objectType, "objectType");
            Objects.requireNonNull(field, "field");
        }

        public String describe() {
            return "add field " + objectType + "." + field.name();
        }
    }

    /** Relabel, options, flags, deprecation: anything but the field's name and type. */
    record ChangeField(String objectType, Field before, Field after) implements SchemaChange {
        public ChangeField {
            Objects.requireNonNull(objectType, "objectType");
            Objects.requireNonNull(before, "before");
            Objects.requireNonNull(after, "after");
        }

        public String describe() {
            return "change field " + objectType + "." + after.name();
        }
    }

    record DeleteField(String objectType, Field field) implements SchemaChange {
        public DeleteField {
            Objects.requireNonNull(objectType, "objectType");
            Objects.requireNonNull(field, "field");
        }

        public String describe() {
            return "delete field " + objectType + "." + field.name();
        }
    }

    record ChangeRules(String objectType, java.util.List<ValidationRule> rules) implements SchemaChange {
        public ChangeRules {
            Objects.requireNonNull(objectType, "objectType");
            Objects.requireNonNull(rules, "rules");
            rules = java.util.List.copyOf(rules);
        }

        public String describe() {
            return "change rules of " + objectType;
        }
    }

    /** New matching rules of a type (null: back to none of its own). */
    record SetDuplicateRules(String objectType,
            @Nullable DuplicateRules rules)
            implements
                SchemaChange {
        public SetDuplicateRules {
            Objects.requireNonNull(objectType, "objectType");
        }

        public String describe() {
            return "set duplicate rules of " + objectType;
        }
    }

    record SavePipeline(Pipeline pipeline) implements SchemaChange {
        public SavePipeline {
            Objects.requireNonNull(pipeline, "pipeline");
        }

        public String objectType() {
            return "deal";
        }

        public String describe() {
            return "save pipeline " + pipeline.name();
        }
    }

    /** Replaces the lead conversion mapping ({@link LeadMapping}). */
    record SetLeadMapping(LeadMapping mapping) implements SchemaChange {
        public SetLeadMapping {
            Objects.requireNonNull(mapping, "mapping");
        }

        public String objectType() {
            return "lead";
        }

        public String describe() {
            return "set lead mapping";
        }
    }

    /** Replaces the corporate currency and the exchange rates ({@link Currencies}). */
    record SetCurrencies(Currencies currencies) implements SchemaChange {
        public SetCurrencies {
            Objects.requireNonNull(currencies, "currencies");
        }

        public String objectType() {
            return "deal";
        }

        public String describe() {
            return "set currencies (corporate " + currencies.corporate() + ", " + currencies.rates().size()
                    + " rates)";
        }
    }
}
